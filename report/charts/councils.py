"""Charts for the council explorer: one council (its DfE number, `council`) beside its region and England.

Small and simple on purpose: every current council gets each of these, so they are drawn some 600 times
per build. Each names its lines or bars in text, so no category is told apart by colour alone.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from report import fmt
from report.charts._base import chart, finding, spread_labels
from report.measures import councils, money, quality
from report.theme import GRADE_COLOURS, MUTED, PALETTE, TEXT

SAMPLES = {"council": ("805", "330", "942", "839", "940", "420")}  # incl. trust, new, merged, tiny councils
PLACED = {"council": SAMPLES["council"][:-1]}  # the Isles of Scilly have no child in care to place
WIDTH, HEIGHT = 440, 200
KINDS = {"council": (PALETTE[0], [1, 0]), "region": (PALETTE[1], [1, 0]), "england": (MUTED, [6, 3]),
         "former": (PALETTE[2], [2, 2])}
SHORT = {"SIF re-inspection": "SIF re-inspection", "ILACS standard": "ILACS", "ILACS short": "ILACS short",
         "CPI": "child protection", "CPI re-inspection": "child protection", "TLAC": "looked after"}
BLOCK_COLOURS = [PALETTE[0], PALETTE[2], PALETTE[1], MUTED]


class NoChart(ValueError):
    """The data hold nothing to draw for this council; its page says so in words instead."""


def _compared(value: float, other: float) -> str:
    """"higher than", "lower than" or "about the same as" (within 5%)."""
    if abs(value - other) <= 0.05 * other:
        return "about the same as"
    return "higher than" if value > other else "lower than"


def _years(first: int, last: int, title: str | None = None) -> alt.X:
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1, tickCount=5),
                 scale=alt.Scale(domain=[first, last], nice=False, zero=False, padding=10))


@chart(samples=SAMPLES, la_rates="children-looked-after/la-rates", authorities="local-authorities/local-authorities")
def council_care_rate_against_region_and_england(la_rates: pd.DataFrame, authorities: pd.DataFrame,
                                                 council: str) -> alt.LayerChart:
    """The council's rate of children in care over time, with its region's, England's and any predecessor's."""
    place = councils.council(authorities, council)
    data = councils.care_rates(la_rates, place, authorities)
    own = data[data["kind"] == "council"]
    england = data[data["kind"] == "england"].set_index("year")["rate"]
    first, last = int(data["year"].min()), int(data["year"].max())
    ends = data.loc[data.groupby("area")["year"].idxmax()].copy()
    ends["label_y"] = float("nan")
    final = ends["year"] == last
    ends.loc[final, "label_y"] = spread_labels(ends.loc[final, "rate"], (data["rate"].max() or 1) * 0.07)
    ends["text"] = [f"{area} {rate:.0f}" for area, rate in zip(ends["area"], ends["rate"])]
    kinds = [k for k in KINDS if k in set(data["kind"])]
    colour = alt.Color("kind:N", legend=None, scale=alt.Scale(domain=kinds, range=[KINDS[k][0] for k in kinds]))
    dash = alt.StrokeDash("kind:N", legend=None, scale=alt.Scale(domain=kinds, range=[KINDS[k][1] for k in kinds]))
    base = alt.Chart(data).encode(x=_years(first, last), y=alt.Y("rate:Q", title="Per 10,000 children",
                                                                 scale=alt.Scale(zero=True)), color=colour)
    lines = base.mark_line(strokeWidth=2.5).encode(detail=alt.Detail("area:N"), strokeDash=dash, tooltip=[
        alt.Tooltip("area:N", title="Area"), alt.Tooltip("year:Q", title="31 March", format="d"),
        alt.Tooltip("rate:Q", title="Per 10,000 children")])
    labels = alt.Chart(ends[ends["year"] == last]).mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("label_y:Q"), text=alt.Text("text:N"))
    earlier = alt.Chart(ends[ends["year"] < last]).mark_text(align="right", dy=-10, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("rate:Q"), text=alt.Text("text:N"))
    if own.empty:
        title = f"DfE publishes no rate of children in care for {place['la_name']}"
        said = "no rate is published for the council itself"
    else:
        year, rate = int(own["year"].max()), float(own.set_index("year")["rate"].iloc[-1])
        title = (f"{place['la_name']}: {rate:.0f} children in care per 10,000 in {year}, "
                 f"{_compared(rate, england[year])} England's {england[year]:.0f}")
        said = "; ".join(f"{row.area}: {row.rate:.0f} in {row.year}" for row in ends.itertuples())
    return finding(
        alt.layer(lines, labels, earlier, width=WIDTH, height=HEIGHT),
        title=title,
        subtitle=f"Children looked after on 31 March per 10,000 children under 18, {first} to {last}",
        description=(f"Line chart of the rate of children looked after per 10,000 children under 18 from {first} "
                     f"to {last} for {place['la_name']}, {place['region_name']} and England. Latest: {said}."),
        data=[la_rates, authorities],
    )


@chart(samples=SAMPLES, inspections="ofsted-inspections/inspections",
       authorities="local-authorities/local-authorities")
def council_ofsted_judgements(inspections: pd.DataFrame, authorities: pd.DataFrame, council: str) -> alt.LayerChart:
    """Every overall Ofsted grade of the council's children's services (and its predecessors'), over time."""
    place = councils.council(authorities, council)
    rows = councils.inspections_of(inspections, place, authorities)
    if rows.empty:
        raise NoChart(f"ofsted-inspections: no graded inspection of {place['la_name']} or its predecessors")
    data = pd.DataFrame({
        "date": rows["publication_date"].dt.strftime("%Y-%m-%d"), "grade": rows["grade"],
        "framework": rows["framework"].astype(str), "council": rows["council"],
        "label": rows["framework"].astype(str).map(lambda f: SHORT.get(f, f)),
        "below": _alternate(rows), "own": rows["own"]})
    dates = rows["publication_date"]
    domain = [f"{dates.min().year - 1}-07-01", f"{dates.max().year + 1}-01-01"]
    grade_colour = alt.Color("grade:N", legend=None, scale=alt.Scale(
        domain=quality.GRADES, range=[GRADE_COLOURS[g] for g in quality.GRADES]))
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title="Report published", scale=alt.Scale(domain=domain),
                axis=alt.Axis(format="%Y", tickCount=6)),
        y=alt.Y("grade:N", title=None, sort=quality.GRADES, scale=alt.Scale(domain=quality.GRADES)))
    tooltip = [alt.Tooltip("date:T", title="Published", format="%-d %B %Y"),
               alt.Tooltip("framework:N", title="Framework"), alt.Tooltip("grade:N", title="Overall grade"),
               alt.Tooltip("council:N", title="Council inspected")]
    points = base.mark_point(size=110, opacity=1, strokeWidth=2.5, filled=False).encode(
        color=grade_colour, tooltip=tooltip)
    solid = alt.Chart(data[data["own"]]).mark_point(size=110, opacity=1, filled=True).encode(
        x=alt.X("date:T"), y=alt.Y("grade:N"), color=grade_colour)
    above = alt.Chart(data[~data["below"]]).mark_text(dy=-13, fontSize=11, color=TEXT).encode(
        x=alt.X("date:T"), y=alt.Y("grade:N"), text=alt.Text("label:N"))
    below = alt.Chart(data[data["below"]]).mark_text(dy=15, fontSize=11, color=TEXT).encode(
        x=alt.X("date:T"), y=alt.Y("grade:N"), text=alt.Text("label:N"))
    own = rows[rows["own"]]
    if own.empty:
        title = f"Ofsted has not yet given {place['la_name']} an overall grade"
    else:
        latest = own.iloc[-1]
        title = (f"Ofsted's latest overall grade for {place['la_name']}: {latest['grade'].lower()} "
                 f"({fmt.month_year(latest['publication_date'])})")
    others = sorted(set(rows.loc[~rows["own"], "council"]))
    key = f"; open circles: inspections of {fmt.and_list(others)}" if others else ""
    said = "; ".join(f"{row.framework} published {fmt.day_month_year(row.publication_date)}, {row.grade.lower()}"
                     + ("" if row.own else f" ({row.council})") for row in rows.itertuples())
    return finding(
        alt.layer(points, solid, above, below, width=WIDTH, height=150),
        title=title,
        subtitle=f"Overall grade of each Ofsted inspection, by date of the report, {dates.min().year} to "
                 f"{dates.max().year}{key}",
        description=f"Timeline of Ofsted's overall grades of children's services in {place['la_name']}: {said}.",
        data=[inspections, authorities],
    )


