"""Charts for the money chapter: children's social care spending in England, cash and real, with its gaps.

The series comes from report.measures.money (Section 251 sums of LA rows to 2013-14, LAIT from 2016-17).
Years the files lack are drawn as a shaded gap: lines stop at it and never bridge it.
"""

from __future__ import annotations

from textwrap import fill

import altair as alt
import pandas as pd

from report import fmt
from report.charts._base import chart, end_of_band, finding, stack_labels
from report.measures import money
from report.theme import MUTED, PALETTE, label_colour

SPENDING = dict(outturn="spending/s251-outturn", lines="spending/s251-lines", lait="spending/lait-spending",
                deflators="deflators/gdp-deflator")
BLOCK_COLOURS = [PALETTE[0], PALETTE[1], PALETTE[3], PALETTE[5]]


@chart(**SPENDING)
def spending_has_risen_in_cash_and_real_terms(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                                              deflators: pd.DataFrame) -> alt.LayerChart:
    """England children's social care spending, cash and real terms, each run of years its own line."""
    spending = money.social_care_spending(outturn, lines, lait, deflators)
    basis = money.deflator_basis(deflators)
    real_label = f"Real terms ({basis['base']} prices)"
    data = pd.concat([spending.assign(kind="Cash", value=spending["cash"] / 1e9),
                      spending.assign(kind=real_label, value=spending["real"] / 1e9)], ignore_index=True)
    first, last = int(spending["year"].min()), int(spending["year"].max())
    colours = {"Cash": PALETTE[3], real_label: PALETTE[0]}
    base = alt.Chart(data).encode(
        x=financial_years(first, last),
        y=alt.Y("value:Q", title="£ billion", scale=alt.Scale(zero=True)),
        color=alt.Color("kind:N", legend=None,
                        scale=alt.Scale(domain=list(colours), range=list(colours.values()))),
    )
    lines_ = base.mark_line().encode(detail="segment:N", tooltip=[
        alt.Tooltip("period:N", title="Financial year"), alt.Tooltip("kind:N", title="Measure"),
        alt.Tooltip("value:Q", title="£ billion", format=",.2f"), alt.Tooltip("source:N", title="Source")])
    cash, real = spending.set_index("year")["cash"], spending.set_index("year")["real"]
    return finding(
        gap_band(spending["year"], data["value"].max()) + lines_ + lines_.mark_point(size=25)
        + _line_names(data, colours, first, last),
        title=(f"Spending on children's social care has risen by "
               f"{fmt.percent(fmt.change(real[first], real[last]))} in real terms "
               f"since {fmt.financial_year(first)}"),
        subtitle=[f"Gross expenditure on children's social care, England, {fmt.financial_year(first)} to "
                  f"{fmt.financial_year(last)}, £ billion",
                  f"Real terms: {basis['base']} prices, HM Treasury GDP deflator, {basis['release']}"],
        description=(f"Line chart of spending on children's social care in England. Cash: "
                     f"£{cash[first] / 1e9:.1f} billion in {fmt.financial_year(first)}, £{cash[last] / 1e9:.1f} "
                     f"billion in {fmt.financial_year(last)}. At {basis['base']} prices: "
                     f"£{real[first] / 1e9:.1f} billion and £{real[last] / 1e9:.1f} billion. No data for "
                     f"{_gap_words(spending['year'])}: the lines stop there."),
        data=[outturn, lines, lait, deflators],
    )


