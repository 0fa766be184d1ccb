"""The 2016 report's four headline figures, then and now: one source for the summary, chapters and PDF.

The published figures below are the only typed-in statistics in the project: they are what the 2016
report printed, with its citation key. Everything else is recomputed from the data packages.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from report import fmt
from report.data import load
from report.measures import demand, money

# Published in the 2016 report [@vibert2016] (percent units).
PUBLISHED = {
    "inspections": (75.0, "councils inspected November 2013 to March 2016"),
    "referrals": (22.0, "2008 to 2015"),
    "children_in_care": (16.0, "2008 to 2015"),
    "spending": (-18.0, "2011-12 to 2014-15"),
}
SOURCE = "vibert2016"
SIF_CUTOFF = pd.Timestamp("2016-03-31")
WEAK_GRADES = ("Requires improvement", "Inadequate")


@dataclass(frozen=True)
class Headline:
    """One claim: the 2016 figure, ours for the same period, ours to the latest year (percent units)."""
    claim: str
    unit: str                      # "share" (percent of councils) or "change" (percent change)
    published: float
    published_period: str
    recomputed: float
    recomputed_period: str
    recomputed_from: tuple         # (numerator, denominator) for a share; (start, end) for a change
    latest: float
    latest_period: str
    latest_from: tuple
    latest_end: str                # the latest year or date, as prose names it ("2025", "2024-25")
    caveat: str
    source: str = SOURCE
    recomputed_cash: float | None = None   # spending only: the same change in cash terms
    latest_cash: float | None = None

    def text(self, which: str) -> str:
        """A figure as the table prints it: "74%" for a share, "+7%" for a change ("+4% real, +8% cash")."""
        value = getattr(self, which)
        if self.unit == "share":
            return fmt.percent(value)
        cash = getattr(self, f"{which}_cash", None)
        if cash is None:
            return fmt.percent(value, signed=True)
        return f"{fmt.percent(value, signed=True)} real, {fmt.percent(cash, signed=True)} cash"


@dataclass(frozen=True)
class Headlines:
    inspections: Headline
    referrals: Headline
    children_in_care: Headline
    spending: Headline

    def __iter__(self):
        return (getattr(self, f.name) for f in fields(self))


def headline_figures(data_dir: Path | None = None) -> Headlines:
    """All four headline figures from the packages (a chapter must declare the packages it needs)."""
    def get(package: str, resource: str) -> pd.DataFrame:
        return load(package, resource, data_dir=data_dir)
    return Headlines(
        inspections=inspections_headline(get("ofsted-inspections", "inspections"),
                                         get("local-authorities", "local-authorities")),
        referrals=referrals_headline(get("children-in-need", "referrals")),
        children_in_care=children_in_care_headline(get("children-looked-after", "england-series"),
                                                   get("children-looked-after", "la-rates")),
        spending=spending_headline(get("spending", "s251-outturn"), get("spending", "s251-lines"),
                                   get("spending", "lait-spending"), get("deflators", "gdp-deflator")),
    )


def first_sif_by_2016(inspections: pd.DataFrame) -> pd.DataFrame:
    """Each council's first single-inspection-framework inspection, if published by 31 March 2016."""
    sif = inspections[inspections["framework"] == "SIF"].sort_values("publication_date")
    first = sif.drop_duplicates("la_code_old", keep="first")
    return first[first["publication_date"] <= SIF_CUTOFF]


