"""Charts for the new-delivery-models chapter: trusts and council-owned companies, and their grades."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, finding
from report.measures import delivery
from report.measures.quality import GRADES
from report.theme import CONNECTOR, GRADE_COLOURS, PALETTE, PHONE_OMIT

TRIGGER_COLOURS = {"statutory_direction": PALETTE[2], "agreed_after_inadequate": PALETTE[3],
                   "voluntary": PALETTE[1]}
TEXT_ON = {"statutory_direction": "white", "agreed_after_inadequate": "#0b0c0c", "voluntary": "#0b0c0c"}
WORST_FIRST = list(reversed(GRADES))
KEY = {"Before the hand-over": "circle", "Latest while run": "diamond"}


def _key() -> alt.LayerChart:
    """A shape key drawn as marks (a legend cannot show hollow and filled symbols side by side)."""
    data = pd.DataFrame({"when": list(KEY), "shape": list(KEY.values()), "x": [0, 170],
                         "filled": [False, True]})
    axis = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, 440]))
    hollow = alt.Chart(data[~data["filled"]]).mark_point(
        size=200, strokeWidth=2.5, color="#3D3D3D", shape="circle", filled=False, opacity=1).encode(x=axis)
    solid = alt.Chart(data[data["filled"]]).mark_point(size=120, filled=True, color="#3D3D3D",
                                                       shape="diamond", opacity=1).encode(x=axis)
    text = alt.Chart(data).mark_text(align="left", dx=12).encode(x=axis, text="when:N")
    return (hollow + solid + text).properties(width=440, height=20)


def _datetime(day: pd.Timestamp) -> int:
    """A day as Vega's time value (milliseconds since 1970, UTC)."""
    return int(pd.Timestamp(day).tz_localize(None).value // 1_000_000)


def _month(value) -> str:
    return f"{pd.Timestamp(value):%B %Y}"


def _group(rows: pd.DataFrame, trigger: str, domain: list) -> alt.LayerChart:
    """One trigger's organisations: a bar each from start to end, councils inside, the ending after."""
    x = alt.X("start:T", title=None, scale=alt.Scale(domainMin=domain[0], domainMax=domain[1]),
              axis=alt.Axis(format="%Y", tickCount="year", grid=True, labelFlush=False))
    y = alt.Y("name:N", sort=list(rows["name"]), title=None, axis=alt.Axis(labelLimit=260, minExtent=230))
    base = alt.Chart(rows).encode(y=y)
    bars = base.mark_bar(height=20, color=TRIGGER_COLOURS[trigger]).encode(
        x=x, x2="end:T",
        tooltip=[alt.Tooltip("name:N", title="Organisation"), alt.Tooltip("councils:N", title="Councils"),
                 alt.Tooltip("start:T", title="From", format="%B %Y"), alt.Tooltip("why:N", title="Why"),
                 alt.Tooltip("now:N", title="Now")])
    inside = base.mark_text(align="left", dx=5, color=TEXT_ON[trigger], fontSize=10).encode(
        x="start:T", text="councils:N").properties(name=f"{PHONE_OMIT}-councils-{trigger}")
    ending = base.mark_text(align="right", dx=-5, color=TEXT_ON[trigger], fontSize=10,
                                                          fontStyle="italic").encode(
        x="end:T", text="ending:N").properties(name=f"{PHONE_OMIT}-ending-{trigger}")
    return (bars + inside + ending).properties(
        width=600, height=26 * len(rows),
        title=alt.TitleParams(delivery.TRIGGERS[trigger], fontSize=13))


@chart(organisations="delivery-models/organisations", served="delivery-models/organisation-las")
def most_trusts_were_set_up_after_services_failed(organisations: pd.DataFrame, served: pd.DataFrame,
                                                 as_at: str | None = None) -> alt.VConcatChart:
    """Each organisation's years delivering services, grouped by why it was set up (to `as_at`, by default
    the latest date in the data)."""
    as_at = as_at or delivery.latest_date(organisations)
    rows = delivery.timeline(organisations, served, as_at)
    rows["ending"] = [delivery.ending(row) for row in rows.itertuples()]
    domain = [_datetime(pd.Timestamp(rows["start"].min()).replace(month=1, day=1)),
              _datetime(pd.Timestamp(as_at))]
    groups = [_group(rows[rows["trigger"] == t], t, domain) for t in delivery.TRIGGERS
              if (rows["trigger"] == t).any()]
    counts = rows["trigger"].value_counts()
    imposed = counts.get("statutory_direction", 0) + counts.get("agreed_after_inadequate", 0)
    ended = rows.loc[~rows["running"], "name"].tolist()
    return finding(
        alt.vconcat(*groups, spacing=14).resolve_scale(x="shared"),
        title=f"{imposed} of the {len(rows)} organisations followed an inadequate judgement",
        subtitle=(f"Trusts and companies running councils' children's services, England, from hand-over to "
                  f"return or {_month(as_at)}, grouped by why each was set up"),
        description=(f"Timeline of {len(rows)} organisations that have run councils' children's services, "
                     f"the first from {_month(rows['start'].min())}: {counts.get('statutory_direction', 0)} "
                     f"set up on a government direction, {counts.get('agreed_after_inadequate', 0)} agreed "
                     f"with the Department for Education after an inadequate judgement and "
                     f"{counts.get('voluntary', 0)} by the councils' own choice. "
                     f"{' and '.join(ended)} handed services back to their councils."),
        data=[organisations, served],
    )


@chart(served="delivery-models/organisation-las", organisations="delivery-models/organisations",
       inspections="ofsted-inspections/inspections", authorities="local-authorities/local-authorities")
def councils_grades_improved_under_trusts_and_companies(served: pd.DataFrame, organisations: pd.DataFrame,
                                                        inspections: pd.DataFrame,
                                                        authorities: pd.DataFrame) -> alt.LayerChart:
    """Each council's grade just before the hand-over and at its latest inspection while the body ran it."""
    grades = delivery.grades_around_transfer(served, organisations, inspections, authorities)
    grades["row"] = grades["council"] + " (" + grades["organisation"] + ")"
    before = grades.assign(when="Before the hand-over", grade=grades["before"],
                           framework=grades["before_framework"], date=grades["before_date"])
    during = grades.assign(when="Latest while run", grade=grades["while_run"],
                           framework=grades["while_run_framework"], date=grades["while_run_date"])
    points = pd.concat([before, during]).dropna(subset=["grade"])
    points["date"] = pd.to_datetime(points["date"]).dt.year.astype(str)
    scale_x = alt.Scale(domain=WORST_FIRST, padding=0.6)
    x = alt.X("grade:N", sort=WORST_FIRST, scale=scale_x, title=None,
              axis=alt.Axis(labelAngle=0, grid=True, labelExpr="split(datum.label, ' ')"))
    y = alt.Y("row:N", sort=list(grades["row"]), title=None, axis=alt.Axis(labelLimit=380))
    grade_scale = alt.Scale(domain=GRADES, range=[GRADE_COLOURS[g] for g in GRADES])
    shape = alt.Shape("when:N", scale=alt.Scale(domain=list(KEY), range=list(KEY.values())), legend=None)
    tooltip = [alt.Tooltip("row:N", title="Council (organisation)"), alt.Tooltip("when:N", title="When"),
               alt.Tooltip("grade:N", title="Grade"), alt.Tooltip("framework:N", title="Inspection"),
               alt.Tooltip("date:N", title="Published")]
    links = grades.dropna(subset=["before", "while_run"])
    rule = alt.Chart(links).mark_rule(strokeWidth=2, color=CONNECTOR).encode(
        y=y, x=alt.X("before:N", sort=WORST_FIRST, scale=scale_x), x2="while_run:N")
    was = alt.Chart(points[points["when"] == "Before the hand-over"]).mark_point(
        size=360, strokeWidth=2.5, filled=False, opacity=1).encode(
        x=x, y=y, shape=shape, stroke=alt.Stroke("grade:N", scale=grade_scale, legend=None),
        fill=alt.value("white"), tooltip=tooltip)
    now = alt.Chart(points[points["when"] == "Latest while run"]).mark_point(
        size=150, filled=True, opacity=1).encode(
        x=x, y=y, shape=shape, color=alt.Color("grade:N", scale=grade_scale, legend=None), tooltip=tooltip)
    waiting = grades[grades["while_run"].isna()].assign(text="no inspection yet under the new body",
                                                        at=grades["before"])
    unknown = grades[grades["before"].isna() & grades["while_run"].notna()].assign(
        text="no overall grade before the hand-over", at=grades["while_run"])
    after_note = alt.Chart(waiting).mark_text(align="left", dx=14, fontSize=11, color="#3D3D3D").encode(
        y=y, x=alt.X("at:N", sort=WORST_FIRST, scale=scale_x), text="text:N")
    before_note = alt.Chart(unknown).mark_text(align="right", dx=-14, fontSize=11, color="#3D3D3D").encode(
        y=y, x=alt.X("at:N", sort=WORST_FIRST, scale=scale_x), text="text:N")
    moved = delivery.moved(grades)
    return finding(
        alt.vconcat(_key(), (rule + was + now + after_note + before_note).properties(width=440, height=30 * len(grades)),
                    spacing=4),
        title=f"{moved['better']} of {moved['judged']} councils were graded higher under the new body than before",
        subtitle=(f"Ofsted grade before services moved to a trust or company, and latest grade while it ran "
                  f"them, England, inspections to {inspections['inspection_date'].max():%B %Y}"),
        description=(f"Dot chart for {len(grades)} councils whose children's services moved to a trust or "
                     f"company: the grade before the move and the latest grade while the organisation ran "
                     f"the services. {moved['better']} rose, {moved['same']} stayed the same, "
                     f"{moved['worse']} fell, {moved['no_before']} had no overall grade before and "
                     f"{moved['not_yet']} had no inspection yet under the new body. "
                     + "; ".join(f"{r.council}: {r.before} to {r.while_run}" for r in links.itertuples())
                     + "."),
        data=[served, organisations, inspections, authorities],
    )