@chart(**SPENDING, series="children-looked-after/england-series", la_rates="children-looked-after/la-rates")
def spending_per_child_in_care_has_risen(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                                         deflators: pd.DataFrame, series: pd.DataFrame,
                                         la_rates: pd.DataFrame) -> alt.LayerChart:
    """Real spending on children looked after per child in care on 31 March, England, with its gap."""
    data = money.per_child_looked_after(outturn, lines, lait, deflators, series, la_rates)
    data = data.assign(value=data["real"] / 1000, label=data["real"].map(lambda v: f"£{v:,.0f}"))
    basis = money.deflator_basis(deflators)
    first, last = int(data["year"].min()), int(data["year"].max())
    real = data.set_index("year")["real"]
    base = alt.Chart(data).encode(x=financial_years(first, last),
                                  y=alt.Y("value:Q", title=f"£ thousand a year ({basis['base']} prices)",
                                          scale=alt.Scale(zero=True)))
    line = base.mark_line(color=PALETTE[2]).encode(detail="segment:N", tooltip=[
        alt.Tooltip("period:N", title="Financial year"),
        alt.Tooltip("value:Q", title=f"£ thousand per child ({basis['base']} prices)", format=",.1f"),
        alt.Tooltip("children:Q", title="Children in care on 31 March", format=",")])
    labels = (base.transform_filter(alt.datum.year == first).mark_text(dy=-12, align="left", fontSize=12)
              .encode(text="label:N")
              + base.transform_filter(alt.datum.year == last).mark_text(dy=-12, align="right", fontSize=12)
              .encode(text="label:N"))
    return finding(
        gap_band(data["year"], data["value"].max()) + line + line.mark_point(size=25, color=PALETTE[2]) + labels,
        title=(f"Spending per child in care is {fmt.percent(fmt.change(real[first], real[last]))} higher in "
               f"real terms than in {fmt.financial_year(first)}"),
        subtitle=(f"Spending on children looked after per child in care on 31 March, England, "
                  f"{fmt.financial_year(first)} to {fmt.financial_year(last)}, £ thousand a year at "
                  f"{basis['base']} prices"),
        description=(f"Line chart of real spending on children looked after per child in care in England: "
                     f"£{real[first]:,.0f} in {fmt.financial_year(first)} and £{real[last]:,.0f} in "
                     f"{fmt.financial_year(last)}, at {basis['base']} prices. No data for "
                     f"{_gap_words(data['year'])}."),
        data=[outturn, lines, lait, deflators, series, la_rates],
    )


@chart(**SPENDING)
def care_takes_a_growing_share_of_spending(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                                           deflators: pd.DataFrame) -> alt.LayerChart:
    """The four blocks of children's social care in real terms, stacked; empty slots where years are missing."""
    blocks = money.block_shares(money.social_care_blocks(outturn, lines, lait, deflators))
    blocks = blocks.assign(value=blocks["real"] / 1e9, name=blocks["block"].map(money.BLOCKS),
                           order=blocks["block"].map({b: i for i, b in enumerate(money.BLOCKS)}))
    basis = money.deflator_basis(deflators)
    first, last = int(blocks["year"].min()), int(blocks["year"].max())
    every_year = [fmt.financial_year(y) for y in range(first, last + 1)]
    x = alt.X("period:O", title="Financial year", scale=alt.Scale(domain=every_year),
              axis=alt.Axis(labelAngle=-45))
    bars = alt.Chart(blocks).mark_bar(stroke="white", strokeWidth=1).encode(
        x=x, y=alt.Y("value:Q", title=f"£ billion ({basis['base']} prices)", stack="zero"),
        color=alt.Color("name:N", legend=None, scale=alt.Scale(domain=list(money.BLOCKS.values()),
                                                               range=BLOCK_COLOURS)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("period:N", title="Financial year"), alt.Tooltip("name:N", title="Block"),
                 alt.Tooltip("value:Q", title="£ billion", format=",.2f"),
                 alt.Tooltip("share:Q", title="Share of the total (%)", format=".1f")])
    gaps = pd.DataFrame({"period": [fmt.financial_year(y) for y in money.missing_years(blocks["year"])]})
    gap_text = alt.Chart(gaps).mark_text(angle=270, align="left", color=MUTED, fontSize=11).encode(
        x=x, y=alt.datum(0.3), text=alt.value("no data"))
    share = blocks[blocks["block"] == "looked_after"].set_index("year")["share"]
    return finding(
        (bars + gap_text + _block_names(blocks, x)).properties(width=480, height=300),
        title=(f"Children looked after take {fmt.percent(share[last])} of the spending, "
               f"up from {fmt.percent(share[first])} in {fmt.financial_year(first)}"),
        subtitle=(f"Gross expenditure on children's social care by block, England, {fmt.financial_year(first)} "
                  f"to {fmt.financial_year(last)}, £ billion at {basis['base']} prices"),
        description=(f"Stacked bar chart of spending on children's social care by block. Children looked after "
                     f"took {share[first]:.0f}% in {fmt.financial_year(first)} and {share[last]:.0f}% in "
                     f"{fmt.financial_year(last)}; safeguarding, family support and other services the rest. "
                     f"No bars for {_gap_words(blocks['year'])}, which the files lack."),
        data=[outturn, lines, lait, deflators],
    )


