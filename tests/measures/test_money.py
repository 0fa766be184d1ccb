"""Children's social care spending measures on tiny frames made here."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from report.data import load
from report.measures import money
from tests.conftest import ROOT


def deflators() -> pd.DataFrame:
    return pd.DataFrame({"year": [2013, 2014, 2017], "period": ["2012-13", "2013-14", "2016-17"],
                         "gdp_deflator": [50.0, 80.0, 100.0]})


def test_s251_blocks_sum_la_rows_of_marked_lines_only():
    lines = pd.DataFrame({"year": [2013] * 3, "line": ["lac_total", "fostering", "youth"],
                          "social_care_block": ["looked_after", None, None]})
    outturn = pd.DataFrame({"year": [2013] * 5, "la_code_old": ["1", "2", "1", "2", "1"],
                            "line": ["lac_total", "lac_total", "fostering", "fostering", "youth"],
                            "total_expenditure": [10.0, 5.0, 7.0, 3.0, 100.0]})
    blocks = money.s251_blocks(outturn, lines)
    assert blocks[["year", "block", "cash"]].to_dict("records") == [{"year": 2013, "block": "looked_after",
                                                                      "cash": 15.0}]


def test_real_terms_use_the_base_year_and_refuse_a_missing_year():
    frame = pd.DataFrame({"year": [2013, 2017], "cash": [10.0, 10.0]})
    real = money.add_real_terms(frame, deflators())
    assert real["real"].tolist() == [20.0, 10.0]
    assert real["period"].tolist() == ["2012-13", "2016-17"]
    with pytest.raises(ValueError, match="2015"):
        money.add_real_terms(pd.DataFrame({"year": [2015], "cash": [1.0]}), deflators())


def test_gaps_split_the_series_and_are_listed():
    years = pd.Series([2009, 2010, 2014, 2017, 2018])
    assert money.segments(years).tolist() == [0, 0, 1, 2, 2]
    assert money.missing_years(years) == [2011, 2012, 2013, 2015, 2016]


def test_deflator_basis_names_the_base_year_release_and_range():
    frame = deflators()
    frame.attrs["provenance"] = [{"sources": [{"version": "March 2026", "publisher": "HM Treasury"}]}]
    periods = frame.sort_values("year")["period"]
    assert money.deflator_basis(frame) == {"base": "2016-17", "release": "March 2026", "publisher": "HM Treasury",
                                           "first": periods.iloc[0], "last": periods.iloc[-1]}
    with pytest.raises(ValueError, match="no base year"):
        money.deflator_basis(frame.assign(gdp_deflator=[90.0, 95.0, 99.0]))
    with pytest.raises(ValueError, match="found 2"):
        money.deflator_basis(frame.assign(gdp_deflator=[100.0, 100.0, 99.0]))


def test_deflator_basis_of_the_package_matches_its_descriptor():
    """Recomputed from the package itself: the row indexed 100 and the descriptor's first source."""
    frame = load("deflators", "gdp-deflator", ROOT / "data")
    descriptor = json.loads((ROOT / "data" / "deflators" / "datapackage.json").read_text())
    basis = money.deflator_basis(frame)
    assert basis["base"] == frame.loc[frame["gdp_deflator"] == 100, "period"].iloc[0]
    assert (basis["release"], basis["publisher"]) == (descriptor["sources"][0]["version"],
                                                      descriptor["sources"][0]["publisher"])


def test_spending_totals_only_years_with_all_four_blocks_and_mark_segments():
    lines = pd.DataFrame({"year": [2013] * 4 + [2014] * 4, "line": list("abcd") * 2,
                          "social_care_block": list(money.BLOCKS) * 2})
    outturn = pd.DataFrame({"year": [2013] * 4 + [2014] * 3, "line": list("abcd") + list("abc"),
                            "total_expenditure": [1.0, 2.0, 3.0, 4.0, 1.0, 1.0, 1.0]})
    lait = pd.DataFrame({"year": [2017] * 4, "geographic_level": ["National"] * 4,
                         "measure": list(money.LAIT_BLOCKS), "value": [5.0] * 4})
    spending = money.social_care_spending(outturn, lines, lait, deflators())
    assert spending["year"].tolist() == [2013, 2017]
    assert spending["cash"].tolist() == [10.0, 20.0]
    assert spending["segment"].tolist() == [0, 1]


def test_england_social_care_spending_matches_the_csvs():
    spending = money.social_care_spending(load("spending", "s251-outturn", ROOT / "data"),
                                          load("spending", "s251-lines", ROOT / "data"),
                                          load("spending", "lait-spending", ROOT / "data"),
                                          load("deflators", "gdp-deflator", ROOT / "data"))
    with (ROOT / "data" / "spending" / "s251-lines.csv").open(encoding="utf-8") as handle:
        blocks = {(r["year"], r["line"]) for r in csv.DictReader(handle) if r["social_care_block"]}
    with (ROOT / "data" / "spending" / "s251-outturn.csv").open(encoding="utf-8") as handle:
        expected = sum(float(r["total_expenditure"] or 0) for r in csv.DictReader(handle)
                       if r["year"] == "2014" and (r["year"], r["line"]) in blocks)
    assert spending.loc[spending["year"] == 2014, "cash"].sum() == pytest.approx(expected)
    assert set(spending["source"]) == {"Section 251 outturn (sum of LA rows)", "LAIT (S251 outturn, England)"}


def test_sure_start_compared_like_for_like_across_the_2013_14_definition_change():
    """Recomputed in plain pandas: the centres and area-wide lines, in both years' totals, fell far more
    than the published totals (which gain management and other early years lines from 2013-14)."""
    raw = pd.read_csv(ROOT / "data" / "spending" / "s251-outturn.csv", usecols=["year", "line", "total_expenditure"])
    lines = raw[raw["line"].isin(["sure_start_individual_centres", "sure_start_area_wide_services"])]
    comparable = lines.groupby("year")["total_expenditure"].sum()
    totals = raw[raw["line"] == "sure_start_total"].groupby("year")["total_expenditure"].sum()
    got = money.sure_start_like_for_like(load("spending", "s251-outturn", ROOT / "data"))
    assert got[2012] == pytest.approx(comparable[2012]) and got[2014] == pytest.approx(comparable[2014])
    fall, published = 1 - comparable[2014] / comparable[2012], 1 - totals[2014] / totals[2012]
    assert fall > 0.2 > 0.1 > published
