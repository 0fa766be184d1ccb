"""Measures that test the 2016 report's findings (chapters 8 to 10) against the data as it stands now.

Each function takes the frames `load()` returns and gives back a small frame or number; charts and
chapter prose both call these, so a figure in the text and the chart beside it can never disagree.
"""

from __future__ import annotations

import pandas as pd

from report.measures import money

GRADES = ["Inadequate", "Requires improvement", "Good", "Outstanding"]
GRADED_FRAMEWORKS = {"CPI", "CPI re-inspection", "TLAC", "SIF", "SIF re-inspection", "ILACS standard", "ILACS short"}
SIF_START = pd.Timestamp("2013-11-01")  # first single inspection framework reports; trusts began in 2014


# Ofsted grades around a change of who runs a council's children's services

def overall_grades(inspections: pd.DataFrame) -> pd.DataFrame:
    """Inspections that gave an overall grade, oldest first (SLAC gave none, so it is left out)."""
    graded = inspections[inspections["framework"].isin(GRADED_FRAMEWORKS)
                         & inspections["overall_effectiveness"].notna()]
    graded = graded.assign(rank=graded["overall_effectiveness"].map(GRADES.index).astype(int))
    return graded.sort_values(["publication_date", "la_code_old"])


def grades_around_handover(inspections: pd.DataFrame, organisation_las: pd.DataFrame,
                           organisations: pd.DataFrame, local_authorities: pd.DataFrame) -> pd.DataFrame:
    """Per council served by a trust or company: its last overall grade before the handover and its latest
    while served. A council replaced while served is shown through its successors, which take its grade
    from before the handover."""
    graded = overall_grades(inspections)
    orgs = organisations.set_index("organisation_id")
    replaced = _predecessors(organisation_las)
    rows = []
    for served in organisation_las.itertuples(index=False):
        if served.la_code_old in replaced:
            continue  # its successors carry its history
        start, end = served.from_date, served.to_date
        before = graded[graded["la_code_old"].isin(_self_and_predecessors(served.la_code_old, local_authorities))
                        & (graded["publication_date"] < start)]
        during = graded[(graded["la_code_old"] == served.la_code_old) & (graded["publication_date"] >= start)]
        if pd.notna(end):
            during = during[during["publication_date"] < end]
        rows.append({"organisation": orgs.loc[served.organisation_id, "name"],
                     "trigger": orgs.loc[served.organisation_id, "trigger"],
                     "la_code_old": served.la_code_old, "area_name": served.area_name,
                     "from_date": start, "to_date": end,
                     **_grade(before, "before"), **_grade(during, "after")})
    frame = pd.DataFrame(rows)
    frame["change"] = [_change(b, a) for b, a in zip(frame["before_rank"], frame["after_rank"])]
    return frame.astype({"before_rank": "Int64", "after_rank": "Int64"})


def _self_and_predecessors(code: str, local_authorities: pd.DataFrame) -> set[str]:
    successors = local_authorities["successors"].fillna("").str.split(";")
    replaced = local_authorities.loc[successors.apply(lambda s: code in s), "la_code_old"]
    return {code, *replaced}


def _grade(graded: pd.DataFrame, prefix: str) -> dict:
    if graded.empty:
        return {prefix: None, f"{prefix}_rank": None, f"{prefix}_date": pd.NaT}
    last = graded.iloc[-1]
    return {prefix: str(last["overall_effectiveness"]), f"{prefix}_rank": int(last["rank"]),
            f"{prefix}_date": last["publication_date"]}


def _change(before, after) -> str:
    if pd.isna(after):
        return "not inspected since"
    if pd.isna(before):
        return "no earlier overall grade"
    return "better" if after > before else "worse" if after < before else "same"


def inadequate_councils_kept_in_house(inspections: pd.DataFrame, organisation_las: pd.DataFrame) -> pd.DataFrame:
    """Councils never run by a trust or company that were graded inadequate from the single inspection
    framework on and inspected again: their latest overall grade (the comparison for the trusts)."""
    graded = overall_grades(inspections)
    graded = graded[(graded["publication_date"] >= SIF_START)
                    & ~graded["la_code_old"].isin(set(organisation_las["la_code_old"]) | _predecessors(organisation_las))]
    rows = []
    for code, council in graded.groupby("la_code_old"):
        failed = council[council["overall_effectiveness"] == "Inadequate"]["publication_date"]
        later = council[council["publication_date"] > failed.min()] if not failed.empty else council.iloc[0:0]
        if not later.empty:
            last = later.iloc[-1]
            rows.append({"la_code_old": code, "area_name": last["area_name"], "first_inadequate": failed.min(),
                         "latest": str(last["overall_effectiveness"]), "latest_rank": int(last["rank"]),
                         "latest_date": last["publication_date"]})
    return pd.DataFrame(rows)


