"""Tests for scripts/local_authorities.py: loud failure on a changed header; the committed list."""

import csv
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = RAW_SOURCES
sys.path.insert(0, str(ROOT / "scripts"))
import local_authorities  # noqa: E402

PACKAGE = ROOT / "data" / "local-authorities" / "local-authorities.csv"


def rows():
    with PACKAGE.open(encoding="utf-8") as handle:
        return {row["la_code_old"]: row for row in csv.DictReader(handle)}


@needs_sources
def test_changed_header_fails_loudly(tmp_path):
    fixture = tmp_path / "cla_number_and_rate_per_10k_children__release2099.csv"
    fixture.write_text("time_period,geographic_level,LA_number,la_name\n2099,Local authority,201,X\n")
    others = [SOURCES / p for p in local_authorities.SOURCES if "release20" not in p]
    with pytest.raises(SystemExit, match="publisher header changed"):
        local_authorities.main([str(fixture), *map(str, others), "--out", str(tmp_path / "out")])


@needs_sources
def test_current_las_are_the_2025_release_las():
    path = SOURCES / "dfe-cla/ees_2019_2025/cla_number_and_rate_per_10k_children__release2025.csv"
    with path.open(encoding="utf-8-sig") as handle:
        published = {r["old_la_code"]: r["la_name"] for r in csv.DictReader(handle)
                     if r["geographic_level"] == "Local authority" and r["time_period"] == "2025"
                     and r["old_la_code"] not in ("909", "928")}
    table = rows()
    current = {code for code, row in table.items() if row["status"] == "current"}
    assert current == set(published) and len(current) == 153
    assert all(table[code]["la_name"] == name for code, name in published.items())


def test_reorganisations_and_codes():
    table = rows()
    assert table["820"]["successors"] == "822;823" and table["820"]["status_from"] == "2009"
    assert table["875"]["la_name"] == "Cheshire" and table["875"]["successors"] == "895;896"
    assert table["909"]["status_from"] == "2023" and table["909"]["successors"] == "942;943"
    assert table["837"]["status"] == "merged" and table["837"]["successors"] == "839"
    assert table["390"]["la_code"] == "E08000037" and table["390"]["la_codes_previous"] == "E08000020"
    assert table["929"]["la_codes_previous"] == "E06000048"
    assert table["202"]["region_name"] == "London" and table["202"]["subregion_name"] == "Inner London"
    assert {c for c, r in table.items() if r["small_population"] == "True"} == {"201", "420"}
