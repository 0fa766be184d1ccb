"""The series behind the council explorer's charts, for every current council at once.

Each function returns one long frame with a `code` column naming the current council (its DfE number) a row
is drawn for, computed with merges and group-bys over the whole resource rather than one filter per council:
the explorer draws some 600 charts, and one pass over the data keeps that cheap. `codes` limits the result
to some councils (a council's own profile, a test); rows of a council that a current council replaced carry
the current council's code and are marked as the predecessor's, never added to the council's own.
"""

from __future__ import annotations

import pandas as pd

from report.measures import money, providers, quality
from report.measures.councils import CARE, ENGLAND, councils, formers


def chosen(authorities: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """The current councils (`councils`), only those numbered in `codes` if given, in `codes`' order."""
    table = councils(authorities)
    if codes is None:
        return table
    known = set(table["la_code_old"])
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise KeyError(f"local-authorities: no current council numbered {unknown[0]!r}")
    return table.set_index("la_code_old", drop=False).loc[list(codes)].reset_index(drop=True)


def predecessors(authorities: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per (current council `code`, council it replaced `la_code_old`): the old council's name,
    status and the year it ended."""
    earlier = formers(authorities)
    rows = [{"code": code, "la_code_old": item["la_code_old"], "la_name": item["la_name"], "until": item["until"]}
            for code in table["la_code_old"] for item in earlier.get(code, [])]
    return pd.DataFrame(rows, columns=["code", "la_code_old", "la_name", "until"])


def care_rates(la_rates: pd.DataFrame, authorities: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """The rate of children looked after per 10,000, by year, for each council (`code`): its own (kind
    "council"), its region's, England's and any council it replaced (kind "former", named with the year it
    ended). Columns code, year, area, kind, rate, number; by council, kind, area and year."""
    table = chosen(authorities, codes)
    care = la_rates[(la_rates["measure"] == CARE) & la_rates["rate_per_10000"].notna()]
    values = ["year", "rate_per_10000", "number"]
    own = table[["la_code_old", "la_name"]].merge(care[["la_code_old", *values]], on="la_code_old")
    own = own.assign(code=own["la_code_old"], area=own["la_name"], kind="council")
    regional = care.loc[care["geographic_level"] == "Regional", ["area_code", *values]]
    region = table[["la_code_old", "region_code", "region_name"]].merge(
        regional, left_on="region_code", right_on="area_code")
    region = region.assign(code=region["la_code_old"], area=region["region_name"], kind="region")
    national = care.loc[care["geographic_level"] == "National", values]
    england = table[["la_code_old"]].merge(national, how="cross")
    england = england.assign(code=england["la_code_old"], area="England", kind="england")
    old = predecessors(authorities, table)
    old = old.assign(area=[f"{name} (to {until})" for name, until in zip(old["la_name"], old["until"])])
    former = old[["code", "la_code_old", "area"]].merge(care[["la_code_old", *values]], on="la_code_old")
    columns = ["code", "year", "area", "kind", "rate_per_10000", "number"]
    rows = pd.concat([part[columns] for part in (own, region, england, former.assign(kind="former"))],
                     ignore_index=True)
    out = rows.rename(columns={"rate_per_10000": "rate"}).astype({"year": int, "rate": float})
    return out.sort_values(["code", "kind", "area", "year"], kind="stable").reset_index(drop=True)


def inspections_of(inspections: pd.DataFrame, authorities: pd.DataFrame,
                   codes: list[str] | None = None) -> pd.DataFrame:
    """Every inspection with an overall grade of each council (`code`) or of a council it replaced, oldest
    first: the inspection's columns, `grade`, `council` (the name of the council inspected; "Dorset (before
    2019)" where the old and the new council share a name) and `own`."""
    table = chosen(authorities, codes)
    old = predecessors(authorities, table)
    names = dict(zip(table["la_code_old"], table["la_name"]))
    old["council"] = [name if name != names[code] else f"{name} (before {until})"
                      for code, name, until in zip(old["code"], old["la_name"], old["until"])]
    who = pd.concat([pd.DataFrame({"code": table["la_code_old"], "la_code_old": table["la_code_old"],
                                   "council": table["la_name"], "own": True}),
                     old[["code", "la_code_old", "council"]].assign(own=False)], ignore_index=True)
    rows = quality.overall_grades(inspections)
    rows = rows.astype({"la_code_old": object}).merge(who.astype({"council": str}), on="la_code_old")
    return rows.sort_values("code", kind="stable").reset_index(drop=True)


def placements_latest(placements: pd.DataFrame, authorities: pd.DataFrame,
                      codes: list[str] | None = None) -> pd.DataFrame:
    """Shares of each council's children looked after by provider in its latest year with children placed,
    England's share that year beside: code, year, provider, number, share, label, england; by council,
    providers in `providers.PROVIDERS` order. A council with no child placed has no rows; a suppressed
    count has a missing number and share, never zero."""
    table = chosen(authorities, codes)
    own = placements[placements["area_code"].isin(list(table["la_code"]))]
    own = own.merge(table[["la_code", "la_code_old"]].rename(columns={"la_code_old": "code"}),
                    left_on="area_code", right_on="la_code")
    totals = own[(own["provider"] == "total") & (own["number"] > 0)]
    latest = totals.groupby("code")["year"].max().rename("latest").reset_index()
    rows = own.merge(latest, on="code")
    rows = rows[rows["year"] == rows["latest"]]
    wide = rows.groupby(["code", "year", "provider"])["number"].sum(min_count=1).unstack()  # suppressed: NA
    if wide.empty:
        return pd.DataFrame(columns=["code", "year", "provider", "number", "share", "label", "england"])
    shares = wide.drop(columns="total").div(wide["total"], axis=0) * 100
    long = wide.drop(columns="total").stack().rename("number").to_frame().join(
        shares.stack().rename("share")).reset_index()
    long = long.assign(label=long["provider"].map(providers.PROVIDERS)).astype({"year": int})
    england = providers.provider_shares(placements, ENGLAND).set_index(["year", "provider"])["share"]
    long["england"] = england.reindex(pd.MultiIndex.from_frame(long[["year", "provider"]])).to_numpy()
    long["order"] = long["provider"].map(list(providers.PROVIDERS).index)
    return long.sort_values(["code", "order"], kind="stable").drop(columns="order").reset_index(drop=True)


def spending_blocks(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame, deflators: pd.DataFrame,
                    authorities: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Each council's children's social care spending by block, cash and real terms, every year it reports in
    either source: code, year, block, cash, source, period, real, name, segment (runs of consecutive years)."""
    table = chosen(authorities, codes)
    wanted = list(table["la_code_old"])
    marked = lines.loc[lines["social_care_block"].notna(), ["year", "line", "social_care_block"]]
    s251 = outturn[outturn["la_code_old"].isin(wanted)].merge(marked, on=["year", "line"], how="inner",
                                                               validate="many_to_one")
    s251 = (s251.groupby(["la_code_old", "year", "social_care_block"], observed=True)["total_expenditure"].sum()
            .rename("cash").reset_index().rename(columns={"social_care_block": "block"})
            .assign(source="Section 251 outturn (sum of LA rows)"))
    rows = lait[lait["la_code_old"].isin(wanted).fillna(False) & lait["measure"].isin(list(money.LAIT_BLOCKS))]
    rows = (rows.assign(block=rows["measure"].map(money.LAIT_BLOCKS))[["la_code_old", "year", "block", "value"]]
            .rename(columns={"value": "cash"}).assign(source="LAIT (S251 outturn, England)"))
    frame = pd.concat([s251, rows], ignore_index=True).rename(columns={"la_code_old": "code"})
    frame["year"] = frame["year"].astype(int)
    frame["block"] = frame["block"].astype(str)
    frame = money.add_real_terms(frame, deflators).dropna(subset=["cash"])
    frame = frame.sort_values(["code", "year", "block"], kind="stable").reset_index(drop=True)
    years = frame[["code", "year"]].drop_duplicates()
    gap = years.groupby("code")["year"].diff().fillna(1) != 1  # as money.segments, council by council
    years = years.assign(segment=gap.groupby(years["code"]).cumsum())
    frame = frame.merge(years, on=["code", "year"])
    return frame.assign(name=frame["block"].map(money.BLOCKS), segment=frame["segment"].astype(int))[
        ["code", "year", "block", "cash", "source", "period", "real", "name", "segment"]]
