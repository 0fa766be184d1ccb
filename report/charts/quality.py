"""Charts for the quality chapter: Ofsted's overall judgements of councils' children's services."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, end_of_band, finding, stack_labels
from report.fmt import fraction_words
from report.measures import quality
from report.theme import GRADE_COLOURS, label_colour

INK = {"Outstanding": "white", "Good": "#0b0c0c", "Requires improvement": "#0b0c0c", "Inadequate": "white"}
GRADE_SCALE = alt.Scale(domain=quality.GRADES, range=[GRADE_COLOURS[g] for g in quality.GRADES])


def _date(value) -> str:
    return f"{pd.Timestamp(value):%-d %B %Y}"


def _grade_bars(counts: pd.Series, axis_title: str) -> alt.LayerChart:
    """Horizontal bars, one per grade (best at the top), each labelled with its count and share."""
    data = counts.rename_axis("grade").reset_index()
    data["label"] = [f"{n:,} ({n / counts.sum():.0%})" for n in data["inspections"]]
    base = alt.Chart(data).encode(
        y=alt.Y("grade:N", sort=quality.GRADES, title=None),
        x=alt.X("inspections:Q", title=axis_title, scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("grade:N", title="Grade"), alt.Tooltip("inspections:Q", title="Councils")],
    )
    bars = base.mark_bar(height=30).encode(color=alt.Color("grade:N", scale=GRADE_SCALE, legend=None))
    labels = base.mark_text(align="left", dx=5).encode(text="label:N")
    return (bars + labels).properties(height=140)


def _counts_text(counts: pd.Series) -> str:
    return ", ".join(f"{n} {grade.lower()}" for grade, n in counts.items())


@chart(inspections="ofsted-inspections/inspections")
def most_councils_inspected_by_2016_were_not_good(inspections: pd.DataFrame,
                                                  published_by: str = "2016-03-31") -> alt.LayerChart:
    """First SIF judgements published by March 2016: the period the 2016 report described."""
    rows = quality.first_sif(inspections, published_by)
    counts = quality.grade_counts(rows)
    share = quality.share_not_good(counts)
    first, last = rows["publication_date"].min(), rows["publication_date"].max()
    return finding(
        _grade_bars(counts, "Councils"),
        title=f"{fraction_words(share).capitalize()} of councils inspected by March 2016 were not good",
        subtitle=(f"Overall judgement of the first single inspection framework (SIF) inspection, "
                  f"{counts.sum()} councils, England, reports published {_date(first)} to {_date(last)}"),
        description=(f"Bar chart of the overall judgements of the {counts.sum()} councils whose first SIF "
                     f"inspection report was published by {_date(published_by)}: {_counts_text(counts)}. "
                     f"{share:.0%} were judged requires improvement or inadequate."),
        data=inspections,
    )


@chart(inspections="ofsted-inspections/inspections")
def more_inspections_found_good_services_under_ilacs(inspections: pd.DataFrame) -> alt.LayerChart:
    """The mix of grades in each year's published inspections, SIF then ILACS."""
    data = quality.grades_by_year(inspections)
    data["order"] = data["grade"].map({g: i for i, g in enumerate(quality.GRADES)})
    data = data.sort_values(["year", "order"])
    data["mid"] = data.groupby("year")["share"].cumsum() - data["share"] / 2
    data["label"] = [str(n) if s >= 9 else "" for n, s in zip(data["inspections"], data["share"])]
    data["ink"] = data["grade"].map(INK)
    good = quality.good_or_better_by_year(inspections).rename("good").reset_index()
    totals = data.groupby("year")["inspections"].sum().rename("total").reset_index()
    good = good.merge(totals, on="year").assign(top=100)
    good["label"] = good["good"].map(lambda v: f"{v:.0f}%")
    x = alt.X("year:O", title="Year the report was published", axis=alt.Axis(labelAngle=0),
              scale=alt.Scale(paddingInner=0.25))
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x,
        y=alt.Y("share:Q", title="Share of inspections (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("grade:N", scale=GRADE_SCALE, sort=quality.GRADES, legend=None),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title="Published"), alt.Tooltip("grade:N", title="Grade"),
                 alt.Tooltip("inspections:Q", title="Inspections"),
                 alt.Tooltip("share:Q", title="Share (%)", format=".0f")],
    )
    counts = alt.Chart(data).mark_text(fontSize=10).encode(
        x=x, y="mid:Q", text="label:N", color=alt.Color("ink:N", scale=None))
    rule = alt.Chart(good).mark_tick(color="#0b0c0c", thickness=2, size=44).encode(
        x=x, y="good:Q", tooltip=[alt.Tooltip("year:O", title="Published"),
                                  alt.Tooltip("good:Q", title="Good or outstanding (%)", format=".0f"),
                                  alt.Tooltip("total:Q", title="All inspections")])
    good_text = alt.Chart(good).mark_text(dy=-8, fontWeight="bold", fontSize=11, color="#0b0c0c").encode(
        x=x, y="top:Q", text="label:N")
    years = good.set_index("year")
    return finding(
        (bars + counts + rule + good_text + _grade_names(data, x)).properties(width=620, height=320),
        title="More inspections now find services good or outstanding",
        subtitle=[f"Overall judgements of SIF and ILACS inspections by year of publication, England, "
                  f"{years.index.min()} to {years.index.max()}",
                  "Above each bar and black tick: share good or outstanding"],
        description=(f"Stacked bar chart of the grades of councils' children's services inspections "
                     f"published each year from {years.index.min()} to {years.index.max()}. The share "
                     f"judged good or outstanding was {years['good'].iloc[0]:.0f}% in {years.index.min()} "
                     f"({years['total'].iloc[0]} inspections), "
                     f"{years['good'].min():.0f}% at its lowest in {years['good'].idxmin()} and "
                     f"{years['good'].iloc[-1]:.0f}% in {years.index.max()} ({years['total'].iloc[-1]} "
                     f"inspections)."),
        data=inspections,
    )