def _alternate(rows: pd.DataFrame, within_days: int = 700) -> list[bool]:
    """Put a label below its point when the previous point of the same grade is close, so labels never meet."""
    below, last = [], {}
    for grade, day in zip(rows["grade"], rows["publication_date"]):
        previous = last.get(grade)
        flip = previous is not None and (day - previous[0]).days < within_days and not previous[1]
        below.append(flip)
        last[grade] = (day, flip)
    return below


@chart(samples=PLACED, placements="placements/placement-provider",
       authorities="local-authorities/local-authorities")
def council_placements_by_provider(placements: pd.DataFrame, authorities: pd.DataFrame,
                                   council: str) -> alt.LayerChart:
    """Who provided the council's placements on the latest 31 March, each share beside England's."""
    place = councils.council(authorities, council)
    data = councils.placements_latest(placements, place)
    if data.empty:
        raise NoChart(f"placements: no placement figures for {place['la_name']}")
    data = data[(data["number"].fillna(0) > 0) | (data["england"].fillna(0) >= 1)].copy()
    year = int(data["year"].iloc[0])
    data["text"] = [("not published" if pd.isna(s) else f"{s:.0f}%") + f" · England {e:.0f}%"
                    for s, e in zip(data["share"], data["england"])]
    data["bar_end"] = data[["share", "england"]].max(axis=1).fillna(0)
    order = list(data["label"])
    base = alt.Chart(data).encode(y=alt.Y("label:N", title=None, sort=order))
    bars = base.mark_bar(color=PALETTE[0], height=16).encode(
        x=alt.X("share:Q", title="Share of children looked after (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("label:N", title="Provider"), alt.Tooltip("number:Q", title="Children", format=","),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
                 alt.Tooltip("england:Q", title="England share (%)", format=".1f")])
    ticks = base.mark_tick(color=TEXT, thickness=2, size=22).encode(x=alt.X("england:Q"))
    labels = base.mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X("bar_end:Q"), text=alt.Text("text:N"))
    shares = data.set_index("provider")["share"]
    england = data.set_index("provider")["england"]
    if pd.notna(shares.get("private")):
        title = (f"{shares['private']:.0f}% of {place['la_name']}'s children in care were placed by private "
                 f"providers in {year}; {england['private']:.0f}% in England")
    else:
        title = f"Who provided placements for {place['la_name']}'s children in care in {year}"
    said = "; ".join(f"{row.label}: {'not published' if pd.isna(row.share) else f'{row.share:.0f}%'} "
                     f"(England {row.england:.0f}%)" for row in data.itertuples())
    return finding(
        alt.layer(bars, ticks, labels, width=WIDTH - 120, height=alt.Step(24)),
        title=title,
        subtitle=[f"Children looked after on 31 March {year} by who provides the placement, share of all "
                  f"({place['la_name']}: bars; England: black marks)"],
        description=f"Bar chart of the share of {place['la_name']}'s children looked after on 31 March {year} by "
                    f"placement provider, each beside England's share: {said}.",
        data=[placements, authorities],
    )


