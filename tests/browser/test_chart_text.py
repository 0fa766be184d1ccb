"""Chart text as a reader sees it: at 390 x 844 (a phone) every chart on every chapter page and on three
council pages has no text under 11 px as rendered (font size times the drawing's scale on screen), no chart
is wider than its container and the page does not scroll sideways; turned on its side, the charts are laid
out again; at 1366 px the desktop form is drawn, as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import PageVisit

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
COUNCILS = ["council-hartlepool.html", "council-birmingham.html", "council-bournemouth-christchurch-and-poole.html"]
LEAST = 11

# The smallest visible text of each drawn chart (px on screen), each chart's drawn width over its container's,
# which form each chart drew, and how far the page scrolls sideways.
MEASURE = """() => {
  const charts = [...document.querySelectorAll("div.chart")].map(container => {
    const svg = container.querySelector(".chart-live svg");
    const sizes = [...svg.querySelectorAll("text")].filter(text => {
      const style = getComputedStyle(text);
      return text.textContent.trim() && style.visibility !== "hidden" && style.display !== "none" &&
             Number(style.opacity) > 0 && Number(text.getAttribute("opacity") ?? 1) > 0 &&
             Number(getComputedStyle(text.parentNode).opacity) > 0;
    }).map(text => {
      const ctm = text.getScreenCTM();
      return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
    });
    return {id: container.id, smallest: Math.min(...sizes), texts: sizes.length,
            width: svg.getBoundingClientRect().width, room: container.clientWidth,
            form: container.chartForm ? container.chartForm.className : ""};
  });
  return {charts, overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def pages(site: Path) -> list[str]:
    """Every page but the council pages, and three council pages."""
    return sorted(p.name for p in site.glob("*.html")  # 404.html links from site-url's path: test_subpath.py
                  if not p.name.startswith("council-") and p.name != "404.html") + COUNCILS


def drawn(page, size: dict) -> dict:
    """The page at `size` once every chart has drawn the form chosen for that width."""
    page.set_viewport_size(size)
    page.wait_for_function("""() => [...document.querySelectorAll('div.chart')].every(c =>
        c.chartForm && c.vegaView && c.querySelector('.chart-live svg') &&
        c.classList.contains('chart-interactive') &&
        (c.querySelector('script.chart-spec-narrow') === null ||
         (c.clientWidth < 600) === (c.chartForm.className === 'chart-spec-narrow')))""", timeout=20000)
    page.wait_for_timeout(100)  # the view swapped in on the frame after its run
    return page.evaluate(MEASURE)


@pytest.fixture(scope="module")
def measured(built, browser, server) -> dict[str, dict]:
    """Each page opened at phone size, measured, turned to landscape, back, then at desktop size."""
    found = {}
    for path in pages(built / "_site"):
        visit = PageVisit(browser, f"{server}/{path}")
        visit.page.set_viewport_size(PHONE)
        phone = drawn(visit.page, PHONE)
        landscape = drawn(visit.page, {"width": PHONE["height"], "height": PHONE["width"]})
        again = drawn(visit.page, PHONE)
        desktop = drawn(visit.page, DESKTOP)
        found[path] = {"phone": phone, "landscape": landscape, "again": again, "desktop": desktop,
                       "errors": list(visit.errors)}
        visit.close()
    return found


def smallest(report: dict) -> float:
    return min((c["smallest"] for c in report["charts"]), default=float("inf"))


def test_every_chart_has_no_text_under_11_px_on_a_phone(measured):
    charts = sum(len(m["phone"]["charts"]) for m in measured.values())
    assert charts >= 18, f"only {charts} charts measured"
    for path, m in ((p, m) for p, m in measured.items() if m["phone"]["charts"]):
        print(f"{path}: {len(m['phone']['charts'])} charts, smallest text {smallest(m['phone']):.1f} px at 390 px, "
              f"{smallest(m['desktop']):.1f} px at 1366 px")
    small = {f"{path} {c['id']}": round(c["smallest"], 1) for path, m in measured.items()
             for c in m["phone"]["charts"] if c["smallest"] < LEAST}
    assert small == {}, f"chart text under {LEAST} px at 390 px: {small}"
    assert all(c["texts"] > 0 for m in measured.values() for c in m["phone"]["charts"])


def test_no_chart_is_wider_than_its_container_nor_the_page_than_the_phone(measured):
    for path, m in measured.items():
        for size in ("phone", "landscape", "again"):
            assert m[size]["overflow"] <= 0, f"{path} scrolls {m[size]['overflow']} px sideways ({size})"
            wide = [c["id"] for c in m[size]["charts"] if c["width"] > c["room"] + 0.5]
            assert wide == [], f"{path}: charts wider than their container ({size}): {wide}"


def test_phone_form_on_a_phone_desktop_form_on_a_desktop_and_relaid_on_rotation(measured):
    """(`drawn` waited for each chart's form to match its container's width at every size.)"""
    for path, m in measured.items():
        assert {c["form"] for c in m["phone"]["charts"]} <= {"chart-spec-narrow"}, path
        assert {c["form"] for c in m["again"]["charts"]} <= {"chart-spec-narrow"}, path
        assert {c["form"] for c in m["desktop"]["charts"]} <= {"chart-spec"}, path
        assert m["errors"] == [], f"{path} console errors: {m['errors']}"
