"""The body font: the files site.css names are the ones shipped, they are the house family (the PDF's and the
charts' too), their zero is the plain one, and the web cut holds every character the pages' text uses."""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

import pytest
from fontTools.ttLib import TTFont

from report.builder.site import ASSETS
from report.fonts import FAMILY, font_files, web_font

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*font-family:\s*\"([^\"]+)\"[^}]*url\(\"([^\"]+)\"\)", re.S)
TEXT = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def declared() -> list[tuple[str, str]]:
    return FONT_FACE.findall((ASSETS / "site.css").read_text(encoding="utf-8"))


def test_site_css_declares_the_house_family_and_only_it():
    css = (ASSETS / "site.css").read_text(encoding="utf-8")
    assert {family for family, _ in declared()} == {FAMILY} and len(declared()) == len(font_files()) == 4
    assert re.search(rf'body \{{[^}}]*font-family: "{FAMILY}"', css)


def test_the_default_zero_is_plain_and_the_slashed_one_only_a_feature_away():
    """Fira's cmap maps "0" to its plain zero; the slashed form is reached only by the `zero` feature,
    which no rule turns on (and the web cut drops)."""
    font = TTFont(font_files()[0])
    glyph = font.getBestCmap()[ord("0")]
    features = {r.FeatureTag: r.Feature for r in font["GSUB"].table.FeatureList.FeatureRecord}
    lookups = font["GSUB"].table.LookupList.Lookup
    targets = {t for i in features["zero"].LookupListIndex for s in lookups[i].SubTable
               for t in getattr(s, "mapping", {}).values()}
    assert glyph == "zero" and targets and glyph not in targets
    css = (ASSETS / "site.css").read_text(encoding="utf-8")
    assert '"zero"' not in css and "slashed-zero" not in css


def test_the_web_cut_keeps_the_family_and_the_plain_zero_is_small_and_cached(tmp_path):
    data = web_font(font_files()[0], tmp_path)
    [cached] = (tmp_path / "fonts").glob("FiraSans-Regular-*.woff2")
    (tmp_path / "FiraSans-Regular.woff2").write_bytes(data)
    font = TTFont(tmp_path / "FiraSans-Regular.woff2")
    assert font.flavor == "woff2" and font["name"].getDebugName(1) == FAMILY
    assert font.getBestCmap()[ord("0")] == "zero" and len(data) < 40_000
    assert "zero" not in {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    assert web_font(font_files()[0], tmp_path) == data == cached.read_bytes()


@pytest.mark.slow
def test_the_shipped_fonts_are_the_ones_css_names_and_cover_the_pages_text(built):
    site = built / "_site"
    folder = site / "assets"
    shipped = {p.name for p in (folder / "fonts").iterdir()}
    assert shipped == {PurePosixPath(url).name for _, url in declared()}
    cmap = TTFont(folder / "fonts" / "FiraSans-Regular.woff2").getBestCmap()
    full = TTFont(font_files()[0]).getBestCmap()
    used = set()
    for page in site.glob("*.html"):
        used |= set(html.unescape(TEXT.sub(" ", page.read_text(encoding="utf-8"))))
    missing = sorted(c for c in used if ord(c) in full and ord(c) not in cmap)
    assert not missing, f"characters the font has but the web cut dropped: {missing}"
