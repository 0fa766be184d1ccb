"""Every chart's table view and CSV hold what its marks draw, as they draw it (report/builder/chartdata.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from report import theme
from report.builder.chartdata import chart_tables, chart_views
from report.builder.chartformat import D3_FORMAT
from report.builder.downloads import csv_text
from tests.charts.test_charts import cases, make

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d(T|\s\d)")
LAYOUT_CHANNELS = {"xOffset", "yOffset", "order", "detail"}


@pytest.fixture(scope="module", autouse=True)
def house_theme():
    theme.enable()


@pytest.fixture(scope="module")
def specs() -> dict[str, dict]:
    return {}


def spec_of(case: str, specs: dict) -> dict:
    if case not in specs:
        specs[case] = make(case).to_dict()
    return specs[case]


@pytest.mark.parametrize("case", cases())
def test_tables_hold_only_fields_the_marks_draw_under_the_charts_own_titles(case, specs):
    spec = spec_of(case, specs)
    _, views = chart_views(spec, case)
    drawn = {d["field"] for v in views if v.mark != "text"
             for channel, defs in v.encoding.items() if channel not in LAYOUT_CHANNELS for d in defs}
    titled = {str(d.get("title")) for v in views for defs in v.encoding.values() for d in defs if d.get("title")}
    tables = chart_tables(spec, case)
    assert tables, "every chart offers its data"
    for table in tables:
        fields = [c.field.split("\x1f")[0] for c in table.columns]
        assert set(fields) <= drawn, f"fields no mark draws: {set(fields) - drawn}"
        for column in table.columns:
            base = column.title.rsplit(": ", 1)[-1] if "\x1f" in column.field else column.title
            assert base in titled, f"column {column.field!r} is headed {column.title!r}, not a title the chart gives"


@pytest.mark.parametrize("case", cases())
def test_no_helper_dataset_is_offered(case, specs):
    """Each table comes from marks that say what they mean (a tooltip); bands, keys and labels have none."""
    spec = spec_of(case, specs)
    datasets, views = chart_views(spec, case)
    meant = {d["field"] for v in views if v.mark != "text" for d in v.tooltip}
    for table in chart_tables(spec, case):
        assert {c.field.split("\x1f")[0] for c in table.columns} & meant
        assert len(table.rows) >= 1
    helpers = [key for key in datasets if not any(v.key == key and v.tooltip and v.mark != "text" for v in views)]
    offered = {repr(sorted(r.items())) for t in chart_tables(spec, case) for r in t.rows}
    for key in helpers:  # a helper's rows never appear as they are in a table
        assert not any(repr(sorted(r.items())) in offered for r in datasets[key] if len(r) > 1)


@pytest.mark.parametrize("case", cases())
def test_csv_and_table_are_rounded_as_displayed_with_unique_headers(case, specs):
    spec = spec_of(case, specs)
    for table in chart_tables(spec, case):
        header, *rows = list(csv.reader(io.StringIO(csv_text(table), newline="")))
        titles = [c.title for c in table.columns]
        assert header == titles and len(set(titles)) == len(titles), "headers are the titles, each once"
        assert len(rows) == len(table.rows)
        for index, column in enumerate(table.columns):
            values = [row.get(column.field) for row in table.rows]
            numbers = [v for v in values if isinstance(v, float) and not v.is_integer()]
            if column.numeric and numbers:
                assert column.format, f"{column.title!r}: fractions shown unrounded (give the tooltip a format)"
                decimals = _decimals(column.format)
                for cell in (r[index] for r in rows if r[index]):
                    assert len(cell.partition(".")[2].rstrip("%")) <= decimals, (column.title, cell)
                    float(cell.rstrip("%"))  # a number a spreadsheet reads: no grouping, ASCII minus
            cells = [r[index] for r in rows] + [c[index] for c in table.cells()]
            assert not any(ISO_TIME.match(cell) for cell in cells), f"{column.title!r}: timestamps shown"


def _decimals(spec: str) -> int:
    precision = D3_FORMAT.match(spec).group(8)
    return int(precision[1:]) if precision else 0


@pytest.mark.parametrize("case", ["referrals_have_stayed_high_since_2013", "spending_has_risen_in_cash_and_real_terms",
                                  "council_care_rate_against_region_and_england[council=805]"])
def test_series_a_reader_compares_are_columns_side_by_side(case, specs):
    [table, *_] = chart_tables(spec_of(case, specs), case)
    series_columns = [c for c in table.columns if "\x1f" in c.field]
    assert len(series_columns) >= 2
    positions = [row[table.columns[0].field] for row in table.rows]
    assert len(positions) == len(set(positions)), "one row per position on the shared axis"
