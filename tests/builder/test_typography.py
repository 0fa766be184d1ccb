"""An apostrophe after a digit stays an apostrophe in the PDF (Typst would print a prime the font lacks)."""

from __future__ import annotations

import subprocess

from report.builder.convert import run_pandoc
from report.builder.pdf import write_pdf
from report.fonts import FAMILY
from tests.conftest import ROOT, require_tool

META = {"title": "t", "subtitle": "s", "author": "a", "date": "2026-01-01", "edition": "e", "short_title": "t",
        "packages": []}


def test_apostrophe_after_a_year_is_printed_in_the_house_font(tmp_path):
    require_tool("pdffonts", "poppler-utils")
    body = run_pandoc("# Money\n\nLines that 2011-12's total did not hold.\n", "typst", ROOT, None, {})
    pdf = write_pdf(body, {}, META, tmp_path / "work", tmp_path / "t.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "2011-12’s" in text and "′" not in text
    assert {line.split()[0].split("+")[-1].split("-")[0] for line in fonts.splitlines()[2:]} == {FAMILY.replace(" ", "")}
