"""The one font family used everywhere: body text, chart text (vl-convert), the PDF (Typst) and the site.

Fira Sans (SIL Open Font License, from PyPI's fontpkg-fira-sans): a humanist sans made for small screens,
with a plain zero (Atkinson Hyperlegible's slashed zero read as "2Ø16" in prose), a tailed l and distinct
I and 1. The PDF and the charts use the package's TTFs; the site serves the four faces it uses as WOFF2 cut
to the Latin and punctuation ranges (the TTFs cover Greek and Cyrillic too, ten times the bytes)."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

import fontpkg_fira_sans

FAMILY = "Fira Sans"
FACES = ("Regular", "Bold", "Italic", "BoldItalic")  # the faces site.css declares
# Latin-1, Latin Extended-A, general punctuation, currency, letterlike symbols, arrows, maths operators.
WEB_RANGES = ((0x20, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF),
              (0x2200, 0x22FF))
WEB_FORMAT = 2  # bump when the cut changes, so cached web fonts are made again


def font_dir() -> Path:
    return Path(fontpkg_fira_sans.__file__).parent / "files"


def font_files() -> list[Path]:
    """The TTFs of the faces the site and the PDF use."""
    return [font_dir() / f"FiraSans-{face}.ttf" for face in FACES]


def web_fonts(folder: Path, cache_dir: Path | None = None) -> list[Path]:
    """Write each face as a Latin WOFF2 (FiraSans-Regular.woff2, ...) into `folder`; cutting one takes
    seconds, so they are kept in `cache_dir` keyed by the font's bytes and the cut."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in font_files():
        data = web_font(source, cache_dir)
        target = folder / f"{source.stem}.woff2"
        target.write_bytes(data)
        written.append(target)
    return written


def web_font(source: Path, cache_dir: Path | None) -> bytes:
    import fontTools

    key = hashlib.sha256(source.read_bytes() + repr((WEB_RANGES, WEB_FORMAT, fontTools.version)).encode()).hexdigest()
    cached = Path(cache_dir) / "fonts" / f"{source.stem}-{key[:16]}.woff2" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data = cut(source)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.with_suffix(".tmp").write_bytes(data)
        cached.with_suffix(".tmp").replace(cached)
    return data


def cut(source: Path) -> bytes:
    """The font cut to WEB_RANGES (kerning, ligatures and figure styles kept; hinting dropped), as WOFF2.
    fontTools is imported here, not at the top: the chapters' kernels import this module for FAMILY."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every build
    options = subset.Options()
    options.flavor, options.hinting = "woff2", False
    options.layout_features = [*options.layout_features, "tnum", "lnum", "onum", "pnum"]
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=[c for start, end in WEB_RANGES for c in range(start, end + 1)])
    cutter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer)
    return buffer.getvalue()


@cache
def register_with_vl_convert() -> None:
    """vl-convert must know the files, or its SVGs name a font Typst substitutes with a serif."""
    import vl_convert

    vl_convert.register_font_directory(str(font_dir()))
