"""The rows and columns a chart shows, read from its Vega-Lite spec."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from report.builder.chartdata import ChartDataError, chart_tables
from report.builder.chartformat import number_format


def frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2020, 2021, 2020, 2021], "series": ["a", "a", "b", "b"],
                         "value": [1.5, 2.0, -3.25, 4.0], "unused": ["x", "y", "z", "w"]})


def test_a_marks_table_is_its_tooltip_fields_under_the_tooltip_titles_rounded_as_shown():
    data = frame()
    chart = alt.Chart(data).mark_point().encode(
        x="year:O", y=alt.Y("value:Q", title="Value"), shape=alt.Shape("series:N", legend=None),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("value:Q", title="Value (GBP)", format=".1f")])
    [table] = chart_tables(chart.to_dict())
    assert [c.title for c in table.columns] == ["Year", "a: Value (GBP)", "b: Value (GBP)"]
    assert table.cells() == [["2020", "1.5", "\u22123.3"], ["2021", "2.0", "4.0"]]  # -3.25: half away from zero
    assert [c.csv(v) for c, v in zip(table.columns, [2020, -3.25, 4.0])] == ["2020", "-3.3", "4.0"]


def test_bands_keys_labels_and_repeated_rows_are_left_out_and_positions_a_tooltip_omits_are_kept():
    data = frame()
    gap = pd.DataFrame({"start": [2020.5], "end": [2021.5]})
    key = pd.DataFrame({"x": [0, 170]})
    notes = pd.DataFrame({"label": ["peak"], "when": [2021]})
    base = alt.Chart(data).encode(x=alt.X("year:Q", title="Year"), y="value:Q")
    chart = (alt.Chart(gap).mark_rect().encode(x="start:Q", x2="end:Q")
             + alt.Chart(key).mark_point().encode(x=alt.X("x:Q", axis=None))
             + base.mark_line(color="black").encode(tooltip=[alt.Tooltip("value:Q", title="Value", format=".2f")])
             + base.mark_point() + alt.Chart(notes).mark_text().encode(x="when:Q", text="label:N"))
    [table] = chart_tables(chart.to_dict())
    assert [c.title for c in table.columns] == ["Value", "Year"]
    assert len(table.rows) == len(data)


def test_a_series_field_named_by_a_label_column_pivots_on_the_label_in_the_scales_order():
    data = frame().assign(code=lambda d: d["series"].map({"a": "own_la", "b": "private"}),
                          name=lambda d: d["series"].map({"a": "Council's own", "b": "Private"}))
    chart = alt.Chart(data).mark_line().encode(
        x="year:Q", y="value:Q", color=alt.Color("code:N", scale=alt.Scale(domain=["private", "own_la"])),
        tooltip=[alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("name:N", title="Provider"),
                 alt.Tooltip("value:Q", title="Share (%)", format=".0f")])
    [table] = chart_tables(chart.to_dict())
    assert [c.title for c in table.columns] == ["Year", "Private: Share (%)", "Council's own: Share (%)"]
    assert table.cells() == [["2020", "\u22123", "2"], ["2021", "4", "2"]]


def test_two_columns_with_one_header_stop_the_build_naming_the_chart():
    chart = alt.Chart(frame()).mark_point().encode(
        x="year:Q", y="value:Q", tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("value:Q", title="Year")])
    with pytest.raises(ChartDataError, match="chart fig-y: two table columns are headed"):
        chart_tables(chart.to_dict(), "fig-y")


def test_data_that_is_not_inline_is_refused_with_the_chart_named():
    spec = {"data": {"url": "https://example.org/x.csv"}, "mark": "point", "encoding": {"x": {"field": "a"}}}
    with pytest.raises(ChartDataError, match="chart fig-x"):
        chart_tables(spec, "fig-x")


@pytest.mark.parametrize("value, spec, expected", [
    (83630, ",", "83,630"), (83630.0, ",", "83,630"), (2024, "d", "2024"), (0.1234, ".1%", "12.3%"),
    (-1234.5, ",.1f", "\u22121,234.5"), (1.5, ".2~f", "1.5"), (7, "unknown-format", "7"), (92.5, ".0f", "93"),
    (-0.04, ".1f", "0.0"), (0.125, ".1%", "12.5%")])
def test_number_format_follows_d3(value, spec, expected):
    assert number_format(value, spec) == expected


def test_a_chart_of_text_alone_offers_its_text():
    notes = pd.DataFrame({"label": ["peak", "low"], "when": [2021, 2020]})
    [table] = chart_tables(alt.Chart(notes).mark_text().encode(x="when:Q", text="label:N").to_dict())
    assert len(table.rows) == len(notes)
