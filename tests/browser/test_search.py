"""The search page in headless Chromium, for words the whole site uses: a chapter comes first (not an
appendix such as References, not a council page), the council pages are one result whose count is the
number of council pages that hold the word, "Show more" reveals further results, and excerpts come from
the prose, never from a chart's source line."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest

from tests.browser.test_pages import axe_script

pytestmark = pytest.mark.slow

WORDS = ["Ofsted", "trust"]
COUNCIL_STEP = 20  # council pages shown at a time once the group is opened (search.js)
# A source line's own wording: "(data package ofsted-inspections 1.0.0)", "Source: ..."
SOURCE_LINE = re.compile(r"data package [a-z][a-z-]+ \d+\.\d|\bSource: ")


class IndexedText(html.parser.HTMLParser):
    """The text Pagefind indexes: inside `data-pagefind-body`, outside `data-pagefind-ignore`, scripts, SVG."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        names = {name for name, _ in attrs}
        _, inside, ignored = self.stack[-1] if self.stack else ("", False, False)
        self.stack.append((tag, inside or "data-pagefind-body" in names,
                           ignored or "data-pagefind-ignore" in names or tag in ("script", "style", "svg")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2]:
            self.text.append(data)


def indexed_text(path: Path) -> str:
    parser = IndexedText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.text)


def council_pages_with(site: Path, word: str) -> int:
    """How many council pages hold a word beginning with `word` in the text Pagefind indexes."""
    pattern = re.compile(rf"\b{re.escape(word)}", re.I)
    return sum(bool(pattern.search(indexed_text(p))) for p in site.glob("council-*.html"))


def main_chapters(site: Path) -> set[str]:
    """The chapters' file names, appendices left out (their title heading has the class `appendix`)."""
    names = set()
    for path in site.glob("*.html"):
        heading = re.search(r"<h1\b[^>]*>", path.read_text(encoding="utf-8"))
        if heading and 'id="sec-' in heading.group(0) and "appendix" not in heading.group(0):
            names.add(path.name)
    return names


def titles(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("links => links.map(a => a.pathname.split('/').pop() || 'index.html')")


def search(visit, word: str):
    opened = visit(f"search.html?q={word}")
    opened.page.wait_for_selector("#search-results > li", timeout=20000)
    return opened


@pytest.mark.parametrize("word", WORDS)
def test_a_chapter_comes_first_and_council_pages_are_one_counted_result(built, visit, word):
    site = built / "_site"
    opened = search(visit, word)
    page = opened.page
    top = titles(page, "#search-results > li > a.search-title")
    chapters = main_chapters(site)
    assert len(chapters) >= 8, chapters
    assert top[0] in chapters, top[:5]
    assert not [t for t in top if t.startswith("council-")], top
    group = page.locator("#search-results > li.search-group")
    assert group.count() == 1
    expected = council_pages_with(site, word)
    assert expected > COUNCIL_STEP
    assert group.locator("summary").text_content() == f"{expected} council pages mention “{word}”: show them"
    assert "council pages" in page.locator("#search-status").text_content()
    assert opened.outside == [] and opened.errors == []


@pytest.mark.parametrize("word", WORDS)
def test_the_council_group_opens_and_shows_more(built, visit, word):
    expected = council_pages_with(built / "_site", word)
    page = search(visit, word).page
    group = page.locator("#search-results > li.search-group")
    group.locator("summary").click()
    links = group.locator("li a.search-title")
    links.nth(COUNCIL_STEP - 1).wait_for(timeout=10000)
    assert links.count() == COUNCIL_STEP
    assert all(t.startswith("council-") for t in titles(page, ".search-group li a.search-title"))
    group.locator("button").click()
    links.nth(min(2 * COUNCIL_STEP, expected) - 1).wait_for(timeout=10000)
    shown = titles(page, ".search-group li a.search-title")
    assert len(shown) == min(2 * COUNCIL_STEP, expected) and len(set(shown)) == len(shown)
    assert page.evaluate("document.activeElement.pathname.split('/').pop()") == shown[COUNCIL_STEP]


@pytest.mark.parametrize("word", WORDS)
def test_show_more_reveals_further_results(visit, word):
    page = search(visit, word).page
    items = page.locator("#search-results > li")
    before = items.count()
    more = page.locator("#search-more")
    assert before == 10 and more.is_visible(), more.text_content()
    more.click()
    items.nth(before).wait_for(timeout=10000)
    after = titles(page, "#search-results > li > a.search-title")
    assert items.count() > before and len(set(after)) == len(after)
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll("
                         "'#search-results > li')[10]")
    for _ in range(20):
        if not more.is_visible():
            break
        shown = items.count()
        more.click()
        items.nth(shown).wait_for(timeout=10000)
    assert not more.is_visible()  # everything shown: the button goes


@pytest.mark.parametrize("word", WORDS)
def test_excerpts_come_from_the_prose(visit, word):
    page = search(visit, word).page
    page.locator("#search-more").click()
    page.locator(".search-group summary").click()
    page.locator(".search-group li").first.wait_for(timeout=10000)
    excerpts = page.locator("#search-results li > p:not(.search-section)").all_text_contents()
    assert len(excerpts) > 20
    assert [e for e in excerpts if SOURCE_LINE.search(e)] == []
    assert all(word.lower() in e.lower() for e in excerpts), [e for e in excerpts if word.lower() not in e.lower()]


def test_search_results_are_axe_clean_and_fit_a_phone(visit):
    page = search(visit, "Ofsted").page
    page.locator(".search-group summary").click()
    page.locator(".search-group li").first.wait_for(timeout=10000)
    page.evaluate(Path(axe_script()).read_text(encoding="utf-8") + "\n;0")  # not a <script>: the CSP
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
