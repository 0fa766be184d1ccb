"""Charts for the rising-demand chapter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, finding, year_axis


@chart(series="children-looked-after/england-series")
def children_in_care_rose_since_2008(series: pd.DataFrame) -> alt.Chart:
    """Children looked after on 31 March, England, every year of the national series."""
    data = series[series["measure"] == "looked_after_at_31_march"][["year", "number"]]
    first, last = int(data["year"].min()), int(data["year"].max())
    line = alt.Chart(data).mark_line().encode(
        x=year_axis(),
        y=alt.Y("number:Q", title="Children looked after", scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("year:Q", title="Year (31 March)", format="d"),
                 alt.Tooltip("number:Q", title="Children", format=",")],
    )
    points = line.mark_point(size=30)
    low = data.loc[data["number"].idxmin()]
    return finding(
        line + points,
        title="More children are in care than at any time since the series began",
        subtitle=f"Children looked after on 31 March, England, {first} to {last}",
        description=(f"Line chart of the number of children looked after in England on 31 March each year "
                     f"from {first} to {last}: {_at(data, first):,} in {first}, a low of "
                     f"{int(low['number']):,} in {int(low['year'])}, and {_at(data, last):,} in {last}."),
        data=series,
    )


def _at(data: pd.DataFrame, year: int) -> int:
    return int(data.loc[data["year"] == year, "number"].iloc[0])
