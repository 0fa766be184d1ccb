"""The deflators script: fails loudly on a changed header; the package holds HM Treasury's published outturn."""

import csv
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import deflators  # noqa: E402

PACKAGE = ROOT / "data" / "deflators"
RAW = RAW_SOURCES / deflators.SOURCES[0]


def test_changed_header_fails_loudly(tmp_path):
    bad = tmp_path / "ncl_uk_cost_indices_hmt_fy_deflator_march2026.csv"
    bad.write_text("fiscal_year_start,fiscal_year,deflator,is_forecast\n2024,2024-25,100,false\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        deflators.main([str(bad), "--out", str(tmp_path / "out")])


def rows():
    with open(PACKAGE / "gdp-deflator.csv", newline="") as handle:
        return {row["period"]: row for row in csv.DictReader(handle)}


def test_spot_checks_match_hmt():
    table = rows()
    assert float(table["2008-09"]["gdp_deflator"]) == 66.8397
    assert float(table["2024-25"]["gdp_deflator"]) == 100
    assert table["2014-15"]["year"] == "2015" and table["2014-15"]["fiscal_year_start"] == "2014"


@needs_sources
def test_only_published_outturn_rows():
    with open(RAW, newline="") as handle:
        raw = {r["fiscal_year"]: r for r in csv.DictReader(handle)}
    table = rows()
    assert set(table) == {k for k, r in raw.items() if r["is_forecast"] == "false"}
    for period, row in table.items():
        assert float(row["gdp_deflator"]) == float(raw[period]["gdp_deflator"])
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text())
    assert descriptor["base_year"] == "2024-25"
    assert descriptor["release"] == "March 2026 (Quarterly National Accounts)"
