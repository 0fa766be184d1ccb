"""Children's social care spending for England: one comparable series from two sources, cash and real.

Section 251 files (2008-09 to 2013-14) hold LA rows only, so England is the sum of the LA rows of the
lines marked `social_care_block` in `s251-lines`; LAIT (2016-17 on) prints England rows itself. The two
use DfE's 2012-13 definition of children's social care (see the `spending` package). 2014-15 and
2015-16 are in neither file: they stay absent, never filled.
"""

from __future__ import annotations

import pandas as pd

from report.measures import demand

BLOCKS = {"looked_after": "Children looked after", "safeguarding": "Safeguarding",
          "family_support": "Family support", "other_children_families": "Other children's and families services"}
LAIT_BLOCKS = {"looked_after_total": "looked_after", "safeguarding_total": "safeguarding",
               "family_support_total": "family_support",
               "other_children_families_services": "other_children_families"}


def s251_blocks(outturn: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """England gross expenditure (£ cash) per year and block: the sum of LA rows of the block's lines."""
    marked = lines.loc[lines["social_care_block"].notna(), ["year", "line", "social_care_block"]]
    rows = outturn.merge(marked, on=["year", "line"], how="inner", validate="many_to_one")
    totals = rows.groupby(["year", "social_care_block"], observed=True)["total_expenditure"].sum()
    frame = totals.rename("cash").reset_index().rename(columns={"social_care_block": "block"})
    return frame.assign(source="Section 251 outturn (sum of LA rows)")


def lait_blocks(lait: pd.DataFrame, la_code_old: str | None = None, area_code: str | None = None) -> pd.DataFrame:
    """England gross expenditure (£ cash) per year and block, as LAIT prints the national rows; or one
    council's (`la_code_old`) or region's (`area_code`) rows."""
    if la_code_old is not None:
        where = lait["la_code_old"] == la_code_old
    else:
        where = lait["area_code"] == area_code if area_code is not None else lait["geographic_level"] == "National"
    england = lait[where.fillna(False) & lait["measure"].isin(list(LAIT_BLOCKS))]
    frame = england.assign(block=england["measure"].map(LAIT_BLOCKS))[["year", "block", "value"]]
    return frame.rename(columns={"value": "cash"}).assign(source="LAIT (S251 outturn, England)")


def social_care_blocks(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                       deflators: pd.DataFrame, la_code_old: str | None = None) -> pd.DataFrame:
    """Both sources' blocks in one frame: year, period, block, cash, real (prices of the base year), source.
    England by default; one council's own rows in both sources with `la_code_old`."""
    if la_code_old is not None:
        outturn = outturn[outturn["la_code_old"] == la_code_old]
    frame = pd.concat([s251_blocks(outturn, lines), lait_blocks(lait, la_code_old)], ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    return add_real_terms(frame, deflators).sort_values(["year", "block"]).reset_index(drop=True)


def social_care_spending(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                         deflators: pd.DataFrame) -> pd.DataFrame:
    """England children's social care, one row per year the files cover: cash, real, source, segment."""
    blocks = social_care_blocks(outturn, lines, lait, deflators)
    complete = blocks.groupby("year")["block"].transform("nunique") == len(BLOCKS)
    totals = (blocks[complete].groupby(["year", "period", "source"], as_index=False)[["cash", "real"]].sum())
    return totals.assign(segment=segments(totals["year"]))


def add_real_terms(frame: pd.DataFrame, deflators: pd.DataFrame, cash: str = "cash") -> pd.DataFrame:
    """Add `period` and `real` (cash at the deflator's base-year prices); fail on a year it lacks."""
    index = deflators.assign(year=deflators["year"].astype(int)).set_index("year")
    missing = sorted(set(frame["year"]) - set(index.index))
    if missing:
        raise ValueError(f"deflators/gdp-deflator has no row for financial year(s) ending {missing}")
    factor = 100 / frame["year"].map(index["gdp_deflator"])
    return frame.assign(period=frame["year"].map(index["period"]).astype(str), real=frame[cash] * factor)


def deflator_basis(deflators: pd.DataFrame) -> dict:
    """The one rule for the deflator series behind real terms: its base year (exactly one year indexed 100),
    the publisher and release (from the loaded frame's provenance) and the years it covers."""
    base = deflators.loc[deflators["gdp_deflator"] == 100, "period"]
    if len(base) != 1:
        raise ValueError("deflators/gdp-deflator: expected exactly one base year with index 100, "
                         f"found {len(base)}, so no base year")
    sources = [s for item in deflators.attrs.get("provenance", []) for s in item.get("sources", [])]
    ordered = deflators.sort_values("year")["period"]
    return {"base": str(base.iloc[0]), "release": sources[0].get("version", "") if sources else "",
            "publisher": sources[0].get("publisher", "") if sources else "",
            "first": str(ordered.iloc[0]), "last": str(ordered.iloc[-1])}


def segments(years: pd.Series) -> pd.Series:
    """Number runs of consecutive years (0, 0, 0, 1, 1 ...) so a line is split at a gap, not drawn over it."""
    years = years.astype(int).reset_index(drop=True)
    return (years.diff().fillna(1) != 1).cumsum().astype(int).set_axis(years.index)


def missing_years(years: pd.Series) -> list[int]:
    """Years inside the covered range that the files lack (2015 and 2016 for spending)."""
    years = sorted(set(int(y) for y in years))
    return [y for y in range(years[0], years[-1] + 1) if y not in years]


def per_child_looked_after(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                           deflators: pd.DataFrame, series: pd.DataFrame, la_rates: pd.DataFrame) -> pd.DataFrame:
    """Spending on children looked after per child in care on 31 March at the year's end (cash and real)."""
    blocks = social_care_blocks(outturn, lines, lait, deflators)
    looked_after = blocks[blocks["block"] == "looked_after"]
    children = demand.children_looked_after(series, la_rates)[["year", "number"]]
    frame = looked_after.merge(children.rename(columns={"number": "children"}), on="year", how="inner")
    frame = frame.assign(cash=frame["cash"] / frame["children"], real=frame["real"] / frame["children"])
    frame = frame[["year", "period", "children", "cash", "real", "source"]].reset_index(drop=True)
    return frame.assign(segment=segments(frame["year"]))


def per_child_under_18(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame,
                       deflators: pd.DataFrame, la_rates: pd.DataFrame) -> pd.DataFrame:
    """Children's social care spending per child aged under 18 in England, for years with a population."""
    spending = social_care_spending(outturn, lines, lait, deflators)
    england = la_rates[(la_rates["geographic_level"] == "National")
                       & (la_rates["measure"] == "looked_after_at_31_march")
                       & la_rates["population_under_18"].notna()]
    population = pd.DataFrame({"year": england["year"].astype(int),
                               "population": england["population_under_18"].astype(float)})
    frame = spending.merge(population, on="year", how="inner")
    return frame.assign(cash=frame["cash"] / frame["population"], real=frame["real"] / frame["population"])


def block_shares(blocks: pd.DataFrame) -> pd.DataFrame:
    """Each block's share (0-100) of children's social care spending, per year with all four blocks."""
    complete = blocks[blocks.groupby("year")["block"].transform("nunique") == len(BLOCKS)]
    share = complete["cash"] / complete.groupby("year")["cash"].transform("sum") * 100
    return complete.assign(share=share)


def s251_line_total(outturn: pd.DataFrame, line: str) -> pd.Series:
    """England gross expenditure (£ cash) on one S251 line or section total, by year: the sum of LA rows."""
    rows = outturn[outturn["line"] == line]
    if rows.empty:
        raise KeyError(f"spending/s251-outturn has no line {line!r}")
    return rows.groupby(rows["year"].astype(int))["total_expenditure"].sum(min_count=1)


SURE_START_COMPARABLE = ["sure_start_individual_centres", "sure_start_area_wide_services"]


def sure_start_like_for_like(outturn: pd.DataFrame) -> pd.Series:
    """Sure Start children's centre spending on the lines in every year's total (centres and area-wide
    services): from 2013-14 the published total also holds management and other early years lines."""
    return sum(s251_line_total(outturn, line) for line in SURE_START_COMPARABLE)
