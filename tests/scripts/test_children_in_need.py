"""The children-in-need script: fails loudly on a changed header; the package holds DfE's printed figures."""

import csv
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = RAW_SOURCES
sys.path.insert(0, str(ROOT / "scripts"))
import children_in_need  # noqa: E402

PACKAGE = ROOT / "data" / "children-in-need"


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def fixture_files(tmp_path, b1_header):
    """One tiny file per input role; only the b1 file is read before the header check fails."""
    names = ["b1_children_in_need_2013_to_2025.csv",
             "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
             "d3_cpps_subsequent_plan_2013_to_2025.csv", "d5_cpps_at31march_by_duration_2013_to_2025.csv",
             "lait_csc_send_finance_subset_2016_2025.csv"]
    paths = [tmp_path / name for name in names]
    for path in paths:
        path.write_text("a,b\n1,2\n")
    paths[0].write_text(",".join(b1_header) + "\n" + ",".join(["1"] * len(b1_header)) + "\n")
    return paths


def test_changed_header_fails_loudly(tmp_path):
    header = children_in_need.EES_HEADER + list(children_in_need.CIN_COLUMNS)
    header[header.index("At31_episodes")] = "At31_children"
    files = fixture_files(tmp_path, header)
    with pytest.raises(SystemExit, match="publisher header changed"):
        children_in_need.main([*map(str, files), "--out", str(tmp_path / "out")])


def test_england_referrals_2015_16():
    england = {r["period"]: r for r in read(PACKAGE / "referrals.csv") if r["geographic_level"] == "National"}
    assert england["2015-16"]["referral_count"] == "621470"
    assert england["2015-16"]["area_code"] == "E92000001" and england["2015-16"]["year"] == "2016"
    assert set(england) == {f"{y - 1}-{y % 100:02d}" for y in range(2013, 2026)}


@needs_sources
@pytest.mark.parametrize("resource, raw_name, columns", [
    ("referrals", "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
     children_in_need.REFERRAL_COLUMNS),
    ("children-in-need", "b1_children_in_need_2013_to_2025.csv", children_in_need.CIN_COLUMNS),
    ("child-protection", "d5_cpps_at31march_by_duration_2013_to_2025.csv",
     children_in_need.CPP_DURATION_COLUMNS),
])
def test_national_and_regional_rows_as_printed(resource, raw_name, columns):
    raw_path = SOURCES / "dfe-cin" / raw_name
    table = {(r["year"], r["area_code"]): r for r in read(PACKAGE / f"{resource}.csv")}
    raw = [r for r in read(raw_path) if r["geographic_level"] != "Local authority"]
    assert len(raw) == 13 * 12
    for row in raw:
        out = table[(row["time_period"], row["region_code"] or row["country_code"])]
        for column, (name, _, _) in columns.items():
            assert float(out[name]) == float(row[column]), (row["time_period"], column)


def test_markers_kept_and_every_la_known():
    rows = read(PACKAGE / "children-in-need.csv")
    hampshire = [r for r in rows if r["la_code_old"] == "850" and r["year"] == "2024"]
    assert hampshire[0]["anypoint_child"] == "u"
    known = {r["la_code_old"] for r in read(ROOT / "data" / "local-authorities" / "local-authorities.csv")}
    for resource in ("referrals", "children-in-need", "child-protection", "section-47-rates"):
        codes = {r["la_code_old"] for r in read(PACKAGE / f"{resource}.csv")} - {""}
        assert codes <= known, (resource, codes - known)


def test_section_47_rates_from_lait():
    rows = read(PACKAGE / "section-47-rates.csv")
    rates = {(r["year"], r["area_code"]): r["section_47_rate"] for r in rows}
    assert rates[("2016", "E92000001")] == "148.8"
    assert rates[("2025", "E92000001")] == "189.3"
    assert rates[("2022", "E09000012")] == "-"  # Hackney: no value in LAIT