def latest_grades(inspections: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """The most recent graded inspection of each current council (Ofsted's official history)."""
    graded = inspections[inspections["overall_effectiveness"].notna()].sort_values("publication_date")
    latest = graded.drop_duplicates("la_code_old", keep="last")
    current = authorities.loc[authorities["status"] == "current", "la_code_old"]
    return latest[latest["la_code_old"].isin(current)]


def inspections_headline(inspections: pd.DataFrame, authorities: pd.DataFrame) -> Headline:
    then, now = first_sif_by_2016(inspections), latest_grades(inspections, authorities)
    weak_then = int(then["overall_effectiveness"].isin(WEAK_GRADES).sum())
    weak_now = int(now["overall_effectiveness"].isin(WEAK_GRADES).sum())
    until = now["publication_date"].max()
    return Headline(
        claim="Councils judged requires improvement or inadequate", unit="share",
        published=PUBLISHED["inspections"][0], published_period=PUBLISHED["inspections"][1],
        recomputed=weak_then / len(then) * 100,
        recomputed_period=f"first inspections published by {fmt.day_month_year(SIF_CUTOFF)}",
        recomputed_from=(weak_then, len(then)),
        latest=weak_now / len(now) * 100,
        latest_period=f"latest grade of each council, reports published to {fmt.month_year(until)}",
        latest_from=(weak_now, len(now)), latest_end=fmt.month_year(until),
        caveat=(f"Then: first inspections under the single inspection framework. Now: the most recent graded "
                f"inspection of each of today's {len(now)} councils, under any framework."),
    )


def referrals_headline(referrals: pd.DataFrame) -> Headline:
    england = demand.england(referrals)[["year", "period", "referral_count"]]
    first, then_end, last = int(england["year"].min()), 2015, int(england["year"].max())
    at = {y: int(demand.value_in(england, y, "referral_count")) for y in (first, then_end, last)}
    label = dict(zip(england["year"], england["period"]))
    return Headline(
        claim="Referrals to children's social care", unit="change",
        published=PUBLISHED["referrals"][0], published_period=PUBLISHED["referrals"][1],
        recomputed=fmt.change(at[first], at[then_end]),
        recomputed_period=f"{label[first]} to {label[then_end]}",
        recomputed_from=(at[first], at[then_end]),
        latest=fmt.change(at[first], at[last]), latest_period=f"{label[first]} to {label[last]}",
        latest_from=(at[first], at[last]), latest_end=label[last],
        caveat=(f"The files start in {label[first]}, so the 2008 starting point cannot be checked; "
                "over the years they cover, referrals rose far less."),
    )


def children_in_care_headline(series: pd.DataFrame, la_rates: pd.DataFrame) -> Headline:
    numbers = demand.children_looked_after(series, la_rates)
    last = int(numbers["year"].max())
    at = {y: int(demand.value_in(numbers, y, "number")) for y in (2008, 2015, last)}
    return Headline(
        claim="Children in care on 31 March", unit="change",
        published=PUBLISHED["children_in_care"][0], published_period=PUBLISHED["children_in_care"][1],
        recomputed=fmt.change(at[2008], at[2015]), recomputed_period="2008 to 2015",
        recomputed_from=(at[2008], at[2015]),
        latest=fmt.change(at[2008], at[last]), latest_period=f"2008 to {last}",
        latest_from=(at[2008], at[last]), latest_end=str(last),
        caveat=(f"Same series, revised since 2016; {last} comes from the latest release "
                f"({demand.value_in(numbers, last, 'release')})."),
    )


def spending_headline(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                      deflators: pd.DataFrame) -> Headline:
    spending = money.social_care_spending(outturn, lines, lait, deflators)
    base = 2012
    then_end = int(spending.loc[spending["year"] <= 2015, "year"].max())
    last = int(spending["year"].max())
    real = {y: float(demand.value_in(spending, y, "real")) for y in (base, then_end, last)}
    cash = {y: float(demand.value_in(spending, y, "cash")) for y in (base, then_end, last)}
    label = dict(zip(spending["year"], spending["period"]))
    gaps = " and ".join(fmt.financial_year(y) for y in money.missing_years(spending["year"]))
    prices = money.deflator_basis(deflators)["base"]
    return Headline(
        claim="Spending on children's social care", unit="change",
        published=PUBLISHED["spending"][0], published_period=PUBLISHED["spending"][1],
        recomputed=fmt.change(real[base], real[then_end]),
        recomputed_period=f"{label[base]} to {label[then_end]}",
        recomputed_from=(real[base], real[then_end]),
        latest=fmt.change(real[base], real[last]),
        latest_period=f"{label[base]} to {label[last]}",
        latest_from=(real[base], real[last]), latest_end=label[last],
        recomputed_cash=fmt.change(cash[base], cash[then_end]), latest_cash=fmt.change(cash[base], cash[last]),
        caveat=(f"Real terms at {prices} prices. The files lack {gaps} and show spending rising; we could "
                "not reproduce the fall, which probably rests on another definition or scope."),
    )


def then_and_now(headlines: Headlines) -> pd.DataFrame:
    """The four claims as a table of text: the 2016 figure, ours for the same period, ours to the latest year."""
    rows = [{"Claim": h.claim,
             "2016 report": f"{_published_text(h)} ({h.published_period})",
             "Same measure, recomputed": f"{h.text('recomputed')} ({h.recomputed_period})",
             "Latest": f"{h.text('latest')} ({h.latest_period})"} for h in headlines]
    return pd.DataFrame(rows)


def _published_text(headline: Headline) -> str:
    if headline.unit == "share":
        words = fmt.fraction_words(headline.published / 100)
        return words if words.startswith("about") else f"about {words}"
    return headline.text("published")
