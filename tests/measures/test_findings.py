"""Measures behind chapters 8-10, on tiny frames built here, plus checks against the real CSVs."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from report.data import load
from report.measures import findings as m
from tests.conftest import ROOT

T = pd.Timestamp


def inspections(rows: list[tuple]) -> pd.DataFrame:
    """(la, framework, published, grade) rows in the shape of ofsted-inspections/inspections."""
    frame = pd.DataFrame(rows, columns=["la_code_old", "framework", "publication_date", "overall_effectiveness"])
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    frame["overall_effectiveness"] = pd.Categorical(frame["overall_effectiveness"], categories=m.GRADES, ordered=True)
    return frame.assign(area_name="Area " + frame["la_code_old"])


SERVED = pd.DataFrame({
    "organisation_id": ["a", "b", "b", "c"],
    "la_code_old": ["100", "200", "201", "300"],
    "area_name": ["A", "Old B", "New B", "C"],
    "from_date": [T("2015-01-01"), T("2015-01-01"), T("2020-04-01"), T("2015-01-01")],
    "to_date": [pd.NaT, T("2020-04-01"), pd.NaT, T("2018-01-01")],
})
ORGANISATIONS = pd.DataFrame({"organisation_id": ["a", "b", "c"], "name": ["Trust A", "Trust B", "Trust C"],
                              "trigger": ["voluntary", "statutory_direction", "statutory_direction"]})
COUNCILS = pd.DataFrame({"la_code_old": ["100", "200", "201", "300", "400", "500"],
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


def test_grades_around_handover_before_and_latest_while_served():
    frame = m.grades_around_handover(GRADED, SERVED, ORGANISATIONS, COUNCILS).set_index("la_code_old")
    assert list(frame.index) == ["100", "201", "300"]  # old B was replaced while served: shown via new B
    assert frame.loc["100", ["before", "after", "change"]].tolist() == ["Inadequate", "Good", "better"]
    assert frame.loc["201", "before"] == "Inadequate"  # the grade of the council it replaced
    assert frame.loc["300", "after"] == "Requires improvement"  # 2019 came after the arrangement ended
    assert frame.loc["100", "organisation"] == "Trust A" and frame.loc["201", "trigger"] == "statutory_direction"


def test_councils_kept_in_house_after_failing_since_the_single_inspection_framework():
    frame = m.inadequate_councils_kept_in_house(GRADED, SERVED)
    assert frame["la_code_old"].tolist() == ["400"]  # 500 failed before Nov 2013; the rest were served
    assert frame["latest"].iloc[0] == "Good"


def test_grade_counts_and_shares():
    ranks = pd.Series([0, 1, 2, 3, None], dtype="Int64")
    assert m.count_at_least(ranks, "Good") == 2
    assert m.share_at_least(ranks, "Requires improvement") == pytest.approx(75.0)


def test_latest_grade_of_each_current_council():
    latest = m.latest_grades(GRADED, COUNCILS).set_index("la_code_old")
    assert "200" not in latest.index
    assert latest.loc["300", "overall_effectiveness"] == "Outstanding"


def placements(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["geographic_level", "la_code_old", "year", "provider", "number"])


def test_private_share_england_and_by_grade():
    frame = placements([("National", None, 2024, "private", 30), ("National", None, 2024, "total", 120),
                        ("Local authority", "100", 2024, "private", 5), ("Local authority", "100", 2024, "total", 20),
                        ("Local authority", "300", 2024, "private", 1), ("Local authority", "300", 2024, "total", 2),
                        ("Local authority", "500", 2024, "private", 1), ("Local authority", "500", 2024, "total", 4),
                        ("Local authority", "400", 2024, "private", 0), ("Local authority", "400", 2024, "total", 0)])
    assert m.private_share_england(frame).loc[2024] == pytest.approx(25.0)
    by_grade = m.private_share_by_grade(frame, GRADED, COUNCILS).set_index("la_code_old")
    assert sorted(by_grade.index) == ["100", "300"]  # 400 has no children in care, 500 is small
    assert by_grade.loc["300", "private_share"] == pytest.approx(50.0)
    assert by_grade.loc["100", "overall_effectiveness"] == "Good"


def test_prose_helpers():
    assert m.financial_year(2015) == "2014-15" and m.financial_year(2000) == "1999-00"
    assert m.and_list(["a", "b", "c"]) == "a, b and c" and m.and_list([2018]) == "2018"
    assert m.words(3) == "three" and m.words(1200) == "1,200"
    assert m.all_or_some(7, 7) == "all seven" and m.all_or_some(5, 7) == "five of the seven"
