"""England series for the demand chapter, on tiny frames made here."""

from __future__ import annotations

import pandas as pd
import pytest

from report.data import load
from report.measures import demand
from tests.conftest import ROOT


def test_children_looked_after_take_each_years_latest_release():
    series = pd.DataFrame({"year": [2023, 2024, 2024], "measure": ["looked_after_at_31_march"] * 2 + ["adopted"],
                           "number": [100, 110, 5]})
    la_rates = pd.DataFrame({"geographic_level": ["National", "National", "Local authority"],
                             "year": [2024, 2025, 2025], "measure": ["looked_after_at_31_march"] * 3,
                             "number": [111, 120, 7], "release": ["2025 EES release"] * 3})
    frame = demand.children_looked_after(series, la_rates)
    assert frame[["year", "number"]].values.tolist() == [[2023, 100], [2024, 111], [2025, 120]]
    assert frame["release"].iloc[-1] == "2025 EES release"


def test_england_rows_and_a_clear_error_without_them():
    frame = pd.DataFrame({"geographic_level": ["Regional", "National"], "year": [2020, 2020], "x": [1, 2]})
    assert demand.england(frame)["x"].tolist() == [2]
    with pytest.raises(ValueError, match="National"):
        demand.england(frame.iloc[:1])
    with pytest.raises(KeyError, match="2019"):
        demand.value_in(frame, 2019, "x")


def test_rule_every_year_of_children_in_care_is_its_latest_release():
    """Rule guard, plain pandas on the CSVs: wherever la-rates (the latest release per year) has England's
    count, the report's series uses it; the older time series fills only the years before."""
    folder = ROOT / "data" / "children-looked-after"
    rates = pd.read_csv(folder / "la-rates.csv", dtype={"number": str})
    latest = rates[(rates["geographic_level"] == "National") & (rates["measure"] == "looked_after_at_31_march")]
    latest = latest.set_index("year")["number"].astype(int)
    series = pd.read_csv(folder / "england-series.csv")
    older = series[series["measure"] == "looked_after_at_31_march"].set_index("year")["number"].astype(int)
    got = demand.children_looked_after(load("children-looked-after", "england-series"),
                                       load("children-looked-after", "la-rates")).set_index("year")["number"]
    assert not got.index.duplicated().any()
    for year in got.index:
        assert got[year] == (latest[year] if year in latest.index else older[year]), year
    assert (older.reindex(latest.index).dropna() != latest.reindex(older.index).dropna()).any()
