"""Tests for scripts/placements.py: loud failure on a changed header; publisher spot checks."""

import csv
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = RAW_SOURCES
PACKAGE = ROOT / "data" / "placements"
sys.path.insert(0, str(ROOT / "scripts"))
import placements  # noqa: E402


def read(name):
    with (PACKAGE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@needs_sources
def test_changed_header_fails_loudly(tmp_path):
    fixture = tmp_path / "cla_placement_provider_and_type_by_la_2021_2099.csv"
    fixture.write_text("time_period,geographic_level,la_code,group,value\n2099,National,,Total,1\n")
    others = [str(SOURCES / p) for p in placements.SOURCES if "cla_placement_provider" not in p]
    with pytest.raises(SystemExit, match="publisher header changed"):
        placements.main([str(fixture), *others, "--out", str(tmp_path / "out")])


def national(rows, year, provider):
    return next(r for r in rows if r["area_code"] == "E92000001" and r["year"] == str(year)
                and r["provider"] == provider)


def test_private_share_as_published():
    rows = read("placement-provider.csv")
    shares = {year: national(rows, year, "private")["percentage"] for year in range(2021, 2026)}
    assert shares == {2021: "36", 2022: "38", 2023: "39", 2024: "37", 2025: "40"}
    assert national(rows, 2024, "total")["number"] == "83530"          # 2025 release, not 83,630
    assert national(rows, 2019, "private")["release"] == "2023 EES release"
    assert national(rows, 2020, "total")["release"] == "2024 EES release"


@needs_sources
def test_sfr_years_match_the_sfr_file():
    path = SOURCES / "dfe-cla/la_underlying_2010_2017/2015_SFR34_CLA2015.csv"
    with path.open(encoding="utf-8-sig") as handle:
        raw = {r["geog_c"]: r for r in csv.DictReader(handle)}
    rows = read("placement-provider.csv")
    assert national(rows, 2015, "private")["number"] == raw["999"]["CLA_Priv"]
    kent = next(r for r in rows if r["la_code_old"] == "886" and r["year"] == "2015"
                and r["provider"] == "own_la")
    assert kent["number"] == raw["886"]["CLA_OwnP"] and kent["release"] == "SFR34/2015"
    assert not {r["year"] for r in rows} & {"2018"}
    assert not [r for r in rows if r["la_code_old"] and r["year"] in ("2019", "2020")]


def test_placement_type_totals():
    rows = read("placement-type.csv")
    total = next(r for r in rows if r["area_code"] == "E92000001" and r["year"] == "2025"
                 and r["placement_type"] == "total")
    assert total["number"] == "81770"
    keys = [(r["area_code"], r["year"], r["placement_type"]) for r in rows]
    assert len(keys) == len(set(keys))
