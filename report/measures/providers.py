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


def number_in(shares: pd.DataFrame, provider: str, year: int) -> int:
    """One provider's number of children placed in one year."""
    found = shares.loc[(shares["provider"] == provider) & (shares["year"] == year), "number"]
    if found.empty:
        raise KeyError(f"no {provider} number for {year}")
    return int(found.iloc[0])


def la_shares(placements: pd.DataFrame, authorities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each council's private and own-provision shares in one year (councils with figures; the two tiny
    councils, Isles of Scilly and City of London, left out)."""
    small = set(authorities.loc[authorities["small_population"].fillna(False).astype(bool), "la_code_old"])
    rows = placements[(placements["geographic_level"] == "Local authority") & (placements["year"] == year)
                      & ~placements["la_code_old"].isin(small)]
    wide = rows.pivot_table(index="la_code_old", columns="provider", values="number", aggfunc="sum")
    wide = wide[(wide["total"] > 0) & wide["private"].notna() & wide["own_la"].notna()]
    names = authorities.set_index("la_code_old")["la_name"]
    return pd.DataFrame({"la_name": names.reindex(wide.index),
                         "private": wide["private"] / wide["total"] * 100,
                         "own_la": wide["own_la"] / wide["total"] * 100})


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
    """Median private share across councils and how many place more privately than in their own provision."""
    return {"councils": len(shares), "median_private": float(shares["private"].median()),
            "private_above_own": int((shares["private"] > shares["own_la"]).sum())}


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

