"""Charts that test the 2016 findings against today's data (chapters 8 to 10)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, finding
from report.measures import findings as measures
from report.theme import GRADE_COLOURS, PALETTE

GRADE_AXIS = alt.Scale(domain=measures.GRADES)
CLOSE = 5.0  # percentage points: medians this close count as "barely differs"


@chart(inspections="ofsted-inspections/inspections", organisation_las="delivery-models/organisation-las",
       organisations="delivery-models/organisations", local_authorities="local-authorities/local-authorities")
def councils_run_by_trusts_were_graded_better_later(inspections: pd.DataFrame, organisation_las: pd.DataFrame,
                                                    organisations: pd.DataFrame,
                                                    local_authorities: pd.DataFrame) -> alt.LayerChart:
    """Each council's last overall grade before a trust or company took over, and its latest since."""
    frame = measures.grades_around_handover(inspections, organisation_las, organisations, local_authorities)
    frame = frame.sort_values(["from_date", "area_name"])
    frame["council"] = frame["area_name"] + " (" + frame["from_date"].dt.year.astype(str) + ")"
    points = pd.concat([
        frame[["council", "before"]].rename(columns={"before": "grade"}).assign(when="Last grade before"),
        frame[["council", "after"]].rename(columns={"after": "grade"}).assign(when="Latest grade since"),
    ]).dropna(subset=["grade"])
    order = list(frame["council"])
    y = alt.Y("council:N", sort=order, title=None)
    links = alt.Chart(frame.dropna(subset=["before", "after"])).mark_rule(strokeWidth=2, color="#b1b4b6").encode(
        y=y, x=alt.X("before:O", scale=GRADE_AXIS), x2="after:O")
    dots = alt.Chart(points).mark_point(filled=True, size=110, opacity=1).encode(
        y=y,
        x=alt.X("grade:O", scale=GRADE_AXIS, title="Ofsted overall grade",
                axis=alt.Axis(labelAngle=0, grid=True,
                              labelExpr="datum.label == 'Requires improvement' ? ['Requires', 'improvement'] : datum.label")),
        color=alt.Color("when:N", title=None, scale=alt.Scale(domain=["Last grade before", "Latest grade since"],
                                                                 range=[PALETTE[4], PALETTE[1]])),
        shape=alt.Shape("when:N", title=None, scale=alt.Scale(domain=["Last grade before", "Latest grade since"],
                                                                 range=["circle", "diamond"])),
        tooltip=["council:N", "when:N", "grade:N"],
    )
    both = frame.dropna(subset=["before", "after"])
    better = int((both["change"] == "better").sum())
    first, last = int(frame["from_date"].dt.year.min()), int(frame["from_date"].dt.year.max())
    return finding(
        (links + dots).properties(height=alt.Step(26), width=520),
        title=f"{better} of {len(both)} councils handed to a trust or company were graded better later",
        subtitle=(f"Last Ofsted overall grade before the handover and latest while run by the trust or company, "
                  f"councils in England, handovers {first} to {last}"),
        description=_handover_description(frame),
        data=[inspections, organisation_las, organisations, local_authorities],
    )


def _handover_description(frame: pd.DataFrame) -> str:
    parts = []
    for row in frame.itertuples():
        before = "no overall grade before" if pd.isna(row.before) else f"{row.before} before"
        after = "not inspected since" if pd.isna(row.after) else f"{row.after} since"
        parts.append(f"{row.council}: {before}, {after}")
    return ("Dot chart of Ofsted overall grades for each council whose children's services moved to a trust "
            "or company, year of the handover in brackets. " + "; ".join(parts) + ".")


@chart(placement_provider="placements/placement-provider", inspections="ofsted-inspections/inspections",
       local_authorities="local-authorities/local-authorities")
def private_placements_barely_differ_by_ofsted_grade(placement_provider: pd.DataFrame, inspections: pd.DataFrame,
                                                     local_authorities: pd.DataFrame) -> alt.LayerChart:
    """Councils' private share of placements against their latest Ofsted grade: one dot per council."""
    frame = measures.private_share_by_grade(placement_provider, inspections, local_authorities)
    frame["jitter"] = (frame.index * 0.618034) % 1  # spreads dots within a row, the same on every build
    medians = frame.groupby("overall_effectiveness", as_index=False)["private_share"].median()
    medians = medians.sort_values("overall_effectiveness", key=lambda g: g.map(measures.GRADES.index))
    order = measures.GRADES[::-1]
    y = alt.Y("overall_effectiveness:N", sort=order, title=None, scale=alt.Scale(domain=order))
    x = alt.X("private_share:Q", title="Children placed with private providers (%)",
              scale=alt.Scale(domain=[0, 100]))
    dots = alt.Chart(frame).mark_circle(size=40, opacity=0.7).encode(
        x=x, y=y, yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(range=[4, 30])),
        color=alt.Color("overall_effectiveness:N", legend=None,
                        scale=alt.Scale(domain=list(GRADE_COLOURS), range=list(GRADE_COLOURS.values()))),
        tooltip=["area_name:N", "overall_effectiveness:N",
                 alt.Tooltip("private_share:Q", title="Private share (%)", format=".0f")],
    )
    ticks = alt.Chart(medians).mark_tick(thickness=3, size=30, color=PALETTE[4]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("private_share:Q", title="Median (%)", format=".0f")])
    spread = float(medians["private_share"].max() - medians["private_share"].min())
    year = int(frame["year"].iloc[0])
    title = ("Councils graded well and badly buy private placements to much the same extent" if spread < CLOSE
             else "Councils' use of private placements differs with their Ofsted grade")
    summary = "; ".join(f"{r.overall_effectiveness} {len(frame[frame.overall_effectiveness == r.overall_effectiveness])}"
                        f" councils, median {r.private_share:.0f}%" for r in medians.itertuples())
    return finding(
        (dots + ticks).properties(height=alt.Step(44), width=520),
        title=title,
        subtitle=(f"Share of each council's children looked after on 31 March {year} placed with private "
                  f"providers, by its latest Ofsted overall grade; bar = median; England"),
        description=(f"Strip chart, one dot per council, of the percentage of children looked after on 31 March "
                     f"{year} placed with private providers, grouped by the council's latest Ofsted overall "
                     f"grade: {summary}."),
        data=[placement_provider, inspections, local_authorities],
    )
