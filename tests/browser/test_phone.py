"""The phone layout at 390 x 844 on every chapter and three council pages (and the councils index): the heading
starts in the first 30% of the screen, the header takes at most a quarter, the page never scrolls sideways,
every table column can be scrolled into view with the first column kept in sight, the menus work without
JavaScript; at 1366 x 768 the chapter list shows without a click and the heading is no lower than before.
axe finds nothing at either width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import PageVisit
from tests.browser.test_pages import axe_script

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
COUNCILS = ["councils.html", "council-hartlepool.html", "council-birmingham.html", "council-isles-of-scilly.html"]
# Where the main heading started at 1366 x 768 before the phone layout (measured on commit 0307d6f): a chapter's
# at y = 88, a council page's at y = 119 (its "All councils" link comes first). At 390 x 844 they were at
# y = 723 and 754, under a 192 px header and the whole chapter list.
DESKTOP_H1_BEFORE = {"chapter": 88.0, "council": 119.0}

MEASURE = """() => { window.scrollTo(0, 0);
  const h1 = document.querySelector('main h1'), header = document.querySelector('.site-header');
  return {h1: h1.getBoundingClientRect().top, header: header.getBoundingClientRect().height,
          width: document.scrollingElement.scrollWidth, inner: window.innerWidth}; }"""

# Each table: scroll its row into view, scroll its wrapper to the end, then check the last column lies inside
# the wrapper and the viewport, and the first column is still where it was and drawn on top.
TABLES = """() => [...document.querySelectorAll('main table')].map((table, i) => {
  const name = (table.caption ? table.caption.textContent : 'table ' + i).trim().slice(0, 60);
  const wrap = table.closest('.table-scroll');
  if (!wrap) return {name, problems: ['no .table-scroll wrapper']};
  const problems = [];
  const labelled = wrap.hasAttribute('aria-label') || wrap.hasAttribute('aria-labelledby');
  if (wrap.getAttribute('role') !== 'region' || wrap.tabIndex !== 0 || !labelled)
    problems.push('wrapper is not a named, focusable region');
  const row = table.tBodies.length && table.tBodies[0].rows.length ? table.tBodies[0].rows[0] : table.rows[0];
  row.scrollIntoView({block: 'center'});
  wrap.scrollLeft = 0;
  const first = row.cells[0], last = row.cells[row.cells.length - 1];
  const before = first.getBoundingClientRect().left;
  wrap.scrollLeft = wrap.scrollWidth;
  const box = wrap.getBoundingClientRect(), f = first.getBoundingClientRect(), l = last.getBoundingClientRect();
  if (l.right > Math.min(box.right, window.innerWidth) + 1 || l.left < box.left - 1)
    problems.push(`last column at ${Math.round(l.left)}..${Math.round(l.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
  if (Math.abs(f.left - before) > 1 || f.left < box.left - 1) problems.push(`first column moved to ${Math.round(f.left)}`);
  const hit = document.elementFromPoint(f.left + 4, f.top + Math.min(f.height / 2, 10));
  if (!hit || hit.closest('td, th') !== first) problems.push('first column is covered while scrolled');
  wrap.scrollLeft = 0;
  return {name, scrolls: wrap.scrollWidth > wrap.clientWidth, problems};
})"""

OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def phone_pages(site: Path) -> list[tuple[str, str]]:
    manifest = json.loads((site / "build-manifest.json").read_text(encoding="utf-8"))
    chapters = [("chapter", "index.html" if i == 0 else f"{c['name']}.html") for i, c in enumerate(manifest["chapters"])]
    return chapters + [("council", name) for name in COUNCILS]


def axe(page) -> list[str]:
    page.evaluate(Path(axe_script()).read_text(encoding="utf-8") + "\n;0")  # the CSP refuses inline <script>
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def opened(browser, server, path: str, viewport: dict, javascript: bool = True) -> PageVisit:
    visit = PageVisit(browser, f"{server}/{path}", javascript, viewport)
    visit.page.evaluate("document.fonts.ready.then(() => true)")
    return visit


@pytest.fixture(scope="module")
def phone(built, browser, server) -> dict[str, dict]:
    """Each page at 390 x 844: its measures, its menus closed, then every <details> open: tables and axe."""
    found = {}
    for kind, path in phone_pages(built / "_site"):
        visit = opened(browser, server, path, PHONE)
        page = visit.page
        report = page.evaluate(MEASURE) | {"kind": kind}
        report["menus_closed"] = page.locator("details.menu:not([open])").count() == page.locator("details.menu").count() > 0
        page.evaluate(OPEN_ALL)
        report["tables"] = page.evaluate(TABLES)
        report["violations"] = axe(page)
        report["errors"] = list(visit.errors)
        found[path] = report
        visit.close()
    return found


@pytest.fixture(scope="module")
def desktop(built, browser, server) -> dict[str, dict]:
    """Each page at 1366 x 768, untouched: where the heading is, whether every chapter link shows, axe."""
    found = {}
    for kind, path in phone_pages(built / "_site"):
        visit = opened(browser, server, path, DESKTOP)
        page = visit.page
        report = page.evaluate(MEASURE) | {"kind": kind}
        report["links"] = page.locator(".sidebar a").count()
        report["visible_links"] = sum(link.is_visible() for link in page.locator(".sidebar a").all())
        report["toc_visible"] = page.locator("#TOC a").count() == sum(a.is_visible() for a in page.locator("#TOC a").all())
        report["violations"] = axe(page)
        found[path] = report
        visit.close()
    return found


def test_the_heading_starts_in_the_first_30_percent_under_a_header_of_at_most_a_quarter(phone):
    assert len(phone) >= 13 + 3
    late = {path: round(r["h1"]) for path, r in phone.items() if r["h1"] > 0.3 * PHONE["height"]}
    tall = {path: round(r["header"]) for path, r in phone.items() if r["header"] > 0.25 * PHONE["height"]}
    assert late == {} and tall == {}
    assert all(r["menus_closed"] for r in phone.values())


def test_no_page_scrolls_sideways_on_a_phone(phone):
    wide = {path: r["width"] for path, r in phone.items() if r["width"] > r["inner"]}
    assert wide == {}
    assert all(r["inner"] == PHONE["width"] for r in phone.values())


def test_every_table_column_can_be_scrolled_into_view_with_the_first_column_kept(phone):
    tables = [t for r in phone.values() for t in r["tables"]]
    assert len(tables) > 10
    assert any(t["scrolls"] for t in tables)  # the check is not vacuous: some tables are wider than a phone
    problems = {f"{path}: {t['name']}": t["problems"] for path, r in phone.items() for t in r["tables"] if t["problems"]}
    assert problems == {}


def test_axe_finds_nothing_at_390_px_with_every_menu_and_table_open(phone):
    found = {path: r["violations"] for path, r in phone.items() if r["violations"]}
    assert found == {}
    assert {path: r["errors"] for path, r in phone.items() if r["errors"]} == {}


def test_on_a_desktop_the_chapter_list_shows_and_the_heading_is_no_lower_than_before(desktop):
    hidden = {path: f"{r['visible_links']} of {r['links']}" for path, r in desktop.items()
              if r["links"] == 0 or r["visible_links"] != r["links"]}
    assert hidden == {}
    lower = {path: r["h1"] for path, r in desktop.items() if r["h1"] > DESKTOP_H1_BEFORE[r["kind"]] + 0.5}
    assert lower == {}
    assert all(r["toc_visible"] for r in desktop.values())
    assert {path: r["violations"] for path, r in desktop.items() if r["violations"]} == {}


def test_long_chapters_list_their_sections_and_short_ones_do_not(built):
    site = built / "_site"
    for path in [path for kind, path in phone_pages(site) if kind == "chapter"]:
        text = (site / path).read_text(encoding="utf-8")
        main = text[text.index("<main"):text.index("</main>")]
        sections = main.count("<h2")
        assert ('<nav id="TOC"' in main) == (sections >= 3), path
        if sections >= 3:
            toc = main[main.index('<nav id="TOC"'):main.index("</nav>", main.index('<nav id="TOC"'))]
            assert toc.count("<li>") == sections and 'summary id="toc-title">On this page</summary>' in toc
            assert main.index("</h1>") < main.index('<nav id="TOC"')


def test_the_menus_work_without_javascript(browser, server):
    visit = opened(browser, server, "money.html", PHONE, javascript=False)
    page = visit.page
    assert not page.locator(".sidebar a").first.is_visible()
    page.locator(".sidebar summary").click()
    assert page.locator(".sidebar a").count() == sum(a.is_visible() for a in page.locator(".sidebar a").all()) > 10
    page.locator("#TOC summary").click()
    page.locator("#TOC a").first.click()
    assert page.evaluate("location.hash") == page.locator("#TOC a").first.get_attribute("href")
    visit.close()
    visit = opened(browser, server, "money.html", DESKTOP, javascript=False)
    assert visit.page.locator(".sidebar a").count() == sum(a.is_visible() for a in visit.page.locator(".sidebar a").all())
    assert not visit.page.locator(".sidebar summary").is_visible()
    visit.close()
