"""What the council pages say besides their charts, computed once for all councils: JSON-ready records."""

from __future__ import annotations

import math

import pandas as pd

from report.charts._base import provenance
from report.measures import councils, quality

# The resources the key figures read, by the name the measures take them under ("package/resource").
FIGURE_INPUTS = {
    "la_rates": "children-looked-after/la-rates", "referrals": "children-in-need/referrals",
    "protection": "children-in-need/child-protection", "caseload": "send/caseload",
    "lait": "spending/lait-spending", "authorities": "local-authorities/local-authorities",
    "inspections": "ofsted-inspections/inspections", "later": "ofsted-inspections/ilacs-after-march-2025",
    "organisations": "delivery-models/organisations", "served": "delivery-models/organisation-las",
}

FIGURE_SOURCES = ["la_rates", "referrals", "protection", "caseload", "lait"]


def named(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The loaded frames under the names the figure functions use."""
    return {arg: frames[ref] for arg, ref in FIGURE_INPUTS.items()}


def council_records(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """One record per current council: figures beside region and England, history, inspections, delivery."""
    f = named(frames)
    table = councils.councils(f["authorities"])
    figures = councils.key_figures(f["la_rates"], f["referrals"], f["protection"], f["caseload"], f["lait"],
                                   f["authorities"])
    by_council: dict[str, dict] = {}
    for row in figures.to_dict("records"):
        by_council.setdefault(row["la_code_old"], {})[row["key"]] = row
    later = {row["la_code_old"]: row for row in f["later"].sort_values("publication_date").to_dict("records")}
    sources = provenance([f[name] for name in FIGURE_SOURCES] + [f["authorities"]])
    first_years = _first_years(f["la_rates"])
    formers = councils.formers(f["authorities"])
    with_data = set(f["la_rates"]["la_code_old"].dropna()) | set(f["inspections"]["la_code_old"].dropna())
    delivery = councils.delivery(f["organisations"], f["served"], f["authorities"])
    ungraded = ungraded_by_council(f["inspections"])
    records = []
    for place in table.to_dict("records"):
        code = place["la_code_old"]
        links = delivery[code]
        records.append({
            "code": code, "name": place["la_name"], "slug": place["slug"], "region": place["region_name"],
            "region_code": place["region_code"], "la_code": place["la_code"],
            "figures": figure_rows(by_council[code]), "figure_sources": sources,
            "former": [item | {"has_data": item["la_code_old"] in with_data} for item in formers.get(code, [])],
            "first_year": first_years.get(code),
            "ungraded": ungraded.get(code, []), "later": _later(later.get(code)),
            "delivery": [_dates(link) for link in links], "trust": councils.delivery_status(links),
        })
    return records


def figure_rows(found: dict[str, dict]) -> list[dict]:
    """The council's key figures in the order of `councils.FIGURES`, values as plain floats or None."""
    out = []
    for figure in councils.FIGURES:
        row = found[figure.key]
        out.append({"key": figure.key, "label": figure.label.format(year=row["period"]), "unit": figure.unit,
                    "computed": figure.computed, "period": row["period"],
                    **{area: _number(row[area]) for area in ("council", "region", "england")}})
    return out


def index_rows(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """One row per current council for the index page: region, latest grade, care rate, trust or company."""
    f = named(frames)
    table = councils.index_table(f["authorities"], f["inspections"], f["la_rates"], f["organisations"], f["served"])
    return [{"code": r["la_code_old"], "name": r["la_name"], "slug": r["slug"], "region": r["region_name"],
             "grade": None if pd.isna(r["grade"]) else str(r["grade"]),
             "grade_rank": quality.GRADES.index(r["grade"]) if not pd.isna(r["grade"]) else len(quality.GRADES),
             "grade_date": _day(r["grade_date"]), "grade_framework": None if pd.isna(r["grade_framework"])
             else str(r["grade_framework"]), "rate": _number(r["rate"]), "rate_year": int(r["rate_year"]),
             "trust": r["trust"]} for r in table.to_dict("records")]


def _first_years(la_rates: pd.DataFrame) -> dict[str, int]:
    rows = la_rates[(la_rates["measure"] == councils.CARE) & la_rates["number"].notna()]
    return {code: int(year) for code, year in rows.groupby("la_code_old")["year"].min().items()}


def ungraded_by_council(inspections: pd.DataFrame) -> dict[str, list[dict]]:
    """Each council's inspections that gave no overall grade (SLAC, 2009-2012), oldest first, for the note."""
    rows = inspections[inspections["overall_effectiveness"].isna()].sort_values("publication_date", kind="stable")
    found: dict[str, list[dict]] = {}
    for code, framework, day in zip(rows["la_code_old"], rows["framework"], rows["publication_date"]):
        found.setdefault(code, []).append({"framework": str(framework), "date": _day(day)})
    return found


def _later(row: dict | None) -> dict | None:
    """The inspection after Ofsted's official history, from data-to-insight's scrape (not official)."""
    if row is None:
        return None
    grade = row["overall_effectiveness"]
    return {"framework": str(row["framework"]), "date": _day(row["publication_date"]),
            "grade": None if pd.isna(grade) else str(grade)}


def _dates(link: dict) -> dict:
    return {**link, "from": _day(link["from"]), "to": _day(link["to"])}


def _day(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return None if math.isinf(value) else value
