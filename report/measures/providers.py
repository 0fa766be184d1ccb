"""Who provides care: placement providers' shares and Ofsted-registered children's homes by sector.

Years missing from a source (placements at 31 March 2018; LA rows for 2019 and 2020) stay missing: the
functions here never fill them. Children's home counts by sector come only from the provider lists that
hold every registered provider (`scope` = `all_registered`): the other years' lists leave out homes not
yet inspected, so their counts are not comparable.
"""

from __future__ import annotations

import pandas as pd

ENGLAND = "E92000001"
PROVIDERS = {"own_la": "Council's own", "private": "Private", "voluntary": "Voluntary",
             "parents": "With parents", "other_la": "Another council",
             "other_public": "Other public", "not_reported": "Not reported"}
HOME = "Children's home"
SECTORS = ["Private", "Local authority", "Voluntary"]


def provider_shares(placements: pd.DataFrame, area_code: str = ENGLAND) -> pd.DataFrame:
    """Children placed by each provider type and their percentage of all children looked after, by year."""
    rows = placements[placements["area_code"] == area_code]
    wide = rows.pivot_table(index="year", columns="provider", values="number", aggfunc="sum")
    if wide.empty:
        raise ValueError(f"placements: no rows for area {area_code}")
    shares = wide.drop(columns="total").div(wide["total"], axis=0) * 100
    long = wide.drop(columns="total").stack().rename("number").to_frame().join(
        shares.stack().rename("share")).reset_index()
    long["label"] = long["provider"].map(PROVIDERS)
    return long.astype({"year": int})


def share_in(shares: pd.DataFrame, provider: str, year: int) -> float:
    """One provider's percentage share in one year."""
    found = shares.loc[(shares["provider"] == provider) & (shares["year"] == year), "share"]
    if found.empty:
        raise KeyError(f"no {provider} share for {year}")
    return float(found.iloc[0])


def share_by_year(shares: pd.DataFrame, provider: str) -> pd.Series:
    """One provider's percentage share, indexed by year (years without figures absent)."""
    rows = shares[shares["provider"] == provider]
    if rows.empty:
        raise KeyError(f"no {provider} shares")
    return rows.set_index("year")["share"].dropna().sort_index()


def number_in(shares: pd.DataFrame, provider: str, year: int) -> int:
    """One provider's number of children placed in one year."""
    found = shares.loc[(shares["provider"] == provider) & (shares["year"] == year), "number"]
    if found.empty:
        raise KeyError(f"no {provider} number for {year}")
    return int(found.iloc[0])


def trust_run(organisation_las: pd.DataFrame, year: int) -> set[str]:
    """Councils (old LA codes) whose children's services a trust or company ran on 31 March of `year`, from
    the delivery-models package: DfE records these councils' own placements as provided by a voluntary body."""
    census = pd.Timestamp(year=int(year), month=3, day=31)
    start = pd.to_datetime(organisation_las["from_date"])
    end = pd.to_datetime(organisation_las["to_date"])
    running = (start <= census) & (end.isna() | (end > census))
    return set(organisation_las.loc[running, "la_code_old"].astype(str))


def own_with_trusts(placements: pd.DataFrame, organisation_las: pd.DataFrame) -> pd.DataFrame:
    """England by year, both readings: own provision as recorded, and with trust-run councils' "voluntary"
    placements counted as their own (a trust-run council's other voluntary placements, a few dozen at most,
    move with them). Suppressed council counts are left out of the sums, never read as zero."""
    national = provider_shares(placements).pivot_table(index="year", columns="provider", values="number")
    councils = placements[placements["geographic_level"] == "Local authority"]
    rows = []
    for year in national.index:
        codes = trust_run(organisation_las, year)
        mine = councils[(councils["year"] == year) & councils["la_code_old"].astype(str).isin(codes)]
        moved = pd.to_numeric(mine.loc[mine["provider"] == "voluntary", "number"], errors="coerce").sum()
        rows.append({"year": int(year), "trust_councils": len(set(mine["la_code_old"].astype(str))),
                     "own_recorded": national.loc[year, "own_la"], "trust_voluntary": moved,
                     "own_with_trusts": national.loc[year, "own_la"] + moved,
                     "voluntary_elsewhere": national.loc[year, "voluntary"] - moved})
    return pd.DataFrame(rows).set_index("year")


