"""The site stage: chart slots filled with caption, chart, linked source, downloads and an escaped table;
then, on the full build, every page's social card, chart files, site-wide pages and the script budget."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from report.builder.assets import js_bytes_ratio
from report.builder.cache import Store
from report.builder.chartdata import ChartTable, Column
from report.builder.convert import Chart
from report.builder.attribution import root_path, site_url
from report.builder.downloads import ChartFiles, Download
from report.builder.site import (SiteError, check_charts, environment, fill_charts, insert_toc, link_across_pages,
                               long_date, wrap_tables)
from report.project import Project

SOURCE = {"package": "pkg", "version": "1.0.0", "title": "Publication <b>",
          "sources": [{"publisher": "Dept A"}, {"publisher": "Dept A"}, {"publisher": "Office B"}]}


def filled(value: str = "<script>alert(1)</script>") -> str:
    spec = {"description": 'Line "chart" <of> things', "usermeta": {"report": {"sources": [SOURCE]}}}
    chart = Chart("fig-x", "Caption", spec, {"marks": [], "note": "</script><!--"}, "<svg></svg>")
    table = ChartTable([Column("name", "Name"), Column("n", "Number", ",", kind="quantitative")],
                       [{"name": value, "n": 12345}])
    files = ChartFiles([table], [Download("charts/fig-x.csv", "CSV data", 1234)], "charts/fig-x.png")
    fragment = ('<figure id="fig-x" class="report-figure">\n<!--report-chart:fig-x-->\n'
                '<figcaption><span class="figure-number">Figure 1.1</span> Caption</figcaption>\n</figure>')
    return fill_charts(fragment, {"fig-x": chart}, {"fig-x": files}, environment())


def test_a_chart_has_caption_first_then_chart_source_downloads_and_table():
    html = filled()
    order = [html.index(s) for s in ("<figcaption>", 'class="chart"', "chart-source", "chart-actions", "<details")]
    assert order == sorted(order)
    assert 'role="img" aria-label="Line &#34;chart&#34; &lt;of&gt; things"' in html
    assert ('Source: Dept A, Office B, Publication &lt;b&gt; (data package '
            '<a href="data.html#package-pkg">pkg 1.0.0</a>).') in html
    assert '<a class="button" href="charts/fig-x.csv" download>CSV data' in html and "(1 KB)" in html
    assert "</script><!--" not in html.split('class="chart-spec">')[1].split("</script>")[0]


def test_table_view_has_caption_column_headers_and_escaped_data():
    html = filled()
    assert "<caption" in html and "Data for Figure 1.1 Caption</caption>" in html
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html) == ["Name", "Number"]
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html and "<script>alert" not in html
    assert '<td class="numeric">12,345</td>' in html


def test_links_to_anchors_on_other_pages_gain_the_page_and_tables_get_a_scroll_region():
    pages = link_across_pages({"a": '<p id="x"></p><a href="#y">', "b": '<p id="y"></p><a href="#x">'},
                              {"a": "a.html", "b": "b.html"})
    assert pages == {"a": '<p id="x"></p><a href="b.html#y">', "b": '<p id="y"></p><a href="a.html#x">'}
    wrapped = wrap_tables("<table><caption>Rates &amp; counts</caption><tr><td>1</td></tr></table>")
    assert wrapped.startswith('<div class="table-scroll" role="region" tabindex="0" aria-label="Rates &amp; counts">')
    assert long_date("2026-11-26") == "26 November 2026"


def test_a_chapter_with_three_sections_gets_quartos_toc_after_its_heading_and_a_shorter_one_none():
    h2 = '<h2 id="s{0}"><span class="header-section-number">1.{0}</span> Part &amp; {0}<a href="#fn1" role="doc-noteref"><sup>1</sup></a></h2>'
    two = '<h1 id="sec-x">X</h1><p>Lede</p>' + h2.format(1) + h2.format(2)
    assert insert_toc(two) == two
    three = insert_toc(two + h2.format(3))
    toc = three[three.index('<nav id="TOC"'):three.index("</nav>")]
    assert three.index("</h1>") < three.index('<nav id="TOC"') < three.index("<p>Lede</p>")
    assert 'role="doc-toc" aria-labelledby="toc-title"' in toc and '<summary id="toc-title">On this page</summary>' in toc
    assert re.findall(r'<li><a href="#(s\d)"><span class="header-section-number">(1\.\d)</span> <span>([^<]*)</span></a></li>', toc) == [
        ("s1", "1.1", "Part &amp; 1"), ("s2", "1.2", "Part &amp; 2"), ("s3", "1.3", "Part &amp; 3")]


def test_accessibility_findings_are_warned_about_or_stop_a_strict_build():
    import altair as alt
    import pandas as pd

    from report.builder.convert import ChapterDoc
    from report.display import CHART_MIME, chart_bundle

    data = pd.DataFrame({"year": [1, 2, 1, 2], "series": ["N", "N", "S", "S"], "n": [1, 2, 3, 4]})
    spec = alt.Chart(data).mark_line().encode(x="year:Q", y="n:Q", color="series:N").to_dict()
    bundle = chart_bundle(spec)
    doc = ChapterDoc("c", "C", "", [Chart("fig-a", "A", spec, bundle[CHART_MIME]["vega"], bundle["image/svg+xml"])])
    said = []
    findings = check_charts([doc], False, said.append)
    assert said == [f"warning: chapter c: chart fig-a: {f.message} (listed in the accessibility statement)"
                    for f in findings]
    assert any("'series' is told apart by colour alone" in line for line in said)
    with pytest.raises(SiteError, match="chapter c: chart fig-a: field 'series'"):
        check_charts([doc], True, said.append)


# The full build (one per session, shared with the other slow tests)

def pages(built):
    return sorted((built / "_site").glob("*.html"))


@pytest.mark.slow
def test_every_page_has_a_social_card_that_exists_and_the_site_wide_pages(built):
    site = built / "_site"
    project = Project(built)
    address = site_url(project.book, project.config)
    names = {p.name for p in pages(built)}
    assert {"data.html", "cite.html", "accessibility.html", "search.html", "404.html"} <= names
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        for prop in ("og:title", "og:description", "og:image", "og:image:alt"):
            assert f'property="{prop}"' in text, f"{page.name} lacks {prop}"
        image = re.search(r'property="og:image" content="([^"]+)"', text).group(1)
        assert image.startswith(address), page.name  # absolute with site-url, relative without
        image = image.removeprefix(address)
        assert (site / image).read_bytes()[:4] == b"\x89PNG", page.name
        charts = re.findall(r'<div class="chart" id="chart-([^"]+)"', text)
        if charts and not page.name.startswith("council-"):  # council charts are drawn in the browser
            assert image == f"charts/{charts[0]}.png"
    root = root_path(address)
    assert f'<link rel="stylesheet" href="{root}assets/site.css">' in (site / "404.html").read_text()
    assert (site / "pagefind" / "pagefind.js").is_file()


@pytest.mark.slow
def test_every_chart_offers_csv_svg_png_and_its_source_links_to_the_data_page(built):
    site = built / "_site"
    data_page = (site / "data.html").read_text(encoding="utf-8")
    labels = []
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        for label in re.findall(r'<div class="chart" id="chart-([^"]+)"', text):
            labels.append(label)
            if page.name.startswith("council-"):  # the CSV is a data: link (tests/builder/test_explorer.py)
                assert f'download="{label}.csv"' in text
            else:
                assert f'href="charts/{label}.csv" download' in text and (site / f"charts/{label}.csv").is_file()
            for ext in ("svg", "png"):
                if page.name.startswith("council-"):  # made in the browser (tests/browser/test_explorer.py)
                    assert f'data-export="{ext}" data-file="{label}.{ext}"' in text
                else:
                    assert f'href="charts/{label}.{ext}" download' in text and (site / f"charts/{label}.{ext}").is_file()
        for package in re.findall(r'data package <a href="data.html#package-([^"]+)"', text):
            assert f'id="package-{package}"' in data_page
    assert labels


@pytest.mark.slow
def test_data_page_lists_every_package_with_the_checksum_of_each_served_file(built):
    site = built / "_site"
    manifest = json.loads((site / "build-manifest.json").read_text())
    data_page = (site / "data.html").read_text(encoding="utf-8")
    cite_page = (site / "cite.html").read_text(encoding="utf-8")
    for package in manifest["packages"]:
        assert f'id="package-{package["name"]}"' in data_page
        assert f'{package["name"]} {package["version"]}' in cite_page
        for csv_file in (site / "data" / package["name"]).glob("*.csv"):
            assert hashlib.sha256(csv_file.read_bytes()).hexdigest() in data_page
    assert manifest["date"] in cite_page


@pytest.mark.slow
def test_chart_pages_load_only_the_small_runtime_deferred_and_under_budget(built):
    site = built / "_site"
    for page in pages(built):
        scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", page.read_text(encoding="utf-8"))
        for src, attributes in scripts:
            assert "defer" in attributes or 'type="module"' in attributes, (page.name, src)
            assert "vega-lite" not in (site / src).read_text(encoding="utf-8")[:2000]
    assert 0 < js_bytes_ratio(site) <= 0.7


def test_print_stylesheet_keeps_text_and_figures_and_drops_navigation_and_buttons():
    from report.builder.site import ASSETS

    css = (ASSETS / "site.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print"):]
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", printed).group(1)
    for selector in (".site-header", ".sidebar", ".pager", ".chart-actions", ".chart-table", ".search-form"):
        assert selector in hidden
    assert ".chart" not in hidden.replace(".chart-actions", "").replace(".chart-table", "")


@pytest.mark.slow
def test_accessibility_statement_lists_exactly_the_charts_with_findings(built):
    import nbformat

    from report.builder.chartcheck import accessibility_findings
    from report.builder.convert import chapter_document
    from report.builder.parse import parse_chapter
    from report.builder.render import ChartRenderer
    from report.project import Project

    charts = []
    with ChartRenderer(built / ".cache") as renderer:
        for path in Project(built).chapter_paths():
            chapter = parse_chapter(path)
            payload = Store(built / ".cache" / "chapters").read(chapter.name)[0]["payload"]
            charts += chapter_document(chapter, nbformat.from_dict(payload)).charts
        for chart in charts:
            chart.add_views(renderer.views(chart.vegalite))
    flagged = {chart.label for chart in charts if accessibility_findings(chart, "")}
    statement = (built / "_site" / "accessibility.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'<li><a href="[^"#]+#(fig-[^"]+)">', statement))
    assert charts and listed == flagged