@chart(samples=SAMPLES, outturn="spending/s251-outturn", lines="spending/s251-lines",
       lait="spending/lait-spending", deflators="deflators/gdp-deflator",
       authorities="local-authorities/local-authorities")
def council_spending_by_block(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                              deflators: pd.DataFrame, authorities: pd.DataFrame, council: str) -> alt.LayerChart:
    """The council's children's social care spending by block, real terms, every year the files hold."""
    place = councils.council(authorities, council)
    data = councils.spending_blocks(outturn, lines, lait, deflators, council)
    if data.empty:
        raise NoChart(f"spending: no children's social care spending for {place['la_name']}")
    data["millions"] = data["real"] / 1e6
    basis = money.deflator_basis(deflators)
    first, last = int(data["year"].min()), int(data["year"].max())
    ends = data[data["year"] == last].copy()
    ends["label_y"] = spread_labels(ends["millions"], max(data["millions"].max(), 1) * 0.07)
    ends["text"] = [f"{n} £{m:,.1f}m" for n, m in zip(ends["name"], ends["millions"])]
    names = list(money.BLOCKS.values())
    colour = alt.Color("name:N", legend=None, scale=alt.Scale(domain=names, range=BLOCK_COLOURS))
    base = alt.Chart(data).encode(x=_years(first, last, "Financial year ending March"),
                                  y=alt.Y("millions:Q", title=f"£ million, {basis['base']} prices"), color=colour)
    drawn = base.mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=20, filled=True)).encode(
        detail=alt.Detail("segment:N"), tooltip=[alt.Tooltip("name:N", title="Block"),
                                     alt.Tooltip("period:N", title="Financial year"),
                                     alt.Tooltip("millions:Q", title=f"£ million ({basis['base']} prices)",
                                                 format=",.1f")])
    labels = alt.Chart(ends).mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X("year:Q"), y=alt.Y("label_y:Q"), text=alt.Text("text:N"))
    totals = data.groupby("year")["real"].sum()
    complete = data.groupby("year")["block"].nunique() == len(money.BLOCKS)
    totals = totals[complete]
    gaps = money.missing_years(data["year"])
    if len(totals) >= 2:
        start, end = totals.index.min(), totals.index.max()
        change = fmt.change(totals[start], totals[end])
        title = (f"{place['la_name']}'s children's social care spending {fmt.rose_or_fell(change)} "
                 f"{fmt.percent(abs(change))} in real terms from {fmt.financial_year(start)} to "
                 f"{fmt.financial_year(end)}")
    else:
        title = f"{place['la_name']}'s children's social care spending by block"
    gap_text = f"; no figures for {fmt.and_list(fmt.financial_year(y) for y in gaps)}" if gaps else ""
    said = "; ".join(f"{row.name} £{row.millions:,.1f} million" for row in ends.itertuples())
    return finding(
        alt.layer(drawn, labels, width=WIDTH - 60, height=HEIGHT),
        title=title,
        subtitle=[f"Gross spending by block, £ million at {basis['base']} prices, {fmt.financial_year(first)} "
                  f"to {fmt.financial_year(last)}{gap_text}"],
        description=(f"Line chart of {place['la_name']}'s children's social care spending by block in real terms "
                     f"({basis['base']} prices), {fmt.financial_year(first)} to {fmt.financial_year(last)}"
                     f"{gap_text}. In {fmt.financial_year(last)}: {said}."),
        data=[outturn, lines, lait, deflators, authorities],
    )
