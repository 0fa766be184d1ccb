"""The rows and columns a chart shows, read from its Vega-Lite spec."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from report.builder.chartdata import ChartDataError, chart_tables, number_format


def frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2020, 2021, 2020, 2021], "series": ["a", "a", "b", "b"],
                         "value": [1.5, 2.0, -3.25, 4.0], "unused": ["x", "y", "z", "w"]})


def test_columns_are_the_encoded_fields_categories_first_with_tooltip_titles():
    data = frame()
    chart = alt.Chart(data).mark_line().encode(
        x="year:O", y=alt.Y("value:Q", title="Value"), color="series:N",
        tooltip=[alt.Tooltip("value:Q", title="Value (GBP)", format=".1f")])
    [table] = chart_tables(chart.to_dict())
    assert [c.field for c in table.columns] == ["year", "series", "value"]
    assert [c.title for c in table.columns] == ["year", "series", "Value (GBP)"]
    assert table.rows == data[["year", "series", "value"]].to_dict("records")
    assert [row[2] for row in table.cells()] == [format(v, ".1f").replace("-", "\u2212") for v in data["value"]]


def test_main_data_comes_first_and_label_only_or_repeated_rows_are_left_out():
    data = frame()
    gap = pd.DataFrame({"start": [2020.5], "end": [2021.5]})
    ends = data[data["year"] == 2021][["year", "value"]]
    notes = pd.DataFrame({"label": ["peak"], "when": [2021]})
    base = alt.Chart(data).encode(x="year:Q", y="value:Q")
    chart = (alt.Chart(gap).mark_rect().encode(x="start:Q", x2="end:Q") + base.mark_line() + base.mark_point()
             + alt.Chart(ends).mark_point(size=80).encode(x="year:Q", y="value:Q")
             + alt.Chart(notes).mark_text().encode(x="when:Q", text="label:N"))
    tables = chart_tables(chart.to_dict())
    assert [[c.field for c in t.columns] for t in tables] == [["year", "value"], ["start", "end"]]
    assert len(tables[0].rows) == len(data) and len(tables[1].rows) == len(gap)
    only_text = alt.Chart(notes).mark_text().encode(x="when:Q", text="label:N")
    assert [len(t.rows) for t in chart_tables(only_text.to_dict())] == [len(notes)]


def test_data_that_is_not_inline_is_refused_with_the_chart_named():
    spec = {"data": {"url": "https://example.org/x.csv"}, "mark": "point", "encoding": {"x": {"field": "a"}}}
    with pytest.raises(ChartDataError, match="chart fig-x"):
        chart_tables(spec, "fig-x")


@pytest.mark.parametrize("value, spec, expected", [
    (83630, ",", "83,630"), (83630.0, ",", "83,630"), (2024, "d", "2024"), (0.1234, ".1%", "12.3%"),
    (-1234.5, ",.1f", "\u22121,234.5"), (1.5, ".2~f", "1.5"), (7, "unknown-format", "7")])
def test_number_format_follows_d3(value, spec, expected):
    assert number_format(value, spec) == expected
