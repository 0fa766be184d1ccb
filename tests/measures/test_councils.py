"""Council explorer measures: tiny frames for the rules, and three councils' figures recomputed from the CSVs."""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd
import pytest

from report.data import load
from report.measures import council_series, councils, money
from tests.conftest import ROOT

# A unitary council, a London borough run by no trust, a council created in 2023 from a split county.
CHOSEN = ("805", "202", "942")


@cache
def read_csv(package: str, resource: str) -> tuple[dict, ...]:
    with open(ROOT / "data" / package / f"{resource}.csv", newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def frames() -> dict[str, pd.DataFrame]:
    refs = {"la_rates": "children-looked-after/la-rates", "referrals": "children-in-need/referrals",
            "protection": "children-in-need/child-protection", "caseload": "send/caseload",
            "lait": "spending/lait-spending", "authorities": "local-authorities/local-authorities"}
    return {name: load(*ref.split("/"), data_dir=ROOT / "data") for name, ref in refs.items()}


@cache
def figures() -> pd.DataFrame:
    f = frames()
    return councils.key_figures(f["la_rates"], f["referrals"], f["protection"], f["caseload"], f["lait"],
                                f["authorities"])


def figure(code: str, key: str) -> dict:
    rows = figures()
    return rows[(rows["la_code_old"] == code) & (rows["key"] == key)].iloc[0].to_dict()


def region_of(code: str) -> str:
    rows = read_csv("local-authorities", "local-authorities")
    return next(r["region_code"] for r in rows if r["la_code_old"] == code)


def value(rows, field: str, level: str, code: str, year: int, **match) -> float:
    """One value from CSV rows: a council by number, a region or England by area code."""
    key = "la_code_old" if level == "Local authority" else "area_code"
    found = [r for r in rows if r["geographic_level"] == level and r[key] == code and int(r["year"]) == year
             and all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (field, level, code, year, match)
    return float(found[0][field])


def areas(code: str) -> list[tuple[str, str, str]]:
    return [("council", "Local authority", code), ("region", "Regional", region_of(code)),
            ("england", "National", councils.ENGLAND)]


def latest(rows) -> int:
    return max(int(r["year"]) for r in rows if r["geographic_level"] == "National")


def test_one_council_per_current_row_of_the_reference_list_with_unique_page_names():
    current = [r for r in read_csv("local-authorities", "local-authorities") if r["status"] == "current"]
    table = councils.councils(frames()["authorities"])
    assert sorted(table["la_code_old"]) == sorted(r["la_code_old"] for r in current)
    assert table["slug"].is_unique and councils.slug("Bristol, City of") == "bristol-city-of"


@pytest.mark.parametrize("code", CHOSEN)
def test_looked_after_referrals_and_protection_equal_the_csvs(code):
    rates = [r for r in read_csv("children-looked-after", "la-rates") if r["measure"] == "looked_after_at_31_march"]
    year = latest(rates)
    for area, level, where in areas(code):
        people = value(rates, "population_under_18", level, where, year, measure="looked_after_at_31_march")
        assert figure(code, "looked_after")[area] == value(rates, "number", level, where, year)
        assert figure(code, "looked_after_rate")[area] == value(rates, "rate_per_10000", level, where, year)
        for key, resource, field in (("referrals", "referrals", "referral_count"),
                                     ("protection", "child-protection", "cpp_at31")):
            rows = read_csv("children-in-need", resource)
            count = value(rows, field, level, where, latest(rows))
            assert figure(code, key)[area] == count
            assert figure(code, f"{key}_rate")[area] == pytest.approx(count / people * 10_000)


@pytest.mark.parametrize("code", CHOSEN)
def test_ehc_plans_and_spending_per_child_equal_the_csvs(code):
    caseload = read_csv("send", "caseload")
    lait = read_csv("spending", "lait-spending")
    rates = [r for r in read_csv("children-looked-after", "la-rates") if r["measure"] == "looked_after_at_31_march"]
    year = min(latest(lait), latest(rates))
    blocks = ("looked_after_total", "safeguarding_total", "family_support_total", "other_children_families_services")
    for area, level, where in areas(code):
        assert figure(code, "ehc_plans")[area] == value(caseload, "ehc_plans", level, where, latest(caseload),
                                                        age_band="Total")
        spent = sum(value(lait, "value", level, where, year, measure=b) for b in blocks)
        people = value(rates, "population_under_18", level, where, year)
        assert figure(code, "spending_per_child")[area] == pytest.approx(spent / people)
    assert figure(code, "spending_per_child")["period"] == f"{year - 1}-{year % 100:02d}"


def test_beside_takes_englands_latest_year_and_leaves_a_missing_council_missing():
    frame = pd.DataFrame({
        "geographic_level": ["National", "National", "Regional", "Local authority", "Local authority"],
        "area_code": ["E92000001", "E92000001", "E12000001", "E06000001", "E06000002"],
        "la_code_old": [None, None, None, "1", "2"], "year": [2024, 2025, 2025, 2025, 2024],
        "n": [10.0, 20.0, 5.0, 2.0, 9.0]})
    authorities = pd.DataFrame({"la_code_old": ["1", "2"], "la_name": ["A", "B"], "region_code": ["E12000001"] * 2,
                                "region_name": ["North East"] * 2, "status": ["current", "current"],
                                "successors": [None, None]})
    out = councils.beside(frame, authorities, "n").set_index("la_code_old")
    assert out.loc["1", ["year", "council", "region", "england"]].tolist() == [2025, 2.0, 5.0, 20.0]
    assert pd.isna(out.loc["2", "council"])


def test_formers_name_merged_and_split_councils_and_the_year_they_ended():
    authorities = load("local-authorities", "local-authorities", data_dir=ROOT / "data")
    assert [(f["la_name"], f["status"], f["until"]) for f in councils.former(authorities, "942")] == \
        [("Cumbria", "split", 2023)]
    bcp = councils.former(authorities, "839")
    assert sorted(f["la_code_old"] for f in bcp) == ["835", "836", "837"]
    assert councils.former(authorities, "805") == []
    assert councils.council(authorities, "940")["predecessors"] == ["928"]
    with pytest.raises(KeyError, match="no current council numbered '928'"):
        councils.council(authorities, "928")


def test_care_rates_show_a_predecessor_under_its_own_name_never_added():
    f = frames()
    authorities = f["authorities"]
    rates = council_series.care_rates(f["la_rates"], authorities, ["942"])
    assert set(rates["code"]) == {"942"}
    assert set(rates["kind"]) == {"council", "region", "england", "former"}
    cumbria = rates[rates["kind"] == "former"]
    assert set(cumbria["area"]) == {"Cumbria (to 2023)"} and cumbria["year"].max() == 2023
    own = rates[rates["kind"] == "council"]
    assert own["year"].min() == 2024


def test_delivery_says_yes_formerly_or_no():
    f = {name: load(*ref.split("/"), data_dir=ROOT / "data") for name, ref in {
        "organisations": "delivery-models/organisations", "served": "delivery-models/organisation-las",
        "authorities": "local-authorities/local-authorities"}.items()}
    links = councils.delivery(f["organisations"], f["served"], f["authorities"])
    assert councils.delivery_status(links["940"]) == "Yes"  # through Northamptonshire's trust
    assert [link["own"] for link in links["940"]] == [False, True]
    assert councils.delivery_status(links["371"]) == "Formerly"  # Doncaster's trust ended in 2022
    assert councils.delivery_status(links["805"]) == "No" and links["805"] == []


def test_placements_latest_shares_are_the_published_counts_over_the_total():
    placements = load("placements", "placement-provider", data_dir=ROOT / "data")
    authorities = frames()["authorities"]
    shares = council_series.placements_latest(placements, authorities, ["805"])
    rows = [r for r in read_csv("placements", "placement-provider") if r["la_code_old"] == "805"]
    year = max(int(r["year"]) for r in rows)
    counts = {r["provider"]: r["number"] for r in rows if int(r["year"]) == year}
    private = shares.set_index("provider").loc["private"]
    assert int(private["year"]) == year
    assert private["share"] == pytest.approx(float(counts["private"]) / float(counts["total"]) * 100)
    scilly = council_series.placements_latest(placements, authorities, ["420"])
    assert scilly.empty


def test_council_spending_blocks_use_the_councils_own_rows_only():
    spending = {name: load(*ref.split("/"), data_dir=ROOT / "data") for name, ref in {
        "outturn": "spending/s251-outturn", "lines": "spending/s251-lines", "lait": "spending/lait-spending",
        "deflators": "deflators/gdp-deflator"}.items()}
    blocks = council_series.spending_blocks(*spending.values(), frames()["authorities"], ["805"])
    lait = [r for r in read_csv("spending", "lait-spending") if r["la_code_old"] == "805"
            and r["measure"] == "safeguarding_total" and r["year"] == "2025"]
    got = blocks[(blocks["year"] == 2025) & (blocks["block"] == "safeguarding")]["cash"]
    assert got.tolist() == [float(lait[0]["value"])]
    assert set(blocks["year"]) & {2015, 2016} == set()
    assert money.missing_years(blocks["year"]) == [2015, 2016]


@pytest.mark.parametrize("code", CHOSEN)
def test_series_for_every_council_at_once_equal_those_for_one_council(code):
    f = frames()
    authorities = f["authorities"]
    placements = load("placements", "placement-provider", data_dir=ROOT / "data")
    for every, one in [(council_series.care_rates(f["la_rates"], authorities),
                        council_series.care_rates(f["la_rates"], authorities, [code])),
                       (council_series.placements_latest(placements, authorities),
                        council_series.placements_latest(placements, authorities, [code]))]:
        mine = every[every["code"] == code].reset_index(drop=True)
        assert not mine.empty
        pd.testing.assert_frame_equal(mine, one, check_dtype=False)


def test_a_suppressed_placement_count_on_a_council_page_is_missing_not_zero():
    """Birmingham's own-provision count for its latest year is suppressed ("c") in the CSV: its page must
    show it as not published, not as "Council's own 0%"."""
    raw = pd.read_csv(ROOT / "data" / "placements" / "placement-provider.csv", dtype=str)
    rows = raw[(raw["la_code_old"] == "330") & (raw["provider"] == "own_la")]
    latest = rows[rows["year"] == rows["year"].max()]
    assert latest["number"].iloc[0] == "c"
    data = council_series.placements_latest(load("placements", "placement-provider"),
                                            load("local-authorities", "local-authorities"), ["330"])
    own = data[data["provider"] == "own_la"]
    assert own["number"].isna().all() and own["share"].isna().all()
