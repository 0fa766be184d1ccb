"""Ofsted measures: tiny fixtures for the rules, and the real counts recomputed from the CSVs."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from report.data import load
from report.measures import quality
from tests.conftest import ROOT

WHOLE = {"SIF", "SIF re-inspection", "ILACS standard", "ILACS short"}


def rows(*records) -> pd.DataFrame:
    """Inspections as `load` gives them: dates parsed, grades as text."""
    frame = pd.DataFrame(records, columns=["la_code_old", "framework", "publication_date",
                                            "overall_effectiveness"])
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    return frame


def authorities(*records) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["la_code_old", "la_name", "region_name", "status"])


def read_csv(package: str, resource: str) -> list[dict]:
    with open(ROOT / "data" / package / f"{resource}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_first_sif_leaves_out_reinspections_and_later_reports():
    frame = rows(("1", "SIF", "2015-01-01", "Good"), ("1", "SIF re-inspection", "2015-06-01", "Good"),
                 ("2", "SIF", "2016-04-01", "Inadequate"), ("3", "CPI", "2015-01-01", "Inadequate"))
    assert list(quality.first_sif(frame, "2016-03-31")["la_code_old"]) == ["1"]
    assert len(quality.first_sif(frame)) == 2


def test_grade_counts_keep_every_grade_best_first_and_share_not_good():
    counts = quality.grade_counts(quality.graded(rows(
        ("1", "SIF", "2015-01-01", "Good"), ("2", "SIF", "2015-01-01", "Inadequate"),
        ("3", "SIF", "2015-01-01", "Requires improvement"), ("4", "SIF", "2015-01-01", "Inadequate"))))
    assert list(counts.index) == quality.GRADES
    assert counts.tolist() == [0, 1, 1, 2]
    assert quality.share_not_good(counts) == pytest.approx(0.75)


def test_judgement_not_given_is_not_a_grade():
    frame = rows(("1", "SIF", "2015-01-01", "-"), ("2", "SIF", "2015-01-01", None))
    assert quality.grade_counts(quality.graded(frame)).sum() == 0


def test_latest_grade_uses_only_whole_service_frameworks_and_current_councils():
    frame = rows(("1", "SIF", "2015-01-01", "Inadequate"), ("1", "ILACS standard", "2019-01-01", "Good"),
                 ("1", "CPI", "2020-01-01", "Inadequate"), ("2", "SIF", "2016-01-01", "Good"),
                 ("9", "ILACS short", "2020-01-01", "Outstanding"))
    las = authorities(("1", "One", "R", "current"), ("2", "Two", "R", "current"), ("9", "Old", "R", "merged"))
    latest = quality.latest_grades(frame, las).set_index("la_code_old")
    assert latest.loc["1", "grade"] == "Good" and latest.loc["2", "grade"] == "Good"
    assert "9" not in latest.index


def test_first_to_latest_counts_moves_and_improved_from():
    frame = rows(("1", "SIF", "2015-01-01", "Inadequate"), ("1", "ILACS short", "2022-01-01", "Outstanding"),
                 ("2", "SIF", "2015-01-01", "Inadequate"),
                 ("2", "ILACS standard", "2022-01-01", "Inadequate"),
                 ("3", "SIF", "2015-01-01", "Good"),
                 ("3", "ILACS standard", "2022-01-01", "Requires improvement"))
    las = authorities(*[(c, c, "R", "current") for c in "123"])
    moves = quality.first_to_latest(frame, las)
    assert quality.improved_from(moves, ["Inadequate"], ["Good", "Outstanding"]) == (1, 2)
    assert quality.improved_from(moves, ["Good"], ["Requires improvement", "Inadequate"]) == (1, 1)


def test_grades_by_year_shares_add_to_100_and_good_or_better_follows():
    frame = rows(("1", "SIF", "2015-01-01", "Good"), ("2", "SIF", "2015-05-01", "Inadequate"),
                 ("3", "ILACS short", "2019-01-01", "Outstanding"))
    by_year = quality.grades_by_year(frame)
    assert by_year.groupby("year")["share"].sum().tolist() == pytest.approx([100, 100])
    assert quality.good_or_better_by_year(frame).to_dict() == {2015: 50.0, 2019: 100.0}
    assert set(by_year["frameworks"]) == {"SIF", "ILACS"}


def test_first_sif_by_march_2016_recomputed_from_the_csv():
    expected: dict[str, int] = {}
    for row in read_csv("ofsted-inspections", "inspections"):
        if row["framework"] == "SIF" and row["publication_date"] <= "2016-03-31":
            expected[row["overall_effectiveness"]] = expected.get(row["overall_effectiveness"], 0) + 1
    counts = quality.grade_counts(quality.first_sif(load("ofsted-inspections", "inspections",
                                                         data_dir=ROOT / "data"), "2016-03-31"))
    assert {g: n for g, n in counts.items() if n} == expected


def test_latest_grades_recomputed_from_the_csv():
    current = {r["la_code_old"] for r in read_csv("local-authorities", "local-authorities")
               if r["status"] == "current"}
    latest: dict[str, tuple[str, str]] = {}
    for row in read_csv("ofsted-inspections", "inspections"):
        if row["framework"] in WHOLE and row["overall_effectiveness"] in quality.GRADES:
            code = row["la_code_old"]
            if code not in latest or row["publication_date"] >= latest[code][0]:
                latest[code] = (row["publication_date"], row["overall_effectiveness"])
    expected: dict[str, int] = {}
    for code in current:
        expected[latest[code][1]] = expected.get(latest[code][1], 0) + 1
    frame = quality.latest_grades(load("ofsted-inspections", "inspections", data_dir=ROOT / "data"),
                                  load("local-authorities", "local-authorities", data_dir=ROOT / "data"))
    assert quality.grade_counts(frame).to_dict() == {g: expected.get(g, 0) for g in quality.GRADES}
