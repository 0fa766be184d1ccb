"""Tests for scripts/children_looked_after.py: loud failure on changed headers; publisher spot checks."""

import csv
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = RAW_SOURCES
PACKAGE = ROOT / "data" / "children-looked-after"
sys.path.insert(0, str(ROOT / "scripts"))
import children_looked_after  # noqa: E402


def read(name):
    with (PACKAGE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_with(tmp_path, fixture_name, text, replaced):
    """main() with one publisher file swapped for a fixture with another header."""
    fixture = tmp_path / fixture_name
    fixture.write_text(text, encoding="utf-8")
    others = [str(SOURCES / p) for p in children_looked_after.SOURCES if replaced not in p]
    children_looked_after.main([str(fixture), *others, "--out", str(tmp_path / "out")])


@needs_sources
def test_changed_time_series_header_fails_loudly(tmp_path):
    with pytest.raises(SystemExit, match="publisher header changed"):
        run_with(tmp_path, "cla_time_series_1994_2099.csv",
                 "time_period,geographic_level,measure,value\n2099,National,x,1\n", "cla_time_series")


@needs_sources
def test_changed_rates_header_fails_loudly(tmp_path):
    with pytest.raises(SystemExit, match="publisher header changed"):
        run_with(tmp_path, "cla_number_and_rate_per_10k_children__release2025.csv",
                 "time_period,geographic_level,old_la_code,count\n2025,National,,1\n", "release2025")


def england(rows, year, measure="looked_after_at_31_march"):
    return next(r for r in rows if r["area_code"] == "E92000001" and r["year"] == str(year)
                and r["measure"] == measure)


def test_england_series_2015():
    row = next(r for r in read("england-series.csv")
               if r["year"] == "2015" and r["measure"] == "looked_after_at_31_march")
    assert row["number"] == "69460"


def test_la_rates_england_from_latest_release():
    rows = read("la-rates.csv")
    assert england(rows, 2024)["number"] == "83530"
    assert england(rows, 2024)["release"] == "2025 EES release"
    assert england(rows, 2024)["population_under_18"] == "12059476"
    assert england(rows, 2015)["number"] == "69540" and england(rows, 2015)["release"] == "SFR34/2015"
    assert england(rows, 2018)["release"] == "LAIT April 2026"
    assert england(rows, 2010)["population_under_18"] == "11012300"


@needs_sources
def test_la_rates_match_publisher_files():
    path = SOURCES / "lait/lait_csc_send_finance_subset_2016_2025.csv"
    with path.open(encoding="utf-8-sig") as handle:
        lait = {(r["old_la_code"], r["measure_short"]): r["value"] for r in csv.DictReader(handle)
                if r["year"] == "2018"}
    rows = read("la-rates.csv")
    by_la = {r["la_code_old"]: r for r in rows if r["year"] == "2018"
             and r["measure"] == "looked_after_at_31_march" and r["la_code_old"]}
    assert england(rows, 2018)["number"] == lait[("970.0", "LACnum")]
    assert by_la["390"]["number"] == lait[("390.0", "LACnum")]
    assert by_la["390"]["rate_per_10000"] == lait[("390.0", "LAC")]
    keys = [(r["area_code"], r["year"], r["measure"]) for r in rows]
    assert len(keys) == len(set(keys))