def _grade_names(data: pd.DataFrame, x: alt.X) -> alt.Chart:
    """Each grade named beside the latest year's bar, at the middle of its segment (a grade the year lacks
    at the edge it would take), in its colour: the bars need no legend."""
    last = data[data["year"] == data["year"].max()].set_index("grade").reindex(quality.GRADES)
    last = last.assign(share=last["share"].fillna(0)).rename_axis("grade").reset_index()
    last = last.assign(at=stack_labels(last, "share", 5), ink=last["grade"].map(GRADE_COLOURS).map(label_colour))
    return alt.Chart(last.assign(year=data["year"].max())).mark_text(align="left", dx=6).encode(
        x=end_of_band(x), y="at:Q", text="grade:N", color=alt.Color("ink:N", scale=None))


@chart(inspections="ofsted-inspections/inspections", authorities="local-authorities/local-authorities")
def most_councils_are_now_good_or_better(inspections: pd.DataFrame,
                                         authorities: pd.DataFrame) -> alt.LayerChart:
    """Each current council's latest grade: where the system stands now."""
    latest = quality.latest_grades(inspections, authorities)
    counts = quality.grade_counts(latest.dropna(subset=["grade"]))
    good = counts[["Outstanding", "Good"]].sum() / counts.sum()
    return finding(
        _grade_bars(counts, "Councils"),
        title=f"{fraction_words(good).capitalize()} of councils are now judged good or outstanding",
        subtitle=(f"Overall judgement of each council's latest inspection, {counts.sum()} councils, England, "
                  f"reports published {_date(latest['publication_date'].min())} to "
                  f"{_date(latest['publication_date'].max())}"),
        description=(f"Bar chart of the latest overall judgement of each of the {counts.sum()} councils with "
                     f"children's services: {_counts_text(counts)}. {good:.0%} are good or outstanding."),
        data=[inspections, authorities],
    )


@chart(inspections="ofsted-inspections/inspections", authorities="local-authorities/local-authorities")
def most_councils_first_judged_inadequate_are_now_good(inspections: pd.DataFrame,
                                                       authorities: pd.DataFrame) -> alt.LayerChart:
    """First SIF grade against latest grade: how far councils have moved since 2014-2017."""
    moves = quality.first_to_latest(inspections, authorities)
    grid = pd.MultiIndex.from_product([quality.GRADES, quality.GRADES], names=["first", "latest"])
    data = moves.set_index(["first", "latest"]).reindex(grid, fill_value=0).reset_index()
    data["label"] = data["councils"].astype(str)
    improved, inadequate = quality.improved_from(moves, ["Inadequate"], ["Good", "Outstanding"])
    years = quality.first_sif(inspections)["year"]
    base = alt.Chart(data).encode(
        x=alt.X("latest:N", sort=quality.GRADES, title="Latest judgement",
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("first:N", sort=quality.GRADES, title="First SIF judgement"),
        tooltip=[alt.Tooltip("first:N", title="First SIF"), alt.Tooltip("latest:N", title="Latest"),
                 alt.Tooltip("councils:Q", title="Councils")],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("councils:Q", scale=alt.Scale(range=["#f3f2f1", "#12436D"], interpolate="rgb"),
                        legend=None))
    text = base.mark_text(fontSize=14).encode(
        text="label:N",
        color=alt.condition(alt.datum.councils > 15, alt.value("white"), alt.value("#0b0c0c")))
    return finding(
        (cells + text).properties(width=440, height=200),
        title=f"{improved} of the {inadequate} councils first judged inadequate are now good or better",
        subtitle=(f"Councils by the overall judgement of their first SIF inspection ({years.min()} to "
                  f"{years.max()}) and of "
                  f"their latest inspection, {data['councils'].sum()} current councils, England"),
        description=(f"Grid counting the {data['councils'].sum()} current councils by first SIF grade (rows) "
                     f"and latest grade (columns). Of the {inadequate} councils first judged inadequate, "
                     f"{improved} are now good or outstanding."),
        data=[inspections, authorities],
    )