def _line_names(data: pd.DataFrame, colours: dict[str, str], first: int, last: int) -> alt.Chart:
    """Each line named in its colour over the middle of the first run of years: above the higher line, below
    the lower (at the latest year the lines meet, as real terms are at that year's prices)."""
    run = sorted(data.loc[data["segment"] == data["segment"].min(), "year"].unique())
    middle = data[data["year"] == run[len(run) // 2]].sort_values("value")
    names = middle.assign(ink=middle["kind"].map(colours).map(label_colour))
    return alt.layer(*[alt.Chart(names.iloc[[i]]).mark_text(dy=dy).encode(
        x=financial_years(first, last), y="value:Q", text="kind:N", color=alt.Color("ink:N", scale=None))
        for i, dy in enumerate([16, -14][:len(names)])])


def _block_names(blocks: pd.DataFrame, x: alt.X) -> alt.Chart:
    """Each block named beside the latest bar, at the middle of its segment, in its colour (not a legend)."""
    last = blocks[blocks["year"] == blocks["year"].max()].sort_values("order")
    top = blocks.groupby("year")["value"].sum().max()
    names = last.assign(text=last["name"].map(lambda n: fill(n, 22)),
                        ink=last["order"].map(lambda i: label_colour(BLOCK_COLOURS[i])))
    names["at"] = stack_labels(names, "value", top / 18, "text")
    return alt.Chart(names).mark_text(align="left", dx=6, lineBreak="\n").encode(
        x=end_of_band(x), y="at:Q", text="text:N", color=alt.Color("ink:N", scale=None))


def financial_years(first: int, last: int) -> alt.X:
    """Years ending in March on a continuous axis, labelled as financial years ("2014-15")."""
    return alt.X("year:Q", title="Financial year",
                 scale=alt.Scale(domain=[first, last], nice=False, zero=False, padding=14),
                 axis=alt.Axis(tickMinStep=1, labelExpr="(datum.value - 1) + '-' + slice(datum.value + '', 2)"))


def gap_band(years: pd.Series, top: float) -> alt.LayerChart:
    """A shaded band, labelled "no data", over each run of years the files lack."""
    missing = money.missing_years(years)
    runs = pd.DataFrame({"year": missing}).assign(run=money.segments(pd.Series(missing)))
    bands = runs.groupby("run")["year"].agg(["min", "max"]).reset_index()
    bands = bands.assign(start=bands["min"] - 0.5, end=bands["max"] + 0.5,
                         middle=(bands["min"] + bands["max"]) / 2, top=top, label="no data")
    band = alt.Chart(bands).mark_rect(color="#eeeeee").encode(x="start:Q", x2="end:Q")
    text = alt.Chart(bands).mark_text(color=MUTED, fontSize=11, baseline="top", dy=4).encode(
        x="middle:Q", y=alt.Y("top:Q"), text="label:N")
    return band + text


def _gap_words(years: pd.Series) -> str:
    return " and ".join(fmt.financial_year(y) for y in money.missing_years(years))
