"""England totals as the publishers print them (read from their files in the test, not typed in)."""

from __future__ import annotations

import csv

import pytest

from report.data import load
from tests.conftest import ROOT, SOURCES


def _publisher_rows(path):
    if not path.is_file():
        pytest.skip(f"publisher file {path} is not on this machine: comparison with it not run")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_england_children_looked_after_equals_the_time_series():
    rows = _publisher_rows(SOURCES / "dfe-cla" / "cla_time_series_1994_2024.csv")
    printed = {int(r["time_period"]): int(r["number"]) for r in rows
               if r["population_count"] == "Children looked after at 31 March"}
    series = load("children-looked-after", "england-series", data_dir=ROOT / "data")
    ours = series[series["measure"] == "looked_after_at_31_march"].set_index("year")["number"].to_dict()
    assert ours == printed
    assert ours[2015] == 69460  # the figure the brief quotes for 31 March 2015


def test_england_referrals_2015_16_is_the_publishers_national_row():
    rows = _publisher_rows(SOURCES / "dfe-cin" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    printed = next(int(r["referral_count"]) for r in rows
                   if r["geographic_level"] == "National" and r["time_period"] == "2016")
    referrals = load("children-in-need", "referrals", data_dir=ROOT / "data")
    england = referrals[(referrals["geographic_level"] == "National") & (referrals["year"] == 2016)]
    assert int(england["referral_count"].iloc[0]) == printed == 621470
