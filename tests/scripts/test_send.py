"""The send script: fails loudly on a changed header; the package holds the SEN2 and LAIT printed figures."""

import csv
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
SOURCES = RAW_SOURCES
sys.path.insert(0, str(ROOT / "scripts"))
import send  # noqa: E402

PACKAGE = ROOT / "data" / "send"


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def england_totals():
    return {r["year"]: r for r in read(PACKAGE / "caseload.csv")
            if r["geographic_level"] == "National" and r["age_band"] == "Total"}


def test_changed_header_fails_loudly(tmp_path):
    header = [("Total_statements" if c == "Total_st" else c) for c in send.CASELOAD_HEADER]
    caseload = tmp_path / "sen2_age_caseload_2010_2022.csv"
    caseload.write_text(",".join(header) + "\n" + ",".join(["1"] * len(header)) + "\n")
    others = [tmp_path / "sen2_mi_2014_2022.csv", tmp_path / "lait_csc_send_finance_subset_2016_2025.csv"]
    for path in others:
        path.write_text("a,b\n1,2\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        send.main([str(caseload), *map(str, others), "--out", str(tmp_path / "out")])


def test_england_spot_checks():
    england = england_totals()
    assert england["2010"]["statements"] == "228221" and england["2010"]["ehc_plans"] == "z"
    assert england["2022"]["ehc_plans"] == "473255" and england["2022"]["statements"] == "z"
    assert england["2025"]["ehc_plans"] == "638745" and england["2025"]["release"].startswith("LAIT")
    assert england["2023"]["ehc_plans"] == "517048" and england["2024"]["ehc_plans"] == "576474"
    assert sorted(map(int, england)) == list(range(2010, 2026))


@needs_sources
def test_england_as_in_publisher_summary():
    summary = SOURCES / "send-ehcp" / "ehcp_statements_caseload_england_2010_2022.csv"
    england = england_totals()
    for row in read(summary):
        out = england[row["time_period"]]
        assert (out["statements"], out["ehc_plans"], out["statements_and_ehc_plans"]) == (
            row["Total_st"], row["Total_ehc"], row["Total_all"])
        assert out["release"] == "SEN2 2022"


def test_one_vintage_per_area_year_and_las_known():
    rows = read(PACKAGE / "caseload.csv")
    releases = {}
    for r in rows:
        releases.setdefault(r["year"], set()).add(r["release"])
    assert all(len(v) == 1 for v in releases.values())
    lait = [r for r in rows if r["release"].startswith("LAIT")]
    assert {r["year"] for r in lait} == {"2023", "2024", "2025"}
    cumberland = [r for r in lait if r["la_code_old"] == "942"]
    assert {(r["year"], r["la_code"]) for r in cumberland} == {("2024", "E06000063"), ("2025", "E06000063")}
    known = {r["la_code_old"] for r in read(ROOT / "data" / "local-authorities" / "local-authorities.csv")}
    for resource in ("caseload", "ehc-process"):
        codes = {r["la_code_old"] for r in read(PACKAGE / f"{resource}.csv")} - {""}
        assert codes <= known, (resource, codes - known)


def test_ehc_process_as_printed():
    process = {(r["year"], r["area_code"]): r for r in read(PACKAGE / "ehc-process.csv")}
    england_2022 = process[("2022", "E92000001")]
    assert england_2022["inreq_ehc"] == "114482" and england_2022["new_all_ehc"] == "68665"
    assert england_2022["no_exc_20week_rate"] == "49.166"  # printed " 49.166"
    assert process[("2014", "E92000001")]["no_exc_20week_rate"] == "64.3"  # printed 64.300000000000
    medway_2021 = [r for r in process.values() if r["la_code_old"] == "887" and r["year"] == "2021"]
    assert medway_2021[0]["ass_none_ehc"] == "223"  # known publisher error, kept as printed
