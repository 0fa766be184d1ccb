"""England series for the demand chapter, taken from the national rows the publishers print."""

from __future__ import annotations

import pandas as pd



def england(frame: pd.DataFrame) -> pd.DataFrame:
    """The National (England) rows of a children-in-need, la-rates or send resource, by year."""
    rows = frame[frame["geographic_level"] == "National"]
    if rows.empty:
        raise ValueError("no National (England) rows in this resource")
    return rows.assign(year=rows["year"].astype(int)).sort_values("year").reset_index(drop=True)


def children_looked_after(series: pd.DataFrame, la_rates: pd.DataFrame) -> pd.DataFrame:
    """Children looked after on 31 March, each year from its latest release: `la-rates` England rows (one,
    the latest, per year) wherever they exist, the national time series for the years before them.

    Figures are revised between releases, so the time series' value for a year `la-rates` covers is older.
    """
    rows = series[series["measure"] == "looked_after_at_31_march"]
    frame = pd.DataFrame({"year": rows["year"].astype(int), "number": rows["number"].astype(int),
                          "release": _series_release(series)})
    later = england(la_rates)
    later = later[later["measure"] == "looked_after_at_31_march"]
    frame = frame[~frame["year"].isin(later["year"].astype(int))]  # a later release's figure replaces it
    extra = pd.DataFrame({"year": later["year"], "number": later["number"].astype(int),
                          "release": later["release"].astype(str)})
    return pd.concat([frame, extra], ignore_index=True).sort_values("year").reset_index(drop=True)


def looked_after_rates(la_rates: pd.DataFrame) -> pd.DataFrame:
    """England's rate of children looked after per 10,000 under-18s, for the years the publisher gives one."""
    rows = england(la_rates)
    rows = rows[(rows["measure"] == "looked_after_at_31_march") & rows["rate_per_10000"].notna()]
    return pd.DataFrame({"year": rows["year"], "rate": rows["rate_per_10000"].astype(float),
                         "number": rows["number"].astype(int), "release": rows["release"].astype(str)})


def ehc_caseload(caseload: pd.DataFrame) -> pd.DataFrame:
    """Statements of SEN and EHC plans in January, England, all ages: year, statements, ehc_plans, total.
    A kind of plan not applicable in a year (EHC plans before 2015, statements after 2018) stays missing."""
    rows = england(caseload)
    rows = rows[rows["age_band"] == "Total"]
    return pd.DataFrame({"year": rows["year"], "statements": rows["statements"].astype("Int64"),
                         "ehc_plans": rows["ehc_plans"].astype("Int64"),
                         "total": rows["statements_and_ehc_plans"].astype(int),
                         "release": rows["release"].astype(str)}).reset_index(drop=True)


def value_in(frame: pd.DataFrame, year: int, column: str):
    """The value of `column` in `year` (a clear error if the year is absent)."""
    rows = frame[frame["year"] == year]
    if rows.empty:
        raise KeyError(f"no row for year {year} (years: {sorted(frame['year'].unique())})")
    return rows[column].iloc[0]


def _series_release(series: pd.DataFrame) -> str:
    sources = [s for item in series.attrs.get("provenance", []) for s in item.get("sources", [])]
    return str(sources[0].get("version", "time series")) if sources else "time series"