def la_shares(placements: pd.DataFrame, authorities: pd.DataFrame, year: int,
              organisation_las: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each council's private and own-provision shares in one year: councils whose private count is
    published (a suppressed count is unknown, not zero), the two tiny councils (Isles of Scilly, City of
    London) left out; a suppressed own-provision count stays missing. With the delivery-models table,
    `trust_run` marks councils run by a trust that year and `own_with_trust` adds their "voluntary"."""
    small = set(authorities.loc[authorities["small_population"].fillna(False).astype(bool), "la_code_old"])
    rows = placements[(placements["geographic_level"] == "Local authority") & (placements["year"] == year)
                      & ~placements["la_code_old"].isin(small)]
    wide = rows.groupby(["la_code_old", "provider"])["number"].sum(min_count=1).unstack()  # keeps NA as NA
    wide = wide.reindex(columns=sorted(set(wide.columns) | {"own_la", "private", "voluntary", "total"}))
    wide = wide[(wide["total"] > 0) & wide["private"].notna()]
    names = authorities.set_index("la_code_old")["la_name"]
    trusts = trust_run(organisation_las, year) if organisation_las is not None else set()
    run_by_trust = pd.Series(wide.index.astype(str).isin(trusts), index=wide.index)
    own = wide["own_la"].where(~run_by_trust, wide["own_la"] + wide["voluntary"])
    return pd.DataFrame({"la_name": names.reindex(wide.index),
                         "private": wide["private"] / wide["total"] * 100,
                         "own_la": wide["own_la"] / wide["total"] * 100,
                         "trust_run": run_by_trust, "own_with_trust": own / wide["total"] * 100})


def homes_by_sector(providers: pd.DataFrame) -> pd.DataFrame:
    """Children's homes and their places by sector, in the years whose list holds every registered home."""
    rows = providers[(providers["provision_type"] == HOME) & (providers["scope"] == "all_registered")]
    frame = rows.groupby(["year", "sector"], as_index=False)[["providers", "places"]].sum()
    frame["share"] = frame["providers"] / frame.groupby("year")["providers"].transform("sum") * 100
    return frame.rename(columns={"providers": "homes"}).astype({"year": int})


def homes_in(sectors: pd.DataFrame, sector: str | None, year: int, field: str = "homes") -> float:
    """Homes (or places, or share) in one sector and year; `sector=None` sums all sectors."""
    rows = sectors[sectors["year"] == year]
    if rows.empty:
        raise KeyError(f"no children's home counts for {year}")
    return float(rows[field].sum() if sector is None else rows.loc[rows["sector"] == sector, field].sum())


def homes_series(national: pd.DataFrame) -> pd.DataFrame:
    """Ofsted's national count of children's homes and their places, with places per home, by year."""
    rows = national[national["provision_type"] == HOME][["year", "providers", "places"]]
    rows = rows.rename(columns={"providers": "homes"}).astype({"year": int})
    return rows.assign(places_per_home=rows["places"] / rows["homes"]).sort_values("year")


def placement_types(types: pd.DataFrame, area_code: str = ENGLAND) -> pd.DataFrame:
    """Children looked after by type of placement, one column per type, one row per year."""
    rows = types[types["area_code"] == area_code]
    return rows.pivot_table(index="year", columns="placement_type", values="number", aggfunc="sum")


def la_summary(shares: pd.DataFrame) -> dict:
    """Median private share across councils and how many place more privately than in their own provision,
    among councils whose own-provision count is published (a suppressed count is unknown, never zero):
    as recorded, how many of those are trust-run, and with trust-run councils' own placements restored."""
    known = shares[shares["own_la"].notna()]
    above = known["private"] > known["own_la"]
    trust = known["trust_run"] if "trust_run" in known else pd.Series(False, index=known.index)
    restored = known["own_with_trust"] if "own_with_trust" in known else known["own_la"]
    return {"councils": len(shares), "median_private": float(shares["private"].median()),
            "own_known": len(known), "own_suppressed": int(shares["own_la"].isna().sum()),
            "trust_run_suppressed": int((shares["own_la"].isna() & shares.get("trust_run", False)).sum()),
            "private_above_own": int(above.sum()), "trust_run_above_own": int((above & trust).sum()),
            "private_above_own_restored": int((known["private"] > restored).sum())}


def looked_after(placements: pd.DataFrame, area_code: str = ENGLAND) -> pd.Series:
    """All children looked after on 31 March, by year, for one area."""
    rows = placements[(placements["area_code"] == area_code) & (placements["provider"] == "total")]
    return rows.set_index("year")["number"].astype(int)


def years_lists_match_series(national: pd.DataFrame, sectors: pd.DataFrame) -> list[int]:
    """Complete-list years in which the provider list's count of homes equals Ofsted's national series."""
    series = homes_series(national).set_index("year")["homes"]
    lists = homes_by_sector(sectors).groupby("year")["homes"].sum()
    both = lists.index.intersection(series.index)
    return [int(year) for year in both if lists[year] == series[year]]

