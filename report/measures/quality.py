"""Ofsted judgements of councils' children's services: first SIF inspections, grades by year, latest grades.

Only inspections that judge the whole service overall count here: the single inspection framework (SIF,
first inspections and re-inspections) and ILACS (standard and short). Earlier frameworks graded parts of
the service (SLAC: safeguarding and looked after children; CPI: child protection) and are left out.
"""

from __future__ import annotations

import pandas as pd

GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]  # best first
NOT_GOOD = ["Requires improvement", "Inadequate"]
WHOLE_SERVICE = {"SIF": "SIF", "SIF re-inspection": "SIF", "ILACS standard": "ILACS",
                 "ILACS short": "ILACS"}


def graded(inspections: pd.DataFrame) -> pd.DataFrame:
    """Whole-service inspections with an overall grade, with their framework family (SIF or ILACS)."""
    rows = inspections[inspections["framework"].isin(list(WHOLE_SERVICE))
                       & inspections["overall_effectiveness"].isin(GRADES)]
    return rows.assign(family=rows["framework"].map(WHOLE_SERVICE).astype(str),
                       year=rows["publication_date"].dt.year.astype(int),
                       grade=rows["overall_effectiveness"].astype(str))


def first_sif(inspections: pd.DataFrame, published_by: str | None = None) -> pd.DataFrame:
    """First SIF inspections (re-inspections excluded), optionally only those published by a date."""
    rows = graded(inspections)
    rows = rows[rows["framework"] == "SIF"]
    if published_by is not None:
        rows = rows[rows["publication_date"] <= pd.Timestamp(published_by)]
    return rows


def framework_counts(inspections: pd.DataFrame, framework: str) -> pd.Series:
    """Grade counts for every graded inspection under one framework (e.g. "ILACS short")."""
    rows = graded(inspections)
    return grade_counts(rows[rows["framework"] == framework])


def grade_counts(rows: pd.DataFrame) -> pd.Series:
    """Number of inspections per grade, best first, zeros kept."""
    return rows["grade"].value_counts().reindex(GRADES, fill_value=0).rename("inspections")


def share_not_good(counts: pd.Series) -> float:
    """Fraction judged 'requires improvement' or 'inadequate'."""
    return counts[NOT_GOOD].sum() / counts.sum()


def grades_by_year(inspections: pd.DataFrame) -> pd.DataFrame:
    """Inspections published each year by grade, with each year's share and its framework families."""
    rows = graded(inspections)
    counts = (rows.groupby(["year", "grade"]).size().unstack(fill_value=0)
              .reindex(columns=GRADES, fill_value=0))
    families = rows.groupby("year")["family"].agg(lambda f: " and ".join(sorted(set(f), reverse=True)))
    long = counts.stack().rename("inspections").reset_index()
    long["share"] = long["inspections"] / long.groupby("year")["inspections"].transform("sum") * 100
    return long.merge(families.rename("frameworks"), on="year")


def good_or_better_by_year(inspections: pd.DataFrame) -> pd.Series:
    """Per publication year, the percentage of inspections judged good or outstanding."""
    by_year = grades_by_year(inspections)
    good = by_year[by_year["grade"].isin(["Outstanding", "Good"])].groupby("year")["inspections"].sum()
    return good / by_year.groupby("year")["inspections"].sum() * 100


def latest_grades(inspections: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Each current council's latest whole-service grade, with its framework and publication date."""
    current = authorities.loc[authorities["status"] == "current", ["la_code_old", "la_name", "region_name"]]
    rows = graded(inspections).sort_values("publication_date")
    latest = rows.groupby("la_code_old", observed=True).tail(1)
    return current.merge(latest[["la_code_old", "framework", "family", "publication_date", "grade"]],
                         on="la_code_old", how="left")


def first_to_latest(inspections: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Councils counted by their first SIF grade and their latest grade (current councils with both)."""
    first = first_sif(inspections)[["la_code_old", "grade"]].rename(columns={"grade": "first"})
    latest = latest_grades(inspections, authorities)[["la_code_old", "grade"]].rename(
        columns={"grade": "latest"})
    both = first.merge(latest, on="la_code_old").dropna()
    return (both.groupby(["first", "latest"]).size().rename("councils").reset_index())


def improved_from(transitions: pd.DataFrame, first: list[str], latest: list[str]) -> tuple[int, int]:
    """Of the councils first graded in `first`, how many are now in `latest` (and how many there were)."""
    start = transitions[transitions["first"].isin(first)]
    return int(start.loc[start["latest"].isin(latest), "councils"].sum()), int(start["councils"].sum())
