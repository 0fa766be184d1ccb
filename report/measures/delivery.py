"""Trusts and council-owned companies: when each ran services, why, and their councils' Ofsted grades.

The one measure of grades around a hand-over, for every chapter that cites it (6, 8, 9 and 10).
"Before" is the council's last overall judgement published before the organisation took over (SIF, ILACS,
and the narrower child protection inspections; SLAC gave no overall judgement, so a council last inspected
under SLAC has none). "While run" is the latest whole-service judgement (SIF or ILACS) of an inspection
that began while the organisation delivered the services (for SIF, which gives no start date, published
then). A council replaced while served (Northamptonshire, 2021) takes its rows through its successors:
their "before" is the old council's, and their hand-over date the old council's.
"""

from __future__ import annotations

import re

import pandas as pd

from report.measures.quality import GRADES, count_at_least, graded, overall_grades

TRIGGERS = {"statutory_direction": "Directed by government",
            "agreed_after_inadequate": "Agreed with DfE after an inadequate judgement",
            "voluntary": "The councils' own choice"}
STATUS = {"operating": "still running", "ended": "services back with the council",
          "converted": "now a council-owned company", "return_planned": "return to the council planned"}


def timeline(organisations: pd.DataFrame, served: pd.DataFrame, as_at: str) -> pd.DataFrame:
    """One row per organisation: start, end (or `as_at` if still running), why set up, how it stands."""
    orgs = organisations.copy()
    unknown = set(orgs["trigger"]) - set(TRIGGERS) | set(orgs["status"]) - set(STATUS)
    if unknown:
        raise ValueError(f"delivery-models/organisations: unknown trigger or status {sorted(unknown)}")
    councils = (served[served["to_date"].isna() | (served["organisation_id"].map(
        orgs.set_index("organisation_id")["status"]) == "ended")]
        .groupby("organisation_id")["area_name"].agg(lambda names: ", ".join(sorted(names))))
    orgs["start"] = orgs["operational_from"]
    orgs["end"] = orgs["ended_date"].fillna(pd.Timestamp(as_at))
    orgs["running"] = orgs["ended_date"].isna()
    orgs["years"] = (orgs["end"] - orgs["start"]).dt.days / 365.25
    orgs["why"] = orgs["trigger"].map(TRIGGERS)
    orgs["now"] = orgs["status"].map(STATUS)
    orgs["councils"] = orgs["organisation_id"].map(councils)
    return orgs.sort_values("start").reset_index(drop=True)


def triggers(organisations: pd.DataFrame) -> pd.Series:
    """How many organisations were set up for each reason (direction, agreed after failure, choice)."""
    return organisations["trigger"].value_counts()


def latest_date(organisations: pd.DataFrame) -> pd.Timestamp:
    """The last date the organisations' data records (a start or an end)."""
    return max(organisations["operational_from"].max(), organisations["ended_date"].max())


def ending(row) -> str:
    """A few words on how an organisation's arrangement stands (empty while it simply runs on)."""
    if row.status == "ended":
        return f"returned {pd.Timestamp(row.ended_date):%b %Y}"
    if row.status == "converted":
        notes = " ".join(text for text in (row.name_note, row.ended_how) if isinstance(text, str))
        year = re.search(r"\b(20\d\d)\b", notes)
        return f"council-owned since {year.group(1)}" if year else "now council-owned"
    if row.status == "return_planned":
        return "return planned"
    return ""


def councils_served(served: pd.DataFrame, on: str) -> int:
    """Number of councils whose services an organisation delivered on a date."""
    day = pd.Timestamp(on)
    live = served[(served["from_date"] <= day) & (served["to_date"].isna() | (served["to_date"] > day))]
    return live["la_code_old"].nunique()


def _predecessors(authorities: pd.DataFrame) -> dict[str, set[str]]:
    """Council number -> the numbers of the councils it replaced."""
    out: dict[str, set[str]] = {}
    for code, successors in authorities[["la_code_old", "successors"]].dropna().itertuples(index=False):
        for successor in str(successors).split(";"):
            out.setdefault(successor, set()).add(code)
    return out


def _before(grades: pd.DataFrame, codes: set[str], day: pd.Timestamp) -> pd.Series | None:
    rows = grades[grades["la_code_old"].isin(codes) & (grades["publication_date"] < day)]
    return rows.iloc[-1] if len(rows) else None


def _began(rows: pd.DataFrame) -> pd.Series:
    return rows["inspection_date"].fillna(rows["publication_date"])


