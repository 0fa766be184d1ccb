"""The site served under a sub-path, as on a static host's project site: every page loads its stylesheet and
font, and every link, script and image on it names a file that exists; a missing deep address gets the 404
page, styled, with working links. Then the body font's zero, drawn by Chromium from the shipped file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from report.builder.attribution import root_path, site_url
from report.fonts import FAMILY
from report.project import Project
from tests.conftest import QuietHandler, serve

pytestmark = pytest.mark.slow
SUB_PATH = "/sub/path/"
LINKS = """() => [...document.querySelectorAll('[href], [src], form[action]')].map(e => {
  const name = e.tagName === 'FORM' ? 'action' : e.hasAttribute('href') ? 'href' : 'src';
  return new URL(e.getAttribute(name), document.baseURI).href; })"""
STYLED = f"""() => getComputedStyle(document.body).fontFamily.startsWith('"{FAMILY}"')
  && [...document.styleSheets].some(s => s.href && s.href.endsWith('/assets/site.css') && s.cssRules.length > 0)"""


class MountedSite(QuietHandler):
    """Serves the site's folder under each of `mounts` and answers any other address with 404.html and a 404."""

    mounts: tuple[str, ...] = ()

    def do_GET(self):
        self._answer(super().do_GET)

    def do_HEAD(self):
        self._answer(super().do_HEAD)

    def _answer(self, serve):
        path = unquote(urlsplit(self.path).path)
        mount = next((m for m in self.mounts if path.startswith(m)), None)
        rest = path[len(mount):] if mount else ""
        target = Path(self.directory) / rest
        if mount is not None and (target.is_file() or (target / "index.html").is_file()):
            self.path = "/" + rest
            return serve()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_under(folder: Path, mounts: tuple[str, ...]):
    return serve(folder, type("Mounted", (MountedSite,), {"mounts": mounts}))


@pytest.fixture(scope="module")
def mounted(built):
    """The site under /sub/path/ and under its site-url's path ("/" without one): the 404 page's links are
    made from that path, every other page's links are relative and must work under any path."""
    project = Project(built)
    root = root_path(site_url(project.book, project.config))
    mounts = tuple(sorted({SUB_PATH, root}, key=len, reverse=True))
    with serve_under(built / "_site", mounts) as url:
        yield url, root


def load(browser, url: str, javascript: bool = False):
    """Open `url`; returns the page, its context and every response's (status, url)."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append((r.status, r.url)))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, context, responses


def broken_links(page, site: Path, server: str, mount: str) -> list[str]:
    """Same-site links of the page that do not name a file of the site under `mount`."""
    broken = []
    here = urlsplit(page.url)._replace(fragment="").geturl()
    for link in page.evaluate(LINKS):
        parts = urlsplit(link)
        if f"{parts.scheme}://{parts.netloc}" != server or parts._replace(fragment="").geturl() == here:
            continue  # mailto:, data:, other sites' addresses and anchors on the page itself (#main)
        path = unquote(parts.path)
        rest = path[len(mount):] if path.startswith(mount) else None
        if rest is None or not ((site / rest).is_file() or (site / rest / "index.html").is_file()):
            broken.append(link)
    return broken


def test_every_page_under_a_sub_path_loads_its_styles_and_every_link_resolves(built, browser, mounted):
    server, _ = mounted
    site = built / "_site"
    problems = {}
    for name in sorted(p.name for p in site.glob("*.html") if p.name != "404.html"):
        page, context, responses = load(browser, f"{server}{SUB_PATH}{name}")
        failed = [f"{status} {url}" for status, url in responses if status >= 400]
        found = failed + broken_links(page, site, server, SUB_PATH) + ([] if page.evaluate(STYLED) else ["unstyled"])
        if found:
            problems[name] = found[:5]
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("missing", ["missing.html", "missing/deep/page.html"])
def test_a_missing_deep_address_gets_the_404_page_styled_with_working_links(built, browser, mounted, missing):
    server, root = mounted
    page, context, responses = load(browser, f"{server}{root}{missing}")
    assert responses[0][0] == 404 and page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate(STYLED), "the 404 page's stylesheet did not load"
    assert [r for r in responses[1:] if r[0] >= 400] == []
    assert broken_links(page, built / "_site", server, root) == []
    page.locator("main a", has_text="summary").click()
    page.wait_for_load_state("load")
    assert page.url == f"{server}{root}index.html" and page.evaluate(STYLED)
    context.close()


GLYPH_INK = """async ([family, text]) => {
  await document.fonts.load(`400 200px "${family}"`, text);
  const canvas = document.createElement('canvas'); canvas.width = 300; canvas.height = 300;
  const ctx = canvas.getContext('2d'); ctx.font = `400 200px "${family}"`; ctx.fillText(text, 40, 240);
  const box = ctx.measureText(text);
  const x = Math.round(40 + (box.actualBoundingBoxRight - box.actualBoundingBoxLeft) / 2);
  const y = Math.round(240 - (box.actualBoundingBoxAscent - box.actualBoundingBoxDescent) / 2);
  const pixels = ctx.getImageData(x - 4, y - 4, 9, 9).data;
  let ink = 0; for (let i = 3; i < pixels.length; i += 4) ink += pixels[i];
  const faces = [...document.fonts].filter(f => f.family.replaceAll('"', '') === family && f.status === 'loaded');
  return {ink, loaded: faces.length};
}"""


def test_the_shipped_body_font_draws_a_zero_with_nothing_through_its_middle(browser, mounted):
    server, _ = mounted
    page, context, _ = load(browser, f"{server}{SUB_PATH}index.html", javascript=True)
    zero = page.evaluate(GLYPH_INK, [FAMILY, "0"])
    slashed = page.evaluate(GLYPH_INK, [FAMILY, "Ø"])  # the control: a slash through the middle
    context.close()
    assert zero["loaded"] >= 1, f"no {FAMILY} face loaded from the site"
    assert zero["ink"] == 0 and slashed["ink"] > 0, (zero, slashed)
