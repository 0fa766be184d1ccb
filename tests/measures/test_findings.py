"""Measures behind chapters 8-10 that no other module computes, on tiny frames built here and the CSVs."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from report.data import load
from report.measures import findings as m
from report.measures.quality import GRADES
from tests.conftest import ROOT

T = pd.Timestamp


def inspections(rows: list[tuple]) -> pd.DataFrame:
    """(la, framework, published, grade) rows in the shape of ofsted-inspections/inspections."""
    frame = pd.DataFrame(rows, columns=["la_code_old", "framework", "publication_date", "overall_effectiveness"])
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    frame["overall_effectiveness"] = pd.Categorical(frame["overall_effectiveness"], categories=GRADES)
    return frame.assign(area_name="Area " + frame["la_code_old"])


SERVED = pd.DataFrame({
    "organisation_id": ["a", "b", "b", "c"],
    "la_code_old": ["100", "200", "201", "300"],
    "area_name": ["A", "Old B", "New B", "C"],
    "from_date": [T("2015-01-01"), T("2015-01-01"), T("2020-04-01"), T("2015-01-01")],
    "to_date": [pd.NaT, T("2020-04-01"), pd.NaT, T("2018-01-01")],
})
COUNCILS = pd.DataFrame({"la_code_old": ["100", "200", "201", "300", "400", "500"],
                         "la_name": ["A", "Old B", "New B", "C", "D", "E"], "region_name": ["R"] * 6,
                         "successors": [None, "201", None, None, None, None],
                         "status": ["current", "split", "current", "current", "current", "current"],
                         "small_population": [False, False, False, False, False, True]})
GRADED = inspections([
    ("100", "SIF", "2014-06-01", "Inadequate"), ("100", "ILACS standard", "2016-06-01", "Good"),
    ("200", "SLAC", "2012-01-01", None), ("200", "ILACS standard", "2019-06-01", "Inadequate"),
    ("201", "ILACS standard", "2021-06-01", "Requires improvement"),
    ("300", "SIF", "2014-06-01", "Inadequate"), ("300", "SIF re-inspection", "2017-06-01", "Requires improvement"),
    ("300", "ILACS short", "2019-06-01", "Outstanding"),
    ("400", "SIF", "2014-02-01", "Inadequate"), ("400", "ILACS standard", "2018-01-01", "Good"),
    ("500", "CPI", "2012-06-01", "Inadequate"), ("500", "ILACS standard", "2019-01-01", "Good"),
])


def test_councils_kept_in_house_after_failing_since_the_single_inspection_framework():
    frame = m.inadequate_councils_kept_in_house(GRADED, SERVED)
    assert frame["la_code_old"].tolist() == ["400"]  # 500 failed before Nov 2013; the rest were served
    assert frame["latest"].iloc[0] == "Good"


def placements(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["geographic_level", "la_code_old", "year", "provider", "number"])


def council(code: str, private: int, own: int, total: int, year: int = 2024) -> list[tuple]:
    return [("Local authority", code, year, provider, number)
            for provider, number in (("private", private), ("own_la", own), ("total", total))]


def test_private_share_by_latest_grade():
    frame = placements([("National", None, 2024, "private", 30), ("National", None, 2024, "total", 120),
                        *council("100", 5, 10, 20), *council("300", 1, 1, 2), *council("500", 1, 2, 4),
                        *council("400", 0, 0, 0), *council("201", 3, 3, 6, year=2023)])
    by_grade = m.private_share_by_grade(frame, GRADED, COUNCILS).set_index("la_code_old")
    # 400 has no children in care, 500 is small, 201's figures are from an earlier year
    assert sorted(by_grade.index) == ["100", "300"]
    assert by_grade.loc["300", "private_share"] == pytest.approx(50.0)
    assert by_grade.loc["100", "grade"] == "Good" and by_grade.loc["300", "grade"] == "Outstanding"
    assert set(by_grade["year"]) == {2024}


def test_unit_costs_in_real_terms_recomputed_from_the_csvs():
    with open(ROOT / "data/spending/lait-unit-costs.csv", encoding="utf-8") as handle:
        cash = {int(r["year"]): float(r["value"]) for r in csv.DictReader(handle)
                if r["geographic_level"] == "National" and r["measure"] == "residential_care"}
    with open(ROOT / "data/deflators/gdp-deflator.csv", encoding="utf-8") as handle:
        deflator = {int(r["year"]): float(r["gdp_deflator"]) for r in csv.DictReader(handle)}
    frame = m.unit_cost_real(load("spending", "lait-unit-costs", data_dir=ROOT / "data"),
                             load("deflators", "gdp-deflator", data_dir=ROOT / "data"), "residential_care")
    assert frame["year"].tolist() == sorted(cash)
    last = max(cash)
    assert frame["real"].iloc[-1] == pytest.approx(cash[last] * 100 / deflator[last])
