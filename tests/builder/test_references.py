"""References: one British author-date style (templates/references.csl) in the site and the PDF, with
"accessed <date>" after the address of every entry that records when its page was read."""

from __future__ import annotations

import pytest

from report.builder.convert import run_pandoc
from tests.conftest import ROOT

BIB = """
@online{trust2020, author = {{Community Care}}, title = {Trust Takes over Services}, date = {2020-11-08},
  url = {https://example.org/trust}, urldate = {2026-11-26}}
@report{release2025, author = {{Department for Education}}, title = {Children in Need}, date = {2025},
  institution = {Department for Education}, url = {https://example.org/cin}}
@report{review2016, author = {Vibert, Simone}, title = {What Works?}, institution = {Demos},
  address = {London}, date = {2016-09}}
"""
TEXT = "See [@trust2020; @release2025; @review2016].\n\n::: {#refs}\n:::\n"


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


@pytest.mark.parametrize("to", ["html5", "typst"])
def test_an_entry_with_urldate_shows_when_it_was_accessed(bib, to):
    out = run_pandoc(TEXT, to, ROOT, bib, {})
    assert "(accessed 26 November 2026)" in out
    assert out.count("accessed") == 1  # the entry without urldate prints none


def test_citations_and_entries_are_author_date(bib):
    out = " ".join(run_pandoc(TEXT, "plain", ROOT, bib, {}).split())
    assert "(Community Care 2020; Department for Education 2025; Vibert 2016)" in out
    assert "Vibert, Simone (2016) What Works? London: Demos." in out
    assert "Community Care (2020) ‘Trust Takes over Services’. 8 November." in out
