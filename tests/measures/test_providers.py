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
    with pytest.raises(KeyError):
        providers.share_in(shares, "private", 2018)


def test_no_rows_for_the_area_is_an_error():
    with pytest.raises(ValueError, match="E12000001"):
        providers.provider_shares(placements(*england(2017, total=1)), "E12000001")


def test_council_shares_leave_out_tiny_councils_and_count_private_above_own():
    las = pd.DataFrame({"la_code_old": ["1", "2", "3"], "la_name": ["A", "B", "Scilly"],
                        "small_population": [False, False, True]})
    rows = []
    for code, own, private in [("1", 20, 70), ("2", 60, 30), ("3", 0, 5)]:
        rows += [("Local authority", "x", code, 2025, "own_la", own), ("Local authority", "x", code, 2025,
                                                                        "private", private),
                 ("Local authority", "x", code, 2025, "total", 100)]
    shares = providers.la_shares(placements(*rows), las, 2025)
    assert list(shares.index) == ["1", "2"]
    assert providers.la_summary(shares) == {"councils": 2, "median_private": 50.0, "private_above_own": 1}


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