def _predecessors(organisation_las: pd.DataFrame) -> set[str]:
    """Councils that were replaced while served (the trust served their area before and after)."""
    ended = organisation_las[organisation_las["to_date"].notna()]
    started = set(zip(organisation_las["organisation_id"], organisation_las["from_date"]))
    return {r.la_code_old for r in ended.itertuples() if (r.organisation_id, r.to_date) in started}


def count_at_least(ranks: pd.Series, grade: str) -> int:
    """How many grades are at or above `grade`."""
    return int((pd.to_numeric(ranks, errors="coerce").dropna() >= GRADES.index(grade)).sum())


def share_at_least(ranks: pd.Series, grade: str) -> float:
    """Percentage of grades at or above `grade`."""
    ranks = pd.to_numeric(ranks, errors="coerce").dropna()
    return float((ranks >= GRADES.index(grade)).mean() * 100) if len(ranks) else float("nan")


def triggers(organisations: pd.DataFrame) -> pd.Series:
    """How many trusts and companies were set up for each reason (direction, agreed after failure, choice)."""
    return organisations["trigger"].value_counts()


# The mixed market: who provides placements and children's homes

def private_share_england(placement_provider: pd.DataFrame) -> pd.Series:
    """Percentage of children looked after at 31 March placed with private providers, England, by year."""
    national = placement_provider[placement_provider["geographic_level"] == "National"]
    wide = national.pivot(index="year", columns="provider", values="number")
    return (wide["private"] / wide["total"] * 100).dropna()


def private_share_by_grade(placement_provider: pd.DataFrame, inspections: pd.DataFrame,
                           local_authorities: pd.DataFrame) -> pd.DataFrame:
    """Per council (latest placement year, small councils left out): the private share of its placements
    and its latest overall Ofsted grade."""
    councils = placement_provider[placement_provider["geographic_level"] == "Local authority"]
    year = int(councils["year"].max())
    wide = councils[councils["year"] == year].pivot(index="la_code_old", columns="provider", values="number")
    small = set(local_authorities.loc[local_authorities["small_population"].fillna(False), "la_code_old"])
    wide = wide[(wide["total"] > 0) & ~wide.index.isin(small)]
    latest = overall_grades(inspections).groupby("la_code_old").last()
    frame = pd.DataFrame({"private_share": wide["private"] / wide["total"] * 100}).join(
        latest[["area_name", "overall_effectiveness", "rank", "publication_date"]], how="inner")
    frame = frame.dropna(subset=["private_share", "overall_effectiveness"]).reset_index()
    frame["overall_effectiveness"] = frame["overall_effectiveness"].astype(str)
    return frame.assign(year=year)


def homes_by_sector(providers_by_sector: pd.DataFrame) -> pd.DataFrame:
    """Children's homes and their places by sector, in the years whose lists hold every registered home."""
    homes = providers_by_sector[(providers_by_sector["provision_type"] == "Children's home")
                                & (providers_by_sector["scope"] == "all_registered")]
    return homes.groupby(["year", "sector"], as_index=False)[["providers", "places"]].sum(min_count=1)


# Money: children's social care spending in real terms

def unit_cost_real(lait_unit_costs: pd.DataFrame, deflators: pd.DataFrame, measure: str) -> pd.DataFrame:
    """DfE's weekly unit cost for England (`measure`: residential_care, fostering, ...), cash and real terms."""
    rows = lait_unit_costs[(lait_unit_costs["geographic_level"] == "National")
                           & (lait_unit_costs["measure"] == measure)][["year", "value"]]
    rows = rows.rename(columns={"value": "cash"}).astype({"year": int}).sort_values("year")
    return money.add_real_terms(rows, deflators).reset_index(drop=True)


# Where councils stand now, and what the data leaves out

def latest_grades(inspections: pd.DataFrame, local_authorities: pd.DataFrame) -> pd.DataFrame:
    """Each current council's latest overall grade and when it was published."""
    current = set(local_authorities.loc[local_authorities["status"] == "current", "la_code_old"])
    latest = overall_grades(inspections).groupby("la_code_old").last().reset_index()
    latest = latest[latest["la_code_old"].isin(current)]
    return latest[["la_code_old", "area_name", "framework", "publication_date", "overall_effectiveness", "rank"]]


def financial_year(year: int) -> str:
    """The financial year ending in March of `year`, as publishers write it: 2015 -> "2014-15"."""
    return f"{year - 1}-{year % 100:02d}"


def and_list(items) -> str:
    """["a", "b", "c"] -> "a, b and c" (for naming years or places in prose)."""
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def words(count: int) -> str:
    """Small counts as words in prose ("three"); larger ones as digits."""
    count = int(count)
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else f"{count:,}"


def all_or_some(part: int, whole: int) -> str:
    """ "all seven" when the part is the whole, else "five of the seven"."""
    part, whole = int(part), int(whole)
    return f"all {words(whole)}" if part == whole else f"{words(part)} of the {words(whole)}"
