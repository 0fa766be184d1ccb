"""The PDF as a reader meets it: near-empty pages, unresolved references, raw values, stray markup, overfull lines."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CM = 72 / 2.54
# The body area of templates/book.typ (`#set page(margin: ...)`): running heads sit above it, folios below.
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2.3 * CM, 2.6 * CM, 2.4 * CM
MIN_FILL = 0.40   # a page other than a chapter's last that is fuller than this reads as intended
MIN_LAST_FILL = 0.10  # a chapter's last page (after its first) carries more than a stray line or two
OVERRUN = 1.5     # points past the margin before a line counts as overfull
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
UNRESOLVED = [(re.compile(r"\?\?"), '"??"'), (re.compile(r"\([\w:.-]+\?\)"), "a citation with no entry"),
              (re.compile(r"@(?:fig|sec|tbl)-[\w-]+"), "a raw cross-reference")]
RAW_VALUES = [(re.compile(r"notspecified", re.I), '"notspecified"'),
              (re.compile(r"\bNone\b(?!\s+[a-z])"), '"None"'), (re.compile(r"\b(?:nan|NaN)\b"), '"nan"')]
MARKUP = [(re.compile(r"`"), "a literal backtick"), (re.compile(r"\*\*"), 'a literal "**"')]


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int  # as the PDF viewer counts, from 1
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    @property
    def has_running_head(self) -> bool:
        """A chapter's first page (and the front matter) prints no running head above the body."""
        return any(w.y1 < MARGIN_TOP for w in self.words)

    @property
    def fill(self) -> float:
        """How far down the body area the page's lowest line reaches (charts end in their source line)."""
        bottom = self.height - MARGIN_BOTTOM
        body = [w.y1 for w in self.words if w.y1 >= MARGIN_TOP and w.y0 < bottom]
        return (max(body, default=MARGIN_TOP) - MARGIN_TOP) / (bottom - MARGIN_TOP)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def read_pages(pdf: Path) -> list[Page]:
    """Every word of every page with its box (pdftotext -bbox, poppler)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for number, (width, height, body) in enumerate(PAGE.findall(out), start=1):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in WORD.findall(body)]
        pages.append(Page(number, float(width), float(height), words))
    return pages


def problems(pdf: Path) -> list[str]:
    """What a reader would notice, one line per finding naming the PDF page."""
    pages = read_pages(pdf)
    return underfull_pages(pages) + short_chapter_ends(pages) + text_problems(pages) + overfull_lines(pages)


def underfull_pages(pages: list[Page]) -> list[str]:
    """A page under MIN_FILL that is followed by more of the same chapter (a page with a running head)."""
    found = []
    for page, after in zip(pages, pages[1:]):
        if after.has_running_head and page.fill < MIN_FILL:
            found.append(f"page {page.number}: only {page.fill:.0%} full, but its chapter goes on overleaf")
    return found


def short_chapter_ends(pages: list[Page]) -> list[str]:
    """A chapter that runs onto a page of its own for its last line or two (MIN_LAST_FILL): the next page
    starts a chapter (no running head) or there is none. A one-page chapter is never short."""
    found = []
    for page, after in zip(pages, pages[1:] + [None]):
        ends_chapter = after is None or not after.has_running_head
        if ends_chapter and page.has_running_head and page.fill < MIN_LAST_FILL:
            found.append(f"page {page.number}: the chapter ends with only {page.fill:.0%} of a page; "
                         "pull its last lines back (figure spacing, placement) so it does not end nearly empty")
    return found


def text_problems(pages: list[Page]) -> list[str]:
    found = []
    for page in pages:
        for patterns in (UNRESOLVED, RAW_VALUES, MARKUP):
            for pattern, what in patterns:
                hit = pattern.search(page.text)
                if hit:
                    found.append(f"page {page.number}: {what} in {_around(page.text, hit)!r}")
    return found


def overfull_lines(pages: list[Page]) -> list[str]:
    found = []
    for page in pages:
        over = [w for w in page.words if w.x1 > page.width - MARGIN_X + OVERRUN or w.x0 < MARGIN_X - OVERRUN]
        if over:
            found.append(f"page {page.number}: overfull line, {over[0].text!r} runs into the margin")
    return found


def _around(text: str, hit: re.Match) -> str:
    return text[max(0, hit.start() - 30):hit.end() + 30]
