"""Charts for the council explorer: one council (its DfE number, `council`) beside its region and England.

Every current council gets each of these, so each is split in two: a data step for all councils at once
(report/charts/_council_parts.py: each council's rows, params and texts) and a drawing that reads only those
parts, by name. The explorer draws and compiles each kind once and puts every council's parts into the
compiled spec; each chart function here draws one council the same way (tests, the PDF profile). So a
drawing never branches on the data: anything the data decide is a dataset, a param or a text (or a literal,
which gives the councils that share it a spec of their own). Each names its lines or bars in text, so no
category is told apart by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import altair as alt
import pandas as pd

from report.charts._base import chart, finding
from report.charts._council_parts import Parts, care_parts, ofsted_parts, placement_parts, spending_parts
from report.measures import money, quality
from report.theme import GRADE_COLOURS, MUTED, PALETTE, TEXT

SAMPLES = {"council": ("805", "330", "942", "839", "940", "420")}  # incl. trust, new, merged, tiny councils
PLACED = {"council": SAMPLES["council"][:-1]}  # the Isles of Scilly have no child in care to place
WIDTH, HEIGHT = 440, 200
KINDS = {"council": (PALETTE[0], [1, 0]), "region": (PALETTE[1], [1, 0]), "england": (MUTED, [6, 3]),
         "former": (PALETTE[2], [2, 2])}
BLOCK_COLOURS = [PALETTE[0], PALETTE[2], PALETTE[1], MUTED]


class NoChart(ValueError):
    """The data hold nothing to draw for this council; its page says so in words instead."""


@dataclass(frozen=True)
class Steps:
    """A kind of council chart: its data step (the chart function's frames, `codes`) and its drawing."""

    parts: Callable[..., dict[str, Parts | str]]
    draw: Callable[[Parts, list[pd.DataFrame]], alt.TopLevelMixin]


def _one(found: dict[str, Parts | str], council: str) -> Parts:
    parts = found[council]
    if isinstance(parts, str):
        raise NoChart(parts)
    return parts


def _drawn(parts: Parts, *layers: alt.Chart, data: list[pd.DataFrame], **size) -> alt.LayerChart:
    """The layers with the council's datasets, params and texts: all a council's chart has of its own."""
    params = [alt.VariableParameter(name=name, value=value) for name, value in parts.params.items()]
    layered = alt.layer(*layers, datasets=parts.datasets, **({"params": params} if params else {}), **size)
    return finding(layered, title=parts.title, subtitle=parts.subtitle, description=parts.description, data=data)


def _years(title: str | None = None) -> alt.X:
    """Years from the params `year_from` to `year_to`, as whole numbers."""
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1, tickCount=5),
                 scale=alt.Scale(domain=[{"expr": "year_from"}, {"expr": "year_to"}], nice=False, zero=False,
                                 padding=10))


def draw_care_rate(parts: Parts, data: list[pd.DataFrame]) -> alt.LayerChart:
    """Lines by area (dashed for England, dotted for a predecessor), each named at its last year."""
    colour = alt.Color("kind:N", legend=None, scale=alt.Scale(domain=list(KINDS), range=[k[0] for k in KINDS.values()]))
    dash = alt.StrokeDash("kind:N", legend=None, scale=alt.Scale(domain=list(KINDS),
                                                                 range=[k[1] for k in KINDS.values()]))
    base = alt.Chart(alt.NamedData(name="lines")).encode(
        x=_years(), y=alt.Y("rate:Q", title="Per 10,000 children", scale=alt.Scale(zero=True)), color=colour)
    lines = base.mark_line(strokeWidth=2.5).encode(detail=alt.Detail("area:N"), strokeDash=dash, tooltip=[
        alt.Tooltip("area:N", title="Area"), alt.Tooltip("year:Q", title="31 March", format="d"),
        alt.Tooltip("rate:Q", title="Per 10,000 children")])
    labels = alt.Chart(alt.NamedData(name="labels")).mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("label_y:Q"), text=alt.Text("text:N"))
    earlier = alt.Chart(alt.NamedData(name="earlier")).mark_text(align="right", dy=-10, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("rate:Q"), text=alt.Text("text:N"))
    return _drawn(parts, lines, labels, earlier, data=data, width=WIDTH, height=HEIGHT)


@chart(samples=SAMPLES, la_rates="children-looked-after/la-rates", authorities="local-authorities/local-authorities")
def council_care_rate_against_region_and_england(la_rates: pd.DataFrame, authorities: pd.DataFrame,
                                                 council: str) -> alt.LayerChart:
    """The council's rate of children in care over time, with its region's, England's and any predecessor's."""
    return draw_care_rate(_one(care_parts(la_rates, authorities, [council]), council), [la_rates, authorities])


