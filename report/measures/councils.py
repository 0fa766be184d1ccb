"""Each current council beside its region and England: the figures and series of the council explorer.

One row (or series) per current council in `local-authorities`, from the measures the chapters use:
grades from `quality`, hand-overs from `delivery`, spending blocks from `money`, provider shares from
`providers`. A figure is for the latest year the resource has for England, so every council is compared
on the same date; a value the publisher suppressed or did not publish stays missing, never 0. A council
created by reorganisation has figures only from its first year: its predecessors' figures are shown
under their own names (they covered a different area), never added to its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from report.measures import money, quality
from report.measures.delivery import STATUS, TRIGGERS

ENGLAND = "E92000001"
CARE = "looked_after_at_31_march"
PER = 10_000


@dataclass(frozen=True)
class Figure:
    """One key figure: what it counts, where its value comes from, and how it is written."""

    key: str
    label: str  # "{year}" is replaced by the figure's year or period
    unit: str  # "number", "rate" (per 10,000 children under 18) or "pounds"
    computed: bool = False  # True: a rate computed here from the publisher's count and population


FIGURES = [
    Figure("looked_after", "Children looked after on 31 March {year}", "number"),
    Figure("looked_after_rate", "Children looked after per 10,000 children under 18, 31 March {year}", "rate"),
    Figure("referrals", "Referrals to children's social care in the year to 31 March {year}", "number"),
    Figure("referrals_rate", "Referrals per 10,000 children under 18, year to 31 March {year}", "rate", True),
    Figure("protection", "Children on a child protection plan on 31 March {year}", "number"),
    Figure("protection_rate", "Children on a child protection plan per 10,000 children under 18, 31 March {year}",
           "rate", True),
    Figure("ehc_plans", "Children and young people with an EHC plan, January {year}", "number"),
    Figure("spending_per_child", "Children's social care spending per child under 18, {year} (£, cash)",
           "pounds", True),
]


def slug(name: str) -> str:
    """A council's name as a file name: "Bristol, City of" -> "bristol-city-of"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def councils(authorities: pd.DataFrame) -> pd.DataFrame:
    """Current councils (the latest children-looked-after list) with slug, region and predecessors."""
    current = authorities[authorities["status"] == "current"].copy()
    earlier = formers(authorities)
    current["slug"] = current["la_name"].map(slug)
    current["predecessors"] = current["la_code_old"].map(lambda code: [f["la_code_old"] for f in earlier.get(code, [])])
    clash = current["slug"][current["slug"].duplicated()]
    if not clash.empty:
        raise ValueError(f"local-authorities: two current councils share the page name {clash.iloc[0]!r}")
    return current.sort_values("la_name").reset_index(drop=True)


def council(authorities: pd.DataFrame, code: str) -> dict:
    """One current council, as a row of `councils` (name, region, slug, predecessors)."""
    rows = authorities[(authorities["la_code_old"] == code) & (authorities["status"] == "current")]
    if rows.empty:
        raise KeyError(f"local-authorities: no current council numbered {code!r}")
    row = rows.iloc[0].to_dict()
    return row | {"slug": slug(row["la_name"]), "predecessors": [f["la_code_old"] for f in former(authorities, code)]}


def formers(authorities: pd.DataFrame) -> dict[str, list[dict]]:
    """For each council that replaced others, those councils (by number): name, number, status (merged or
    split), the year they ended and all their successors."""
    ended = authorities[authorities["successors"].notna()].sort_values("la_code_old")
    if ended.empty:
        return {}
    names = dict(zip(authorities["la_code_old"], authorities["la_name"]))
    found: dict[str, list[dict]] = {}
    for old, name, status, until, after in zip(ended["la_code_old"], ended["la_name"], ended["status"],
                                               ended["status_from"], ended["successors"]):
        codes = str(after).split(";")
        item = {"la_code_old": old, "la_name": name, "status": status, "until": int(until),
                "successors": [names[c] for c in codes if c in names]}
        for code in codes:
            found.setdefault(code, []).append(item)
    return {code: found[code] for code in sorted(found)}


def former(authorities: pd.DataFrame, code: str) -> list[dict]:
    """The councils that `code` replaced (see `formers`)."""
    return formers(authorities).get(code, [])


def beside(frame: pd.DataFrame, authorities: pd.DataFrame, value: str, year: int | None = None) -> pd.DataFrame:
    """`value` in one year (default: England's latest) for each current council, its region and England."""
    national = frame[frame["geographic_level"] == "National"]
    year = int(national["year"].max()) if year is None else year
    rows = frame[frame["year"] == year]
    table = councils(authorities)[["la_code_old", "region_code"]]
    own = rows[rows["geographic_level"] == "Local authority"].drop_duplicates("la_code_old").set_index(
        "la_code_old")[value]
    region = rows[rows["geographic_level"] == "Regional"].drop_duplicates("area_code").set_index(
        "area_code")[value]
    england = rows.loc[rows["geographic_level"] == "National", value]
    return pd.DataFrame({"la_code_old": table["la_code_old"], "year": year,
                         "council": table["la_code_old"].map(own).astype("Float64").to_numpy(),
                         "region": table["region_code"].map(region).astype("Float64").to_numpy(),
                         "england": float(england.iloc[0]) if len(england) and pd.notna(england.iloc[0])
                         else pd.NA}).reset_index(drop=True)


