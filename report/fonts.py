"""The one font family used everywhere: body text, chart text (vl-convert), the PDF (Typst) and the site."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible

FAMILY = "Atkinson Hyperlegible"


def font_dir() -> Path:
    return Path(fontpkg_atkinson_hyperlegible.__file__).parent / "files"


def font_files() -> list[Path]:
    return sorted(font_dir().glob("*.ttf"))


@cache
def register_with_vl_convert() -> None:
    """vl-convert must know the files, or its SVGs name a font Typst substitutes with a serif."""
    import vl_convert

    vl_convert.register_font_directory(str(font_dir()))
