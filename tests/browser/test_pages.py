"""Every page in headless Chromium, each opened once: charts draw, no console errors, nothing requested off
127.0.0.1, axe-core finds nothing, nothing scrolls sideways at 320 px; then downloads, search, keyboard."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.conftest import PageVisit

pytestmark = pytest.mark.slow


def axe_script() -> str:
    import axe_playwright_python

    return str(Path(axe_playwright_python.__file__).parent / "axe.min.js")


@dataclass
class PageReport:
    containers: int = 0
    drawn: int = 0
    outside: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    width_at_320: int = 0


# Council pages share one template and one set of chart functions: a sample stands for all of them
# (a unitary council, a trust-run city, a council created by a split, a merger, the smallest council).
SAMPLE_COUNCILS = {"council-hartlepool.html", "council-birmingham.html", "council-cumberland.html",
                   "council-bournemouth-christchurch-and-poole.html", "council-isles-of-scilly.html"}


def site_pages(site: Path) -> list[str]:
    """Every page but the council pages outside the sample (the index, councils.html, is always in), and the
    404 page, which links from site-url's path and is visited there (tests/browser/test_subpath.py)."""
    return sorted(p.name for p in site.glob("*.html") if p.name != "404.html"
                  and (not p.name.startswith("council-") or p.name in SAMPLE_COUNCILS))


@pytest.fixture(scope="module")
def sweep(built, browser, server) -> dict[str, PageReport]:
    """Open every page once: wait for its charts, open its tables, run axe, then narrow it to 320 px."""
    reports = {}
    for path in site_pages(built / "_site"):
        visit = PageVisit(browser, f"{server}/{path}")
        page, report = visit.page, PageReport()
        report.containers = page.locator("div.chart").count()
        try:
            page.wait_for_function("n => document.querySelectorAll('div.chart .chart-live svg').length === n",
                                   arg=report.containers, timeout=15000)
        except Exception:
            pass
        report.drawn = page.locator("div.chart .chart-live svg").count()
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.evaluate(Path(axe_script()).read_text(encoding="utf-8") + "\n;0")  # not a <script>: the CSP refuses inline ones
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        report.violations = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                             for v in result["violations"]]
        page.set_viewport_size({"width": 320, "height": 800})
        report.width_at_320 = page.evaluate("document.documentElement.scrollWidth")
        report.outside, report.errors = list(visit.outside), list(visit.errors)
        reports[path] = report
        visit.close()
    return reports


def test_every_chart_draws_and_nothing_leaves_the_machine(sweep):
    assert sum(r.containers for r in sweep.values()) > 0
    for path, report in sweep.items():
        assert report.drawn == report.containers, f"{path}: {report.drawn} of {report.containers} charts drew"
        assert report.outside == [], f"{path} requested {report.outside}"
        assert report.errors == [], f"{path} console errors: {report.errors}"


def test_axe_finds_nothing_on_any_page(sweep):
    found = {path: r.violations for path, r in sweep.items() if r.violations}
    assert found == {}


def test_no_page_scrolls_sideways_at_320_px(sweep):
    wide = {path: r.width_at_320 for path, r in sweep.items() if r.width_at_320 > 320}
    assert wide == {}


def test_charts_are_visible_without_javascript(built, visit):
    path = chart_page(built)
    page = visit(path, javascript=False)
    assert page.page.locator("div.chart .chart-static svg").count() == page.page.locator("div.chart").count() > 0


def chart_page(built) -> str:
    """The first report page (in file order) that has a chart; council pages have tests of their own
    (tests/browser/test_explorer.py)."""
    return next(p for p in site_pages(built / "_site") if not p.startswith("council")
                and 'class="chart"' in (built / "_site" / p).read_text(encoding="utf-8"))


def test_csv_download_and_table_hold_exactly_the_charts_data(built, visit):
    path = chart_page(built)
    page = visit(path).page
    figure = page.locator("figure.report-figure").first
    with page.expect_download() as info:
        figure.locator("a[href$='.csv']").first.click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    assert len(header) >= 2 and len(set(header)) == len(header)  # what each column holds: tests/charts/test_chart_tables.py
    figure.locator("summary").first.click()
    table = figure.locator("table").first
    cells = table.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert len(cells) == len(body)
    mismatched = [(shown, raw) for row, line in zip(cells, body) for shown, raw in zip(row, line)
                  if not _same(shown, raw)]
    assert mismatched == [] and all(len(row) == len(header) for row in cells)
    assert table.locator("caption").count() == 1
    assert table.locator("thead th[scope='col']").all_text_contents() == header


def _same(shown: str, raw: str) -> bool:
    """A table cell shows the CSV value, perhaps formatted as the chart formats it (1,234 / 5.52 / 12%)."""
    text = shown.replace("\u2212", "-").replace(",", "").strip()
    raw = raw.lstrip("'") if raw[:2] in ("'=", "'+", "'-", "'@") else raw
    try:
        value = float(raw)
    except ValueError:
        return text == raw or shown == raw
    scale = 100 if text.endswith("%") else 1
    digits = text.rstrip("%").partition(".")[2]
    try:
        return abs(float(text.rstrip("%")) - value * scale) <= 0.5 * 10 ** -len(digits) + 1e-9
    except ValueError:
        return False


def test_search_finds_the_one_chapter_with_a_word(built, visit):
    word, expected = word_in_one_chapter(built / "_site")
    opened = visit(f"search.html?q={word}")
    page = opened.page
    page.wait_for_selector("#search-results li a", timeout=15000)
    hrefs = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.pathname)")
    assert f"/{expected}" in [h if h.endswith(".html") else h + "index.html" for h in hrefs]
    assert f"match “{word}”" in page.locator("#search-status").text_content()
    assert opened.outside == [] and opened.errors == []


def word_in_one_chapter(site: Path) -> tuple[str, str]:
    """A long word that appears in the main text of exactly one page, and that page is a chapter."""
    manifest = json.loads((site / "build-manifest.json").read_text())
    chapters = ["index.html"] + [f"{c['name']}.html" for c in manifest["chapters"][1:]]
    pages = [p.name for p in sorted(site.glob("*.html")) if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    words = {}
    for name in pages:
        main = re.search(r"<main[^>]*>(.*?)</main>", (site / name).read_text(encoding="utf-8"), re.S).group(1)
        main = re.sub(r"<script.*?</script>|<svg.*?</svg>|<nav.*?</nav>|<[^>]+>", " ", main, flags=re.S)
        words[name] = {w.lower() for w in re.findall(r"[A-Za-z]{8,}", main)}
    for name in chapters:
        others = set().union(*(words[n] for n in pages if n != name))
        unique = sorted(words[name] - others)
        if unique:
            return unique[0], name
    pytest.fail("no word appears in exactly one chapter")


def test_tab_reaches_every_charts_downloads_and_table_with_visible_focus(built, visit):
    path = chart_page(built)
    page = visit(path).page
    wanted = page.locator(".chart-actions a, .chart-actions button, details.chart-table summary").count()
    assert wanted > 0
    reached, unstyled = set(), []
    for _ in range(page.locator("a, button, input, summary, [tabindex='0']").count() + 5):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {key: e.outerHTML.slice(0, 160), chart: !!e.closest('.chart-actions, details.chart-table'),
                    visible: e === document.body || s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }""")
        if info["chart"]:
            reached.add(info["key"])
        if not info["visible"]:
            unstyled.append(info["key"])
    assert len(reached) == wanted
    assert unstyled == []
