"""The PDF check fails on what a reader would notice: each kind planted in a real Typst book, one at a time."""

from __future__ import annotations

import pytest

from report.builder import pdfcheck
from report.builder.checks import check_pdf
from report.builder.convert import run_pandoc
from report.builder.pdf import write_pdf
from tests.conftest import ROOT, require_tool

PARAGRAPH = ("Councils in England looked after more children on 31 March than a decade before, and the "
             "share placed with independent providers rose in every region. ") * 6
CLEAN = "\n\n".join(["# Demand {#sec-demand}", *[PARAGRAPH] * 3, "# Money {#sec-money}", PARAGRAPH])
BREAK = "```{=typst}\n#pagebreak()\n```"
META = {"title": "Check test", "subtitle": "s", "author": "a", "date": "2026-01-01", "edition": "e",
        "short_title": "Check test", "packages": []}


def book(tmp_path, markdown: str):
    require_tool("pdftotext", "poppler-utils")
    body = run_pandoc(markdown, "typst", ROOT, None, {})
    return write_pdf(body, {}, META, tmp_path / "work", tmp_path / "book.pdf")


def with_paragraph(text: str) -> str:
    """`text` in the last chapter's one page (the first chapter fills its page: more would spill)."""
    return f"{CLEAN}\n\n{text}"


def test_a_clean_book_passes(tmp_path):
    assert pdfcheck.problems(book(tmp_path, CLEAN)) == []


def test_a_near_empty_page_inside_a_chapter_fails(tmp_path):
    markdown = CLEAN.replace(PARAGRAPH, PARAGRAPH[:200] + "\n\n" + BREAK, 1)
    found = pdfcheck.problems(book(tmp_path, markdown))
    assert len(found) == 1 and "full, but its chapter goes on overleaf" in found[0], found


def test_a_chapters_short_last_page_passes(tmp_path):
    pdf = book(tmp_path, CLEAN.replace("# Money", PARAGRAPH[:200] + "\n\n# Money"))
    assert pdfcheck.underfull_pages(pdfcheck.read_pages(pdf)) == []


def test_a_chapter_ending_on_a_nearly_empty_page_fails(tmp_path):
    markdown = CLEAN.replace("# Money", f"{BREAK}\n\nA last line.\n\n# Money")
    found = pdfcheck.problems(book(tmp_path, markdown))
    assert len(found) == 1 and "the chapter ends with only" in found[0], found


def test_a_chapter_whose_last_page_has_a_paragraph_passes(tmp_path):
    markdown = CLEAN.replace("# Money", f"{BREAK}\n\n{PARAGRAPH}\n\n# Money")
    assert pdfcheck.short_chapter_ends(pdfcheck.read_pages(book(tmp_path, markdown))) == []


@pytest.mark.parametrize("planted, kind", [
    ("See Figure ?? for the trend.", '"??"'),
    ("As the review found (smith2016?).", "a citation with no entry"),
    ("Licence: notspecified.", '"notspecified"'),
    ("Publisher: None.", '"None"'),
    ("The rate was nan per 10,000.", '"nan"'),
    ("Use the \\`load\\` helper.", "a literal backtick"),
    ("This is \\*\\*important\\*\\* here.", 'a literal "**"'),
])
def test_each_planted_text_problem_fails(tmp_path, planted, kind):
    found = pdfcheck.problems(book(tmp_path, with_paragraph(planted)))
    assert len(found) == 1 and kind in found[0], found


def test_none_in_prose_is_not_a_raw_value(tmp_path):
    assert pdfcheck.problems(book(tmp_path, with_paragraph("None of the councils said so."))) == []


def test_an_overfull_line_fails(tmp_path):
    wide = "```{=typst}\n#box(width: 17.5cm)[#h(1fr)overrun]\n```"
    found = pdfcheck.problems(book(tmp_path, with_paragraph(wide)))
    assert len(found) == 1 and "overfull line, 'overrun'" in found[0], found


def test_the_builds_pdf_check_reports_the_findings(tmp_path):
    pdf = book(tmp_path, with_paragraph("Licence: notspecified."))
    assert any("notspecified" in problem for problem in check_pdf(pdf, []))
