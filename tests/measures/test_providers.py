"""Who-provides-care measures: tiny fixtures for the rules, and real shares recomputed from the CSVs."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from report.data import load
from report.measures import providers
from tests.conftest import ROOT


def placements(*records) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["geographic_level", "area_code", "la_code_old", "year", "provider",
                                          "number"])


def homes(*records) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["year", "scope", "provision_type", "sector", "providers", "places"])


def read_csv(package: str, resource: str) -> list[dict]:
    with open(ROOT / "data" / package / f"{resource}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def england(year, **numbers):
    return [("National", providers.ENGLAND, None, year, p, n) for p, n in numbers.items()]


def test_shares_are_of_the_total_and_missing_years_stay_missing():
    frame = placements(*england(2017, own_la=60, private=30, total=100), *england(2019, own_la=40, private=40,
                                                                                  total=80))
    shares = providers.provider_shares(frame)
    assert sorted(shares["year"].unique()) == [2017, 2019]
    assert providers.share_in(shares, "private", 2019) == pytest.approx(50)
    assert providers.number_in(shares, "own_la", 2017) == 60
    assert providers.share_by_year(shares, "private").to_dict() == pytest.approx({2017: 30, 2019: 50})
    with pytest.raises(KeyError):
        providers.share_in(shares, "private", 2018)
    with pytest.raises(KeyError):
        providers.share_by_year(shares, "parents")


def test_no_rows_for_the_area_is_an_error():
    with pytest.raises(ValueError, match="E12000001"):
        providers.provider_shares(placements(*england(2017, total=1)), "E12000001")


def test_council_shares_leave_out_tiny_and_suppressed_councils_and_count_private_above_own():
    las = pd.DataFrame({"la_code_old": ["1", "2", "3", "4", "5"],
                        "la_name": ["A", "B", "Scilly", "Private suppressed", "Own suppressed"],
                        "small_population": [False, False, True, False, False]})
    rows = []
    for code, own, private in [("1", 20, 70), ("2", 60, 30), ("3", 0, 5), ("4", 90, None), ("5", None, 40)]:
        rows += [("Local authority", "x", code, 2025, "own_la", own), ("Local authority", "x", code, 2025,
                                                                        "private", private),
                 ("Local authority", "x", code, 2025, "total", 100)]
    shares = providers.la_shares(placements(*rows), las, 2025)
    assert list(shares.index) == ["1", "2", "5"]  # 3 is tiny; 4's private count is suppressed, not zero
    assert pd.isna(shares.loc["5", "own_la"])
    summary = providers.la_summary(shares)  # 5's own count is suppressed: left out of the comparison
    assert (summary["councils"], summary["median_private"], summary["private_above_own"]) == (3, 40.0, 1)
    assert (summary["own_known"], summary["own_suppressed"]) == (2, 1)


def test_homes_by_sector_counts_only_complete_lists():
    frame = homes((2018, "all_registered", "Children's home", "Private", 3, 12),
                  (2018, "all_registered", "Children's home", "Local authority", 1, 8),
                  (2018, "all_registered", "Secure children's home", "Local authority", 1, 8),
                  (2019, "inspected_only", "Children's home", "Private", 4, 16))
    by_sector = providers.homes_by_sector(frame)
    assert by_sector["year"].unique().tolist() == [2018]
    assert providers.homes_in(by_sector, None, 2018) == 4
    assert providers.homes_in(by_sector, "Private", 2018, "share") == pytest.approx(75)
    with pytest.raises(KeyError):
        providers.homes_in(by_sector, None, 2019)


def test_private_share_of_placements_recomputed_from_the_csv():
    numbers = {(int(r["year"]), r["provider"]): int(r["number"])
               for r in read_csv("placements", "placement-provider") if r["area_code"] == providers.ENGLAND}
    years = sorted({year for year, _ in numbers})
    shares = providers.provider_shares(load("placements", "placement-provider", data_dir=ROOT / "data"))
    for year in (years[0], years[-1]):
        expected = numbers[(year, "private")] / numbers[(year, "total")] * 100
        assert providers.share_in(shares, "private", year) == pytest.approx(expected)
    assert 2018 not in set(shares["year"])


def test_private_homes_and_the_series_match_recomputed_from_the_csvs():
    sector_rows = [r for r in read_csv("childrens-homes", "providers-by-sector")
                   if r["provision_type"] == "Children's home" and r["scope"] == "all_registered"]
    last = max(int(r["year"]) for r in sector_rows)
    private = sum(int(r["providers"]) for r in sector_rows
                  if int(r["year"]) == last and r["sector"] == "Private")
    sectors = load("childrens-homes", "providers-by-sector", data_dir=ROOT / "data")
    assert providers.homes_in(providers.homes_by_sector(sectors), "Private", last) == private
    series = {int(r["year"]): int(r["providers"]) for r in read_csv("childrens-homes", "national-series")
              if r["provision_type"] == "Children's home"}
    totals: dict[int, int] = {}
    for row in sector_rows:
        totals[int(row["year"])] = totals.get(int(row["year"]), 0) + int(row["providers"])
    national = load("childrens-homes", "national-series", data_dir=ROOT / "data")
    assert providers.years_lists_match_series(national, sectors) == sorted(
        year for year in totals if year in series and totals[year] == series[year])


def organisation_las(*records) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["la_code_old", "from_date", "to_date"])
    return frame.assign(from_date=pd.to_datetime(frame["from_date"]), to_date=pd.to_datetime(frame["to_date"]))


def test_trust_run_councils_are_those_running_on_31_march():
    las = organisation_las(("330", "2018-04-01", None), ("371", "2014-10-01", "2022-09-01"),
                           ("870", "2018-12-01", "2026-04-01"))
    assert providers.trust_run(las, 2018) == {"371"}
    assert providers.trust_run(las, 2019) == {"330", "371", "870"}
    assert providers.trust_run(las, 2023) == {"330", "870"}


def test_suppressed_own_provision_is_left_out_never_counted_as_zero():
    rows = [("Local authority", "E1", code, 2025, p, n) for code, counts in
            {"1": dict(own_la=pd.NA, private=30, voluntary=40, total=80),
             "2": dict(own_la=10, private=30, voluntary=0, total=50),
             "3": dict(own_la=40, private=5, voluntary=0, total=50)}.items() for p, n in counts.items()]
    frame = placements(*rows).astype({"number": "Int64"})
    authorities = pd.DataFrame({"la_code_old": ["1", "2", "3"], "la_name": ["A", "B", "C"],
                                "small_population": [False] * 3})
    summary = providers.la_summary(providers.la_shares(frame, authorities, 2025,
                                                       organisation_las(("1", "2018-04-01", None))))
    assert summary["own_known"] == 2 and summary["own_suppressed"] == 1
    assert summary["private_above_own"] == 1 and summary["trust_run_above_own"] == 0
    assert summary["trust_run_suppressed"] == 1


def test_own_provision_with_trusts_recomputed_from_the_csvs():
    """England's own placements with trust-run councils' "voluntary" added back, recomputed in plain pandas."""
    raw = pd.read_csv(ROOT / "data" / "placements" / "placement-provider.csv", dtype=str)
    las = pd.read_csv(ROOT / "data" / "delivery-models" / "organisation-las.csv", dtype=str)
    census = pd.Timestamp("2025-03-31")
    running = las[(pd.to_datetime(las["from_date"]) <= census)
                  & (las["to_date"].isna() | (pd.to_datetime(las["to_date"]) > census))]["la_code_old"]
    rows = raw[raw["year"] == "2025"]
    national = rows[rows["geographic_level"] == "National"].set_index("provider")["number"].astype(int)
    trust = rows[rows["la_code_old"].isin(running) & (rows["provider"] == "voluntary")]
    moved = pd.to_numeric(trust["number"], errors="coerce").sum()
    got = providers.own_with_trusts(load("placements", "placement-provider"),
                                    load("delivery-models", "organisation-las")).loc[2025]
    assert got["trust_councils"] == running.nunique() >= 10
    assert got["trust_voluntary"] == moved and got["own_with_trusts"] == national["own_la"] + moved
    assert got["voluntary_elsewhere"] == national["voluntary"] - moved
    assert got["own_with_trusts"] > national["own_la"]


def test_no_suppressed_count_is_read_as_zero_anywhere_in_the_council_summary():
    """Rule guard: councils whose own count is suppressed in the CSV are exactly those left out."""
    raw = pd.read_csv(ROOT / "data" / "placements" / "placement-provider.csv", dtype=str)
    authorities = load("local-authorities", "local-authorities")
    small = set(authorities.loc[authorities["small_population"].fillna(False).astype(bool), "la_code_old"])
    rows = raw[(raw["year"] == "2025") & (raw["geographic_level"] == "Local authority")
               & ~raw["la_code_old"].isin(small)]
    wide = rows.pivot(index="la_code_old", columns="provider", values="number")
    wide = wide[pd.to_numeric(wide["private"], errors="coerce").notna()]
    suppressed = wide["own_la"].isin(["c", "x", "z", ".."]).sum()
    summary = providers.la_summary(providers.la_shares(load("placements", "placement-provider"), authorities,
                                                       2025, load("delivery-models", "organisation-las")))
    assert summary["own_suppressed"] == suppressed > 0
    assert summary["own_known"] + summary["own_suppressed"] == summary["councils"]
