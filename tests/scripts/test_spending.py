"""The spending script: fails loudly on a changed header; the package holds the publishers' figures."""

import csv
import io
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import _s251_lines  # noqa: E402
import spending  # noqa: E402

PACKAGE = ROOT / "data" / "spending"
SHARED = RAW_SOURCES


def read(name):
    with open(PACKAGE / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def raw_rows(relative, encoding="cp1252"):
    text = (SHARED / relative).read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text)))


def test_changed_header_fails_loudly(tmp_path):
    outturn = tmp_path / "outturn_1314.csv"
    outturn.write_text("LA,LA Name,Line,Description,Total\n201,City of London,1,Residential care,0\n")
    lait = tmp_path / "lait_csc_send_finance_subset_2016_2025.csv"
    lait.write_text(",".join(spending.LAIT_HEADER) + "\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        spending.main([str(outturn), str(lait), "--out", str(tmp_path / "out")])


def test_changed_lait_header_fails_loudly(tmp_path):
    lait = tmp_path / "lait_csc_send_finance_subset_2016_2025.csv"
    lait.write_text("measure_short,year,area,value\nTotalLACFinance,2016-17 (OT),England,1\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        spending.lait(lait)


@pytest.mark.parametrize(("description", "code"), [
    ("14 Total Children Looked After", "looked_after_total"),
    ("Total Children and Young People's Safety/children social care", "safeguarding_total"),
    ("20 Total  Safeguarding Children and Young Peoples Services", "safeguarding_total"),
    ("Youth Justice", "youth_justice_total"),
    ("Commissioning and social work (includes LA functions in relation to", "commissioning_and_social_work"),
    ("35 Substance misuse services(Drugs, alcohol and volatile substances)(included in lines 27 and 28 above)",
     "substance_misuse_services"),
    ("Something the publisher never printed", None)])
def test_lines_map_by_description(description, code):
    """Each year's wording maps to its one line; an unknown wording maps to none (so ingest stops)."""
    assert _s251_lines.line_code(description) == code


@needs_sources
def test_total_looked_after_matches_publisher_every_year():
    """'Total Children Looked After' is line 14, 17, 19, 12, 15, 16 (SOURCES.md); values as published."""
    numbers = {"2008-09": 14, "2009-10": 17, "2010-11": 19, "2011-12": 12, "2012-13": 15, "2013-14": 16}
    rows = [r for r in read("s251-outturn") if r["line"] == "looked_after_total" and r["la_code_old"] == "202"]
    assert {r["period"]: int(r["line_number"]) for r in rows} == numbers
    raw = raw_rows("la-spend/s251_outturn_2008_2014/outturn_1314.csv")
    published = next(r for r in raw if r["LA"] == "202" and r["LineNumber"] == "16")
    camden = next(r for r in rows if r["period"] == "2013-14")
    assert float(camden["total_expenditure"]) == float(published["TotalExpenditure"])
    assert float(camden["own_provision"]) == float(published["OwnProvision"])
    raw = raw_rows("la-spend/s251_outturn_2008_2014/outturn_0809.csv")
    published = next(r for r in raw if r["LEA Number:"] == "202"
                     and r["S52 Line Reference:"].startswith("14 "))
    camden = next(r for r in rows if r["period"] == "2008-09")
    assert float(camden["public_provision"]) == float(published["PUBLIC (z)"])
    assert camden["own_provision"] == ""


def test_coverage_no_gap_years_no_zero_fill():
    outturn = read("s251-outturn")
    assert {r["period"] for r in outturn} == {"2008-09", "2009-10", "2010-11", "2011-12", "2012-13", "2013-14"}
    lait = read("lait-spending")
    periods = {r["period"] for r in lait}
    assert "2014-15" not in periods and "2015-16" not in periods and min(periods) == "2016-17"
    nulls = [r for r in outturn if r["period"] == "2011-12" and r["line"] == "youth_justice_total"
             and r["la_code_old"] == "801"]
    assert nulls[0]["own_provision"] == "" and nulls[0]["total_expenditure"] == "3568735"


def test_social_care_blocks_every_year():
    lines = read("s251-lines")
    for period in {r["period"] for r in lines}:
        blocks = {r["social_care_block"] for r in lines if r["period"] == period} - {""}
        assert blocks == {"looked_after", "safeguarding", "family_support", "other_children_families"}


@needs_sources
def test_lait_england_rows_as_published():
    raw = raw_rows("lait/lait_csc_send_finance_subset_2016_2025.csv", "utf-8")
    published = {(r["measure_short"], r["year"]): r["value"] for r in raw if r["old_la_code"] == "970.0"}
    england = [r for r in read("lait-spending") + read("lait-unit-costs") if r["geographic_level"] == "National"]
    assert len(england) == 9 * 9
    for row in england:
        assert float(row["value"]) == float(published[(row["lait_measure"], row["period"] + " (OT)")])
    lac = {r["period"]: r["value"] for r in england if r["measure"] == "looked_after_total"}
    assert lac["2016-17"] == "4156704147" and lac["2024-25"] == "8955421269"
    assert {r["area_code"] for r in england} == {"E92000001"}