def _rate(counts: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Counts per 10,000 children under 18, with the population of the same areas and year."""
    out = counts.copy()
    for column in ("council", "region", "england"):
        out[column] = counts[column] / population[column] * PER
    return out


def key_figures(la_rates: pd.DataFrame, referrals: pd.DataFrame, protection: pd.DataFrame,
                caseload: pd.DataFrame, lait: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Every key figure for every current council, long: la_code_old, key, year, period, council, region,
    england. Rates computed here use the under-18 population DfE gives with children looked after."""
    care = la_rates[la_rates["measure"] == CARE]
    population = {}

    def under_18(year: int) -> pd.DataFrame:
        if year not in population:
            population[year] = beside(care, authorities, "population_under_18", year)
        return population[year]

    looked_after = beside(care, authorities, "number")
    count_referrals = beside(referrals, authorities, "referral_count")
    count_protection = beside(protection, authorities, "cpp_at31")
    totals = caseload[caseload["age_band"] == "Total"]
    parts = {
        "looked_after": looked_after,
        "looked_after_rate": beside(care, authorities, "rate_per_10000"),
        "referrals": count_referrals,
        "referrals_rate": _rate(count_referrals, under_18(int(count_referrals["year"].iloc[0]))),
        "protection": count_protection,
        "protection_rate": _rate(count_protection, under_18(int(count_protection["year"].iloc[0]))),
        "ehc_plans": beside(totals, authorities, "ehc_plans"),
        "spending_per_child": spending_per_child(lait, la_rates, authorities),
    }
    frame = pd.concat([part.assign(key=key) for key, part in parts.items()], ignore_index=True)
    frame["period"] = [money_period(year) if key == "spending_per_child" else str(year)
                       for key, year in zip(frame["key"], frame["year"])]
    return frame[["la_code_old", "key", "year", "period", "council", "region", "england"]]


def money_period(year: int) -> str:
    """The financial year ending in March of `year` ("2024-25")."""
    return f"{year - 1}-{year % 100:02d}"


def social_care_totals(lait: pd.DataFrame) -> pd.DataFrame:
    """Children's social care spending (£ cash, the four blocks) per area and year, where all four are given."""
    rows = lait[lait["measure"].isin(list(money.LAIT_BLOCKS))]
    key = rows["la_code_old"].fillna(rows["area_code"])
    grouped = rows.assign(key=key).groupby(["key", "year"])["value"]
    totals = grouped.sum(min_count=1).where(grouped.count() == len(money.LAIT_BLOCKS))
    return totals.rename("value").reset_index()


def spending_per_child(lait: pd.DataFrame, la_rates: pd.DataFrame, authorities: pd.DataFrame) -> pd.DataFrame:
    """Social care spending per child under 18 in the latest year with both spending and population."""
    totals = social_care_totals(lait)
    care = la_rates[(la_rates["measure"] == CARE) & la_rates["population_under_18"].notna()]
    year = int(min(totals["year"].max(), care.loc[care["geographic_level"] == "National", "year"].max()))
    spend = totals[totals["year"] == year].set_index("key")["value"]
    people = beside(care, authorities, "population_under_18", year)
    table = councils(authorities)
    out = people.copy()
    out["council"] = table["la_code_old"].map(spend).astype("Float64").to_numpy() / people["council"]
    out["region"] = table["region_code"].map(spend).astype("Float64").to_numpy() / people["region"]
    out["england"] = spend.get(ENGLAND, float("nan")) / people["england"]
    return out


def delivery(organisations: pd.DataFrame, served: pd.DataFrame, authorities: pd.DataFrame) -> dict[str, list]:
    """For each current council, each trust or company that ran its children's services, or a predecessor's,
    oldest first: organisation, model, why, how it stands, the council served, from and to (None: still)."""
    orgs = {row["organisation_id"]: row for row in organisations.to_dict("records")}
    names = dict(zip(authorities["la_code_old"], authorities["la_name"]))
    replaced = formers(authorities)
    links = served.sort_values("from_date").to_dict("records")
    out = {}
    for code in authorities.loc[authorities["status"] == "current", "la_code_old"]:
        codes = {code} | {f["la_code_old"] for f in replaced.get(code, [])}
        out[code] = [{
            "organisation": orgs[link["organisation_id"]]["name"], "model": orgs[link["organisation_id"]]["model"],
            "ownership": orgs[link["organisation_id"]]["ownership"],
            "why": TRIGGERS.get(orgs[link["organisation_id"]]["trigger"], ""),
            "now": STATUS.get(orgs[link["organisation_id"]]["status"], ""),
            "council": names.get(link["la_code_old"], link["area_name"]), "own": link["la_code_old"] == code,
            "from": link["from_date"], "to": None if pd.isna(link["to_date"]) else link["to_date"]}
            for link in links if link["la_code_old"] in codes]
    return out


def delivery_status(links: list[dict]) -> str:
    """"Trust or company" column of the index: now, formerly, or no."""
    own = [link for link in links if link["own"]]
    if any(link["to"] is None for link in own):
        return "Yes"
    if links:
        return "Formerly"
    return "No"


def index_table(authorities: pd.DataFrame, inspections: pd.DataFrame, la_rates: pd.DataFrame,
                organisations: pd.DataFrame, served: pd.DataFrame) -> pd.DataFrame:
    """One row per current council for the explorer's index: region, latest grade, care rate, trust."""
    table = councils(authorities)
    grades = quality.latest_grades(inspections, authorities).set_index("la_code_old")
    rate = beside(la_rates[la_rates["measure"] == CARE], authorities, "rate_per_10000").set_index("la_code_old")
    table["grade"] = table["la_code_old"].map(grades["grade"])
    table["grade_date"] = table["la_code_old"].map(grades["publication_date"])
    table["grade_framework"] = table["la_code_old"].map(grades["framework"])
    table["rate"] = table["la_code_old"].map(rate["council"]).astype("Float64")
    table["rate_year"] = int(rate["year"].iloc[0])
    links = delivery(organisations, served, authorities)
    table["trust"] = [delivery_status(links[code]) for code in table["la_code_old"]]
    return table
