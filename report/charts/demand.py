"""Charts for the rising-demand chapter: referrals, child protection, children in care, EHC plans."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report import fmt
from report.charts._base import chart, end_of_band, finding, stack_labels
from report.measures import demand
from report.theme import MUTED, PALETTE, label_colour

BAR_STEP = 38  # px per year of stacked bars: room for four-digit years, and for the segment labels at the right
BAR_HEIGHT = 300


@chart(series="children-looked-after/england-series", la_rates="children-looked-after/la-rates")
def children_in_care_rose_since_2008(series: pd.DataFrame, la_rates: pd.DataFrame) -> alt.LayerChart:
    """Children looked after on 31 March, England, every year of the national series and the latest release."""
    data = demand.children_looked_after(series, la_rates)
    first, last = int(data["year"].min()), int(data["year"].max())
    start = int(demand.value_in(data, 2008, "number"))
    now = int(demand.value_in(data, last, "number"))
    peak = data.loc[data["number"].idxmax()]
    line = alt.Chart(data).mark_line().encode(
        x=years(first, last, "31 March"),
        y=alt.Y("number:Q", title="Children looked after", scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("year:Q", title="31 March", format="d"),
                 alt.Tooltip("number:Q", title="Children", format=","),
                 alt.Tooltip("release:N", title="Release")],
    )
    marks = _mark_years(data, [2008, last], "number", lambda r: f"{int(r['number']):,}")
    return finding(
        line + line.mark_point(size=25) + marks,
        title=f"{fmt.percent(fmt.change(start, now))} more children were in care in {last} than in 2008",
        subtitle=f"Children looked after on 31 March, England, {first} to {last}",
        description=(f"Line chart of the number of children looked after in England on 31 March each year from "
                     f"{first} to {last}: {start:,} in 2008, a peak of {int(peak['number']):,} in "
                     f"{int(peak['year'])}, and {now:,} in {last}."),
        data=[series, la_rates],
    )


@chart(la_rates="children-looked-after/la-rates")
def care_rate_per_child_has_risen(la_rates: pd.DataFrame) -> alt.LayerChart:
    """Children looked after per 10,000 children under 18, England, the years the publisher gives a rate."""
    data = demand.looked_after_rates(la_rates)
    first, last = int(data["year"].min()), int(data["year"].max())
    then, now = demand.value_in(data, first, "rate"), demand.value_in(data, last, "rate")
    peak = data.loc[data["rate"].idxmax()]
    line = alt.Chart(data).mark_line(color=PALETTE[1]).encode(
        x=years(first, last, "31 March"),
        y=alt.Y("rate:Q", title="Per 10,000 children under 18", scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("year:Q", title="31 March", format="d"),
                 alt.Tooltip("rate:Q", title="Per 10,000 children"),
                 alt.Tooltip("number:Q", title="Children looked after", format=",")],
    )
    points = line.mark_point(color=PALETTE[1], size=40)
    labels = line.mark_text(dy=-12, fontSize=12, color=MUTED).encode(text=alt.Text("rate:Q", format=".0f"))
    return finding(
        line + points + labels,
        title=f"Out of every 10,000 children, {now:.0f} were in care in {last}, up from {then:.0f} in {first}",
        subtitle=f"Children looked after on 31 March per 10,000 children under 18, England, {first} to {last}",
        description=(f"Line chart of the rate of children looked after per 10,000 children under 18 in England, "
                     f"{first} to {last}: {then:.0f} in {first}, a high of {peak['rate']:.0f} in "
                     f"{int(peak['year'])}, and {now:.0f} in {last}."),
        data=la_rates,
    )


@chart(referrals="children-in-need/referrals", children_in_need="children-in-need/children-in-need")
def referrals_have_stayed_high_since_2013(referrals: pd.DataFrame,
                                          children_in_need: pd.DataFrame) -> alt.LayerChart:
    """Referrals in the year and children in need at 31 March, England: the front door and the caseload."""
    flows = demand.england(referrals)[["year", "referral_count"]].rename(columns={"referral_count": "number"})
    stock = demand.england(children_in_need)[["year", "at31_episodes"]].rename(columns={"at31_episodes": "number"})
    data = pd.concat([flows.assign(series="Referrals in the year"),
                      stock.assign(series="Children in need on 31 March")], ignore_index=True)
    data["number"] = data["number"].astype(int)
    first, last = int(data["year"].min()), int(data["year"].max())
    lowest = int(flows["number"].min())
    colours = alt.Scale(domain=["Referrals in the year", "Children in need on 31 March"], range=PALETTE[:2])
    base = alt.Chart(data).encode(x=years(first, last, "Year ending 31 March"),
                                  y=alt.Y("number:Q", title="Number", scale=alt.Scale(zero=True)),
                                  color=alt.Color("series:N", scale=colours, legend=None))
    lines = base.mark_line().encode(tooltip=[alt.Tooltip("series:N", title="Measure"),
                                             alt.Tooltip("year:Q", title="Year ending March", format="d"),
                                             alt.Tooltip("number:Q", title="Number", format=",")])
    names = data[data["year"] == last].assign(ink=lambda d: d["series"].map(dict(zip(colours.domain, PALETTE[:2])))
                                              .map(label_colour))
    ends = alt.Chart(names).mark_text(align="right", dy=-14, fontSize=12).encode(
        x=years(first, last, "Year ending 31 March"), y="number:Q", text="series:N",
        color=alt.Color("ink:N", scale=None))
    return finding(
        lines + lines.mark_point(size=25) + ends,
        title=f"Every year since {first}, councils have received more than {fmt.number(lowest // 10000 * 10000)} "
              "referrals",
        subtitle=f"Referrals to children's social care in the year, and children in need on 31 March, England, "
                 f"{fmt.financial_year(first)} to {fmt.financial_year(last)}",
        description=(f"Line chart, {first} to {last}. Referrals: {_at(flows, first):,} in the year to March "
                     f"{first}, {_at(flows, last):,} in the year to March {last}. Children in need on 31 March: "
                     f"{_at(stock, first):,} in {first} and {_at(stock, last):,} in {last}."),
        data=[referrals, children_in_need],
    )


@chart(protection="children-in-need/child-protection")
def repeat_child_protection_plans_have_risen(protection: pd.DataFrame) -> alt.Chart:
    """New child protection plans each year, split into first plans and second or subsequent plans."""
    england = demand.england(protection)
    data = pd.concat([
        pd.DataFrame({"year": england["year"], "number": england["cpp_start"] - england["cpp_subsequent"],
                      "plan": "First plan", "order": 0}),
        pd.DataFrame({"year": england["year"], "number": england["cpp_subsequent"],
                      "plan": "Second or subsequent plan", "order": 1}),
    ], ignore_index=True).astype({"number": int})
    first, last = int(england["year"].min()), int(england["year"].max())
    share = england.set_index("year")["cpp_subsequent_percent"]
    x = alt.X("year:O", title="Year ending 31 March", axis=alt.Axis(labelAngle=0))
    colours = {"First plan": PALETTE[0], "Second or subsequent plan": PALETTE[3]}
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x, y=alt.Y("number:Q", title="Child protection plans starting", stack="zero"),
        color=alt.Color("plan:N", legend=None, scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year ending March"), alt.Tooltip("plan:N", title="Plan"),
                 alt.Tooltip("number:Q", title="Plans starting", format=",")],
    )
    return finding(
        (bars + _segment_names(data, x, "plan", colours)).properties(width=alt.Step(BAR_STEP),
                                                                       height=BAR_HEIGHT),
        title=(f"One new child protection plan in {fmt.count_words(100 / share[last])} is a repeat plan, "
               f"up from one in {fmt.count_words(100 / share[first])} in {first}"),
        subtitle=f"Child protection plans starting in the year, first and repeat plans, England, "
                 f"{fmt.financial_year(first)} to {fmt.financial_year(last)}",
        description=(f"Stacked bar chart of child protection plans starting each year from {first} to {last}: "
                     f"{int(_at(england, first, 'cpp_start')):,} in {first}, of which {share[first]:.1f}% were "
                     f"second or subsequent plans; {int(_at(england, last, 'cpp_start')):,} in {last}, of which "
                     f"{share[last]:.1f}% were."),
        data=protection,
    )


@chart(caseload="send/caseload")
def children_with_ehc_plans_have_multiplied(caseload: pd.DataFrame) -> alt.Chart:
    """Statements of SEN and EHC plans in January, England, stacked: the switch after 2014 and the growth."""
    totals = demand.ehc_caseload(caseload)
    data = totals.melt(id_vars=["year", "release"], value_vars=["statements", "ehc_plans"],
                       var_name="kind", value_name="number").dropna(subset=["number"])  # not applicable: no bar
    data["kind"] = data["kind"].map({"statements": "Statement of SEN", "ehc_plans": "EHC plan"})
    data["order"] = (data["kind"] == "EHC plan").astype(int)
    first, last = int(totals["year"].min()), int(totals["year"].max())
    then, now = int(_at(totals, first, "total")), int(_at(totals, last, "total"))
    x = alt.X("year:O", title="January", axis=alt.Axis(labelAngle=0))
    colours = {"Statement of SEN": PALETTE[4], "EHC plan": PALETTE[1]}
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x, y=alt.Y("number:Q", title="Children and young people", stack="zero"),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title="January"), alt.Tooltip("kind:N", title="Plan"),
                 alt.Tooltip("number:Q", title="Number", format=",")],
    )
    return finding(
        (bars + _segment_names(data, x, "kind", colours)).properties(width=alt.Step(BAR_STEP),
                                                                       height=BAR_HEIGHT),
        title=f"Children with a statement or EHC plan have {fmt.times_words(now / then)} since {first}",
        subtitle=f"Children and young people with a statement of SEN or an EHC plan in January, England, "
                 f"all ages, {first} to {last}",
        description=(f"Stacked bar chart of statements of SEN and EHC plans each January from {first} to {last}: "
                     f"{then:,} in {first}, all statements; {now:,} in {last}, all EHC plans."),
        data=caseload,
    )


def years(first: int, last: int, title: str) -> alt.X:
    """A year axis that spans exactly the data, with room at both ends for the first and last points."""
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1),
                 scale=alt.Scale(domain=[first, last], nice=False, zero=False, padding=14))


def _mark_years(data: pd.DataFrame, years: list[int], field: str, label) -> alt.LayerChart:
    """Points and value labels at the named years, so the chart's ends need no legend or lookup."""
    rows = data[data["year"].isin(years)].assign(label=lambda d: d.apply(label, axis=1))
    base = alt.Chart(rows).encode(x=alt.X("year:Q"), y=alt.Y(f"{field}:Q"))
    return base.mark_point(size=60, filled=True) + base.mark_text(dy=-14, fontSize=12).encode(text="label:N")