def grades_around_transfer(served: pd.DataFrame, organisations: pd.DataFrame, inspections: pd.DataFrame,
                           authorities: pd.DataFrame) -> pd.DataFrame:
    """Per council served: the grade before the organisation took over and the latest while it ran."""
    current = set(authorities.loc[authorities["status"] == "current", "la_code_old"])
    earlier = _predecessors(authorities)
    overall = overall_grades(inspections)
    whole = graded(inspections).assign(began=lambda f: _began(f))
    orgs = organisations.set_index("organisation_id")
    rows = []
    for link in served[served["la_code_old"].isin(current)].itertuples(index=False):
        start = link.from_date
        if link.la_code_old in earlier and start in set(served.loc[served["la_code_old"].isin(
                earlier[link.la_code_old]), "to_date"]):
            start = served.loc[served["la_code_old"].isin(earlier[link.la_code_old]), "from_date"].min()
        before = _before(overall, {link.la_code_old} | earlier.get(link.la_code_old, set()), start)
        end = link.to_date if pd.notna(link.to_date) else pd.Timestamp.max
        during = whole[(whole["la_code_old"] == link.la_code_old) & (whole["began"] >= start)
                       & (whole["began"] < end)].sort_values("publication_date")
        after = whole[(whole["la_code_old"] == link.la_code_old) & (whole["began"] >= end)]
        rows.append({
            "organisation": orgs.loc[link.organisation_id, "name"],
            "trigger": orgs.loc[link.organisation_id, "trigger"], "la_code_old": link.la_code_old,
            "council": link.area_name, "from_date": start, "to_date": link.to_date,
            "before": None if before is None else before["grade"],
            "before_framework": None if before is None else before["framework"],
            "before_date": None if before is None else before["publication_date"],
            "while_run": during["grade"].iloc[-1] if len(during) else None,
            "while_run_framework": during["framework"].iloc[-1] if len(during) else None,
            "while_run_date": during["publication_date"].iloc[-1] if len(during) else None,
            "inspections_while_run": len(during),
            "since_return": after.sort_values("publication_date")["grade"].iloc[-1] if len(after) else None,
        })
    frame = pd.DataFrame(rows)
    rank = {grade: i for i, grade in enumerate(reversed(GRADES))}
    frame["change"] = frame["while_run"].map(rank) - frame["before"].map(rank)
    return frame.sort_values("from_date").reset_index(drop=True)


def moved(grades: pd.DataFrame) -> dict[str, int]:
    """How many councils' grades rose, stayed the same or fell (of `judged`, those with both grades); how
    many lack the grade after or before."""
    change = grades["change"].dropna()
    return {"better": int((change > 0).sum()), "same": int((change == 0).sum()),
            "worse": int((change < 0).sum()), "judged": len(change),
            "not_yet": int(grades["while_run"].isna().sum()),
            "no_before": int((grades["before"].isna() & grades["while_run"].notna()).sum())}


def reached(grades: pd.DataFrame, before: list[str], after: list[str]) -> tuple[int, int]:
    """Of councils graded `before` at hand-over and inspected since, how many reached `after` while run."""
    rows = grades[grades["before"].isin(before) & grades["while_run"].notna()]
    return int(rows["while_run"].isin(after).sum()), len(rows)


def like_for_like(handover: pd.DataFrame, in_house: pd.DataFrame) -> dict:
    """Trust-run and in-house councils that both started inadequate, with group sizes: the trust group's
    latest grade while the trust ran it, "now" only for councils still run that way, and how many councils
    share one "before" inspection (Northamptonshire's, for both successor councils)."""
    trust = handover[(handover["before"] == "Inadequate") & handover["while_run"].notna()]
    still = trust[trust["to_date"].isna()]
    shared = trust.duplicated(subset=["before_date", "organisation"], keep=False)
    return {"trust": len(trust), "trust_ri": count_at_least(trust["while_run"], "Requires improvement"),
            "trust_good": count_at_least(trust["while_run"], "Good"),
            "trust_inspections": len(trust) - int(shared.sum()) + int(shared.any()),
            "shared_before": int(shared.sum()), "still": len(still),
            "still_good": count_at_least(still["while_run"], "Good"),
            "in_house": len(in_house), "in_house_ri": count_at_least(in_house["latest"], "Requires improvement"),
            "in_house_good": count_at_least(in_house["latest"], "Good")}
