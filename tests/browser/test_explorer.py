"""The councils index in a browser: a keystroke finds a council, filters and sorting work without a network,
and without JavaScript it is a plain table of every council; the site search finds council pages."""

from __future__ import annotations

import re

import pytest

from report.builder.exports import png_text
from tests.measures.test_councils import read_csv

pytestmark = pytest.mark.slow


def councils() -> list[str]:
    return sorted(r["la_name"] for r in read_csv("local-authorities", "local-authorities") if r["status"] == "current")


def visible_names(page) -> list[str]:
    return page.locator("#council-table tbody tr:not([hidden]) th a").all_text_contents()


def test_typing_part_of_a_name_leaves_the_councils_that_contain_it(visit):
    opened = visit("councils.html")
    page = opened.page
    names = councils()
    assert len(visible_names(page)) == len(names)
    for name in (names[0], names[len(names) // 2], "Westmorland and Furness"):
        page.fill("#council-name", "")
        page.locator("#council-name").type(name[:5])
        expected = [n for n in names if name[:5].lower() in n.lower()]
        assert visible_names(page) == expected and name in expected
        assert page.locator("#council-count").text_content() == f"Showing {len(expected)} of {len(names)} councils."
    page.fill("#council-name", "")
    page.locator("#council-name").type("N")
    assert len(visible_names(page)) < len(names)  # one keystroke already narrows the table
    assert opened.outside == [] and opened.errors == []


def test_region_grade_and_trust_filters_and_sorting_by_rate(visit):
    page = visit("councils.html").page
    regions = {r["la_name"]: r["region_name"] for r in read_csv("local-authorities", "local-authorities")
               if r["status"] == "current"}
    page.select_option("#council-region", "London")
    assert sorted(visible_names(page)) == sorted(n for n, region in regions.items() if region == "London")
    page.select_option("#council-region", "")
    page.select_option("#council-trust", "Yes")
    trusts = page.locator("#council-table tbody tr:not([hidden]) td:nth-child(5)").all_text_contents()
    assert trusts and set(trusts) == {"Yes"}
    page.select_option("#council-trust", "")
    header = page.locator("#council-table thead th").nth(3)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    rates = page.locator("#council-table tbody tr td:nth-child(4)").evaluate_all(
        "cells => cells.map(c => c.dataset.value).filter(v => v !== '').map(Number)")
    assert rates == sorted(rates) and len(rates) > 100
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"


def test_without_javascript_the_index_is_a_plain_table_of_every_council(visit):
    page = visit("councils.html", javascript=False).page
    assert len(visible_names(page)) == len(councils())
    assert page.locator("#council-filters").is_hidden()


def test_site_search_finds_a_council_page(visit):
    page = visit("search.html?q=Hartlepool").page
    page.wait_for_selector("#search-results li a", timeout=15000)
    hrefs = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.pathname)")
    assert any(re.search(r"/council-hartlepool(\.html)?$", h) for h in hrefs)


def test_council_charts_draw_and_export_as_svg_and_png_in_the_browser(visit):
    opened = visit("council-cumberland.html")
    page = opened.page
    charts = page.locator("div.chart").count()
    assert charts == 4
    page.wait_for_function("n => document.querySelectorAll('div.chart .chart-live svg').length === n",
                           arg=charts, timeout=15000)
    figure = page.locator("figure.report-figure").first
    label = figure.get_attribute("id")
    button = figure.locator("button[data-export='svg']")
    button.wait_for(state="visible", timeout=5000)
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == f"{label}.svg"
    svg = open(info.value.path(), encoding="utf-8").read()
    assert svg.startswith("<svg") and "Cumberland" in svg
    strip = " ".join(re.sub(r"<[^>]+>", " ", svg.split('class="provenance"')[1]).split())
    assert "Source:" in strip and "Open Government Licence" in strip and f"council-cumberland.html#{label}" in strip
    assert svg.count("@font-face{font-family:\"Fira Sans\"") >= 1  # the text's font travels with it
    with page.expect_download() as info:
        figure.locator("button[data-export='png']").click()
    assert info.value.suggested_filename == f"{label}.png"
    png = open(info.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    text = png_text(png)
    assert text["URL"].endswith(f"council-cumberland.html#{label}") and "Open Government Licence" in text["Copyright"]
    assert text["Source"].startswith("Source:") and text["Title"]
    with page.expect_download() as info:
        figure.locator(f"a[download='{label}.csv']").click()
    rows = open(info.value.path(), encoding="utf-8").read().splitlines()
    shown = figure.locator("details.chart-table tbody tr").count()
    assert info.value.suggested_filename == f"{label}.csv" and len(rows) == shown + 1
    assert opened.outside == [] and opened.errors == []


def test_without_javascript_a_council_page_says_its_charts_need_it_and_keeps_the_tables(visit):
    page = visit("council-cumberland.html", javascript=False).page
    assert page.locator("noscript").count() == 4 or "drawn in the browser" in page.content()
    assert page.locator("figure.report-figure details table").count() >= 4
    assert page.locator("button[data-export]:visible").count() == 0