def draw_ofsted(parts: Parts, data: list[pd.DataFrame]) -> alt.LayerChart:
    """Grades as points on a time line (open for predecessors), the framework written above or below."""
    grade_colour = alt.Color("grade:N", legend=None, scale=alt.Scale(
        domain=quality.GRADES, range=[GRADE_COLOURS[g] for g in quality.GRADES]))
    base = alt.Chart(alt.NamedData(name="points")).encode(
        x=alt.X("date:T", title="Report published", axis=alt.Axis(format="%Y", tickCount=6),
                scale=alt.Scale(domain=[{"expr": "datetime(date_from)"}, {"expr": "datetime(date_to)"}])),
        y=alt.Y("grade:N", title=None, sort=quality.GRADES, scale=alt.Scale(domain=quality.GRADES)))
    tooltip = [alt.Tooltip("date:T", title="Published", format="%-d %B %Y"),
               alt.Tooltip("framework:N", title="Framework"), alt.Tooltip("grade:N", title="Overall grade"),
               alt.Tooltip("council:N", title="Council inspected")]
    points = base.mark_point(size=110, opacity=1, strokeWidth=2.5, filled=False).encode(
        color=grade_colour, tooltip=tooltip)
    solid = alt.Chart(alt.NamedData(name="solid")).mark_point(size=110, opacity=1, filled=True).encode(
        x=alt.X("date:T"), y=alt.Y("grade:N"), color=grade_colour)
    above, below = (alt.Chart(alt.NamedData(name=name)).mark_text(dy=dy, fontSize=11, color=TEXT).encode(
        x=alt.X("date:T"), y=alt.Y("grade:N"), text=alt.Text("label:N")) for name, dy in (("above", -13),
                                                                                        ("below", 15)))
    return _drawn(parts, points, solid, above, below, data=data, width=WIDTH, height=150)


@chart(samples=SAMPLES, inspections="ofsted-inspections/inspections",
       authorities="local-authorities/local-authorities")
def council_ofsted_judgements(inspections: pd.DataFrame, authorities: pd.DataFrame, council: str) -> alt.LayerChart:
    """Every overall Ofsted grade of the council's children's services (and its predecessors'), over time."""
    return draw_ofsted(_one(ofsted_parts(inspections, authorities, [council]), council), [inspections, authorities])


def draw_placements(parts: Parts, data: list[pd.DataFrame]) -> alt.LayerChart:
    """A bar per provider (the council's share), a mark for England's, both written beside."""
    base = alt.Chart(alt.NamedData(name="bars")).encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField(field="order", op="min")))
    bars = base.mark_bar(color=PALETTE[0], height=16).encode(
        x=alt.X("share:Q", title="Share of children looked after (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("label:N", title="Provider"), alt.Tooltip("number:Q", title="Children", format=","),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
                 alt.Tooltip("england:Q", title="England share (%)", format=".1f")])
    ticks = base.mark_tick(color=TEXT, thickness=2, size=22).encode(x=alt.X("england:Q"))
    labels = base.mark_text(align="left", dx=6, color=TEXT).encode(x=alt.X("bar_end:Q"), text=alt.Text("text:N"))
    return _drawn(parts, bars, ticks, labels, data=data, width=WIDTH - 120, height=alt.Step(24))


@chart(samples=PLACED, placements="placements/placement-provider",
       authorities="local-authorities/local-authorities")
def council_placements_by_provider(placements: pd.DataFrame, authorities: pd.DataFrame,
                                   council: str) -> alt.LayerChart:
    """Who provided the council's placements on the latest 31 March, each share beside England's."""
    return draw_placements(_one(placement_parts(placements, authorities, [council]), council),
                           [placements, authorities])


def draw_spending(parts: Parts, data: list[pd.DataFrame]) -> alt.LayerChart:
    """A line per block in real terms (broken where years are missing), each named at the last year."""
    base_year = parts.literals["base"]
    names = list(money.BLOCKS.values())
    colour = alt.Color("name:N", legend=None, scale=alt.Scale(domain=names, range=BLOCK_COLOURS))
    base = alt.Chart(alt.NamedData(name="lines")).encode(
        x=_years("Financial year ending March"), y=alt.Y("millions:Q", title=f"£ million, {base_year} prices"),
        color=colour)
    drawn = base.mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=20, filled=True)).encode(
        detail=alt.Detail("segment:N"), tooltip=[
            alt.Tooltip("name:N", title="Block"), alt.Tooltip("period:N", title="Financial year"),
            alt.Tooltip("millions:Q", title=f"£ million ({base_year} prices)", format=",.1f")])
    labels = alt.Chart(alt.NamedData(name="labels")).mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("label_y:Q"), text=alt.Text("text:N"))
    return _drawn(parts, drawn, labels, data=data, width=WIDTH - 60, height=HEIGHT)


@chart(samples=SAMPLES, outturn="spending/s251-outturn", lines="spending/s251-lines",
       lait="spending/lait-spending", deflators="deflators/gdp-deflator",
       authorities="local-authorities/local-authorities")
def council_spending_by_block(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                              deflators: pd.DataFrame, authorities: pd.DataFrame, council: str) -> alt.LayerChart:
    """The council's children's social care spending by block, real terms, every year the files hold."""
    found = spending_parts(outturn, lines, lait, deflators, authorities, [council])
    return draw_spending(_one(found, council), [outturn, lines, lait, deflators, authorities])


STEPS = {  # by chart function: how the explorer draws every council's chart of that kind
    "council_care_rate_against_region_and_england": Steps(care_parts, draw_care_rate),
    "council_ofsted_judgements": Steps(ofsted_parts, draw_ofsted),
    "council_placements_by_provider": Steps(placement_parts, draw_placements),
    "council_spending_by_block": Steps(spending_parts, draw_spending),
}
