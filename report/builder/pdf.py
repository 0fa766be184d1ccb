"""The PDF: Pandoc's Typst body inside the book template, compiled by Typst with the house fonts."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from report.fonts import FAMILY, font_dir

TEMPLATE = Path(__file__).parent / "templates" / "book.typ"
BODY_DEFINITIONS = Path(__file__).parent / "templates" / "callout.typ"  # what the filters' Typst calls


class PdfError(Exception):
    """Typst could not compile the book."""


def write_pdf(body: str, charts: dict[str, str], meta: dict, work: Path, output: Path,
              template: Path = TEMPLATE) -> Path:
    """Compile `body` (Typst) with chart SVGs in `work/charts/`; tagged PDF/UA-1, reproducible timestamp.
    `template` is the book's by default (another document passes its own)."""
    import typst

    (work / "charts").mkdir(parents=True, exist_ok=True)
    for label, svg in charts.items():
        (work / "charts" / f"{label}.svg").write_text(svg, encoding="utf-8")
    (work / "callout.typ").write_text(BODY_DEFINITIONS.read_text(encoding="utf-8"), encoding="utf-8")
    (work / "body.typ").write_text('#import "callout.typ": callout\n' + body, encoding="utf-8")
    (work / "book.typ").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    inputs = {"meta": json.dumps({"font": FAMILY, **meta}, ensure_ascii=False)}
    stamp = datetime.fromisoformat(str(meta["date"])).replace(tzinfo=timezone.utc).timestamp()
    try:
        typst.compile(str(work / "book.typ"), output=str(output), root=str(work),
                      font_paths=[str(font_dir())], ignore_system_fonts=True, sys_inputs=inputs,
                      pdf_standards=["ua-1"], pdf_tags=True, timestamp=int(stamp))
    except typst.TypstError as error:  # the compiler's message; anything else (SIGTERM's unwinding) goes on up
        raise PdfError(f"typst could not compile the PDF: {error}") from None
    return output