def _segment_names(data: pd.DataFrame, x: alt.X, field: str, colours: dict[str, str]) -> alt.Chart:
    """Each kind of segment named beside the last stacked bar, at its middle, in its colour (not a legend).

    A kind absent from the last bar is named above the first bar instead."""
    totals = data.groupby("year")["number"].sum()
    last = data[(data["year"] == totals.index.max()) & (data["number"] > 0)].sort_values("order")
    last = last.assign(at=stack_labels(last, "number", totals.max() / 18),
                       ink=last[field].map(colours).map(label_colour))
    beside = alt.Chart(last).mark_text(align="left", dx=6).encode(
        x=end_of_band(x), y="at:Q", text=f"{field}:N", color=alt.Color("ink:N", scale=None))
    missing = data[(data["year"] == totals.index.min()) & ~data[field].isin(last[field])]
    missing = missing.assign(top=totals.iloc[0], ink=missing[field].map(colours).map(label_colour))
    above = alt.Chart(missing).mark_text(align="left", baseline="bottom", dy=-6).encode(
        x=alt.X(**(x.to_dict() | {"bandPosition": 0})), y="top:Q", text=f"{field}:N",
        color=alt.Color("ink:N", scale=None))
    return beside + above


def _at(data: pd.DataFrame, year: int, field: str = "number"):
    return demand.value_in(data, year, field)
