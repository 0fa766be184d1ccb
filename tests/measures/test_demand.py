"""England series for the demand chapter, on tiny frames made here."""

from __future__ import annotations

import pandas as pd
import pytest

from report.measures import demand


def test_children_looked_after_continue_the_series_with_later_releases_only():
    series = pd.DataFrame({"year": [2023, 2024, 2024], "measure": ["looked_after_at_31_march"] * 2 + ["adopted"],
                           "number": [100, 110, 5]})
    la_rates = pd.DataFrame({"geographic_level": ["National", "National", "Local authority"],
                             "year": [2024, 2025, 2025], "measure": ["looked_after_at_31_march"] * 3,
                             "number": [111, 120, 7], "release": ["2025 EES release"] * 3})
    frame = demand.children_looked_after(series, la_rates)
    assert frame[["year", "number"]].values.tolist() == [[2023, 100], [2024, 110], [2025, 120]]
    assert frame["release"].iloc[-1] == "2025 EES release"


def test_england_rows_and_a_clear_error_without_them():
    frame = pd.DataFrame({"geographic_level": ["Regional", "National"], "year": [2020, 2020], "x": [1, 2]})
    assert demand.england(frame)["x"].tolist() == [2]
    with pytest.raises(ValueError, match="National"):
        demand.england(frame.iloc[:1])
    with pytest.raises(KeyError, match="2019"):
        demand.value_in(frame, 2019, "x")
