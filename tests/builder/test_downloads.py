"""Chart downloads: CSV safe to open in a spreadsheet, numbers as the chart rounds them; SVG and PNG written with sizes."""

from __future__ import annotations

import csv
import io

import altair as alt
import pandas as pd

from report.builder.chartdata import ChartTable, Column
from report.builder.convert import Chart
from report.builder.downloads import csv_text, file_size, write_chart_files
from report.display import CHART_MIME, chart_bundle


def test_text_cells_that_start_a_formula_are_neutralised_and_numbers_are_not():
    texts = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    table = ChartTable([Column("name", "Name"), Column("value", "Value", kind="quantitative")],
                       [{"name": t, "value": v} for t, v in zip(texts, [-5, 0.1, 3, -0.25, 1e-7, 2.0, None, 4])])
    rows = list(csv.reader(io.StringIO(csv_text(table), newline="")))
    assert rows[0] == ["Name", "Value"]  # the columns' titles, as the table view heads them
    assert [r[0] for r in rows[1:]] == ["'" + t if t[0] in "=+-@\t\r" else t for t in texts]
    assert [r[1] for r in rows[1:]] == ["-5", "0.1", "3", "-0.25", "1e-07", "2", "", "4"]


def test_chart_files_are_written_with_their_sizes(tmp_path):
    data = pd.DataFrame({"year": [2020, 2021], "number": [10, 12]})
    spec = alt.Chart(data).mark_line().encode(x="year:Q", y="number:Q").properties(description="d").to_dict()
    bundle = chart_bundle(spec)
    chart = Chart("fig-a", "A", spec, bundle[CHART_MIME]["vega"], bundle["image/svg+xml"])
    files = write_chart_files(tmp_path, chart)
    assert [d.href for d in files.downloads] == ["charts/fig-a.csv", "charts/fig-a.svg", "charts/fig-a.png"]
    for download in files.downloads:
        assert (tmp_path / download.href).stat().st_size == download.bytes > 0
    assert (tmp_path / "charts/fig-a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "charts/fig-a.csv").read_bytes() == b"year,number\r\n2020,10\r\n2021,12\r\n"


def test_file_sizes_read_as_people_write_them():
    assert [file_size(n) for n in (353, 1499, 161_000, 2_400_000)] == ["353 bytes", "1 KB", "161 KB", "2.4 MB"]
