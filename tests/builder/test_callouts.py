"""Quarto callouts become titled boxes: Quarto's HTML structure on the site, a `#callout` box in the PDF."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser

import pytest

from report.builder.convert import run_pandoc
from report.builder.pdf import write_pdf
from tests.conftest import ROOT, require_tool

CHAPTER = """# Services {#sec-services}

Before the boxes.

::: {.callout-note title="Case study: *Essex* trusts"}
Essex kept its **own** service.

A second paragraph.
:::

::: {.callout-tip}
## What to ask

Ask for the unit cost.
:::

::: callout-warning
Figures for 2020 are provisional.
:::

::: {.callout-important title="Key point"}
Demand rose.
:::

::: {.callout-caution title="Caution"}
Small councils.
:::

::: {.not-a-callout}
An ordinary div.
:::
"""


class Callouts(HTMLParser):
    """Each div.callout: its classes, title text and body text."""

    def __init__(self):
        super().__init__()
        self.found, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        classes = (dict(attrs).get("class") or "").split()
        if "callout" in classes:
            self.found.append({"classes": classes, "title": "", "body": ""})
        role = ("title" if "callout-title-container" in classes else
                "body" if "callout-body-container" in classes else None)
        self.stack.append(role)

    def handle_endtag(self, tag):
        if tag == "div":
            self.stack.pop()

    def handle_data(self, data):
        role = next((r for r in reversed(self.stack) if r), None)
        if role and self.found:
            self.found[-1][role] += data


def html_callouts(markdown: str) -> list[dict]:
    parser = Callouts()
    parser.feed(run_pandoc(markdown, "html5", ROOT, None, {}))
    return [{**c, "title": " ".join(c["title"].split()), "body": " ".join(c["body"].split())}
            for c in parser.found]


def test_site_callouts_use_quartos_structure_and_titles():
    boxes = html_callouts(CHAPTER)
    assert [next(c for c in b["classes"] if c.startswith("callout-") and "style" not in c and c != "callout-titled")
            for b in boxes] == ["callout-note", "callout-tip", "callout-warning", "callout-important",
                                "callout-caution"]
    assert all({"callout", "callout-style-default", "callout-titled"} <= set(b["classes"]) for b in boxes)
    assert [b["title"] for b in boxes] == ["Case study: Essex trusts", "What to ask", "Warning", "Key point",
                                          "Caution"]
    assert boxes[0]["body"] == "Essex kept its own service. A second paragraph."
    assert boxes[1]["body"] == "Ask for the unit cost."


def test_a_heading_used_as_title_is_not_a_numbered_section():
    html = run_pandoc(CHAPTER, "html5", ROOT, None, {})
    assert "<h2" not in html
    assert html.count('class="header-section-number"') == 1  # the chapter's own heading only


def test_typst_source_has_one_titled_box_per_callout():
    typst = run_pandoc(CHAPTER, "typst", ROOT, None, {})
    assert typst.count("#callout(") == 5
    assert '#callout(kind: "note", title: [Case study: #emph[Essex] trusts])[' in typst
    assert '#callout(kind: "tip", title: [What to ask])[' in typst
    assert '#callout(kind: "warning", title: [Warning])[' in typst
    assert "== What to ask" not in typst


@pytest.fixture
def callout_pdf(tmp_path):
    require_tool("pdftotext", "poppler-utils")
    body = run_pandoc(CHAPTER, "typst", ROOT, None, {})
    meta = {"title": "Callout test", "subtitle": "s", "author": "a", "date": "2026-01-01", "edition": "e",
            "short_title": "t", "packages": []}
    pdf = write_pdf(body, {}, meta, tmp_path / "work", tmp_path / "book.pdf")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_prints_each_title_above_its_body(callout_pdf):
    flat = " ".join(callout_pdf.split())
    for title, body in [("Case study: Essex trusts", "Essex kept its own service."),
                        ("What to ask", "Ask for the unit cost."), ("Warning", "Figures for 2020 are provisional."),
                        ("Key point", "Demand rose."), ("Caution", "Small councils.")]:
        assert f"{title} {body}" in flat
    assert "#callout" not in flat and "**" not in flat
