"""Charts that test the 2016 findings against today's data (chapters 8 to 10; the grades of councils run
by trusts are charted once, in chapter 6: report/charts/delivery.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, finding
from report.measures import findings as measures
from report.measures.quality import GRADES
from report.theme import GRADE_COLOURS, PALETTE

CLOSE = 5.0  # percentage points: medians this close count as "barely differs"


@chart(placement_provider="placements/placement-provider", inspections="ofsted-inspections/inspections",
       local_authorities="local-authorities/local-authorities")
def private_placements_barely_differ_by_ofsted_grade(placement_provider: pd.DataFrame, inspections: pd.DataFrame,
                                                     local_authorities: pd.DataFrame) -> alt.LayerChart:
    """Councils' private share of placements against their latest Ofsted grade: one dot per council."""
    frame = measures.private_share_by_grade(placement_provider, inspections, local_authorities)
    frame["jitter"] = (frame.index * 0.618034) % 1  # spreads dots within a row, the same on every build
    medians = frame.groupby("grade", as_index=False)["private_share"].median()
    medians = medians.sort_values("grade", key=lambda g: g.map(GRADES.index), ascending=False)
    y = alt.Y("grade:N", sort=GRADES, title=None, scale=alt.Scale(domain=GRADES))
    x = alt.X("private_share:Q", title="Children placed with private providers (%)",
              scale=alt.Scale(domain=[0, 100]))
    dots = alt.Chart(frame).mark_circle(size=40, opacity=1, stroke="white", strokeWidth=0.75).encode(
        x=x, y=y, yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(range=[4, 30])),
        color=alt.Color("grade:N", legend=None,
                        scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values()))),
        tooltip=[alt.Tooltip("la_name:N", title="Council"), alt.Tooltip("grade:N", title="Grade"),
                 alt.Tooltip("private_share:Q", title="Private share (%)", format=".0f")],
    )
    ticks = alt.Chart(medians).mark_tick(thickness=3, size=30, color=PALETTE[4]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("private_share:Q", title="Median (%)", format=".0f")])
    spread = float(medians["private_share"].max() - medians["private_share"].min())
    year = int(frame["year"].iloc[0])
    title = ("Councils graded well and badly buy private placements to much the same extent" if spread < CLOSE
             else "Councils' use of private placements differs with their Ofsted grade")
    summary = "; ".join(f"{r.grade} {(frame['grade'] == r.grade).sum()} councils, median {r.private_share:.0f}%"
                        for r in medians.itertuples())
    return finding(
        (dots + ticks).properties(height=alt.Step(44), width=520),
        title=title,
        subtitle=[f"Share of each council's children looked after on 31 March {year} placed with private "
                  f"providers, England", "By the council's latest Ofsted overall grade; bar = median"],
        description=(f"Strip chart, one dot per council, of the percentage of children looked after on 31 March "
                     f"{year} placed with private providers, grouped by the council's latest Ofsted overall "
                     f"grade: {summary}."),
        data=[placement_provider, inspections, local_authorities],
    )
