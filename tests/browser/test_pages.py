"""Every page in headless Chromium: charts draw, no console errors, nothing requested off 127.0.0.1."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def site_pages(built) -> list[str]:
    manifest = json.loads((built / "_site" / "build-manifest.json").read_text())
    return ["index.html"] + [f"{c['name']}.html" for c in manifest["chapters"][1:]]


def test_every_chart_draws_interactively_and_nothing_leaves_the_machine(built, visit):
    for path in site_pages(built):
        page = visit(path)
        containers = page.page.locator("div.chart").count()
        page.page.wait_for_function(
            "n => document.querySelectorAll('div.chart .chart-live svg').length === n", arg=containers,
            timeout=15000)
        assert page.outside == [], f"{path} requested {page.outside}"
        assert page.errors == [], f"{path} console errors: {page.errors}"


def test_charts_are_visible_without_javascript(built, visit):
    page = visit("rising-demand.html", javascript=False)
    assert page.page.locator("div.chart .chart-static svg").count() == page.page.locator("div.chart").count() > 0
