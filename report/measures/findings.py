"""Measures that test the 2016 report's findings (chapters 8 to 10) against the data as it stands now.

Only what no other module measures lives here: the councils that failed and kept their services, the
private share of placements beside each council's grade, and DfE's unit costs in real terms. Grades come
from `quality` (what counts as a grade), hand-overs from `delivery`, placements from `providers`, so a
figure in one chapter and the same figure in another can never disagree.
"""

from __future__ import annotations

import pandas as pd

from report.measures import money, providers, quality

SIF_START = pd.Timestamp("2013-11-01")  # first single inspection framework reports; trusts began in 2014


def inadequate_councils_kept_in_house(inspections: pd.DataFrame, organisation_las: pd.DataFrame) -> pd.DataFrame:
    """Councils never run by a trust or company that were graded inadequate from the single inspection
    framework on and inspected again: their latest whole-service grade (the comparison for the trusts)."""
    graded = quality.graded(inspections)
    graded = graded[(graded["publication_date"] >= SIF_START)
                    & ~graded["la_code_old"].isin(set(organisation_las["la_code_old"]))]
    rows = []
    for code, council in graded.groupby("la_code_old", observed=True):
        failed = council.loc[council["grade"] == "Inadequate", "publication_date"]
        later = council[council["publication_date"] > failed.min()] if not failed.empty else council.iloc[0:0]
        if not later.empty:
            last = later.iloc[-1]
            rows.append({"la_code_old": code, "area_name": last["area_name"], "first_inadequate": failed.min(),
                         "latest": last["grade"], "latest_date": last["publication_date"]})
    return pd.DataFrame(rows, columns=["la_code_old", "area_name", "first_inadequate", "latest", "latest_date"])


def private_share_by_grade(placement_provider: pd.DataFrame, inspections: pd.DataFrame,
                           local_authorities: pd.DataFrame) -> pd.DataFrame:
    """Per council (latest placement year, small councils left out): the private share of its placements
    and its latest Ofsted grade."""
    councils = placement_provider[placement_provider["geographic_level"] == "Local authority"]
    year = int(councils["year"].max())
    shares = providers.la_shares(placement_provider, local_authorities, year)
    latest = quality.latest_grades(inspections, local_authorities).dropna(subset=["grade"])
    frame = shares[["private"]].rename(columns={"private": "private_share"}).join(
        latest.set_index("la_code_old")[["la_name", "grade", "publication_date"]], how="inner")
    return frame.reset_index().assign(year=year)


def unit_cost_real(lait_unit_costs: pd.DataFrame, deflators: pd.DataFrame, measure: str) -> pd.DataFrame:
    """DfE's weekly unit cost for England (`measure`: residential_care, fostering, ...), cash and real terms."""
    rows = lait_unit_costs[(lait_unit_costs["geographic_level"] == "National")
                           & (lait_unit_costs["measure"] == measure)][["year", "value"]]
    rows = rows.rename(columns={"value": "cash"}).astype({"year": int}).sort_values("year")
    return money.add_real_terms(rows, deflators).reset_index(drop=True)
