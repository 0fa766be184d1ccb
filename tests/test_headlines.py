"""The four headline figures, recomputed here from the package CSVs with plain pandas, and a tiny fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from report.headlines import PUBLISHED, Headlines, headline_figures, inspections_headline, then_and_now
from tests.conftest import ROOT

DATA = ROOT / "data"
WEAK = {"Requires improvement", "Inadequate"}
WHOLE_SERVICE = {"SIF", "SIF re-inspection", "ILACS standard", "ILACS short"}


def csv(package: str, resource: str) -> pd.DataFrame:
    return pd.read_csv(DATA / package / f"{resource}.csv", dtype={"la_code_old": str}, na_values=["", "-"],
                       keep_default_na=False, low_memory=False)


def change(old: float, new: float) -> float:
    return (new - old) / old * 100


@pytest.fixture(scope="module")
def heads() -> Headlines:
    return headline_figures(data_dir=DATA)


def test_inspections_share_is_first_sif_inspections_published_by_march_2016(heads):
    frame = csv("ofsted-inspections", "inspections")
    sif = frame[frame["framework"] == "SIF"].sort_values("publication_date").drop_duplicates("la_code_old")
    then = sif[sif["publication_date"] <= "2016-03-31"]
    weak = then["overall_effectiveness"].isin(WEAK).sum()
    assert heads.inspections.recomputed_from == (weak, len(then))
    assert heads.inspections.recomputed == pytest.approx(weak / len(then) * 100)


def test_inspections_latest_is_each_current_councils_latest_grade(heads):
    frame = csv("ofsted-inspections", "inspections")
    graded = frame[frame["overall_effectiveness"].notna() & frame["framework"].isin(WHOLE_SERVICE)]
    graded = graded.sort_values("publication_date")
    latest = graded.drop_duplicates("la_code_old", keep="last")
    authorities = csv("local-authorities", "local-authorities")
    current_codes = authorities.loc[authorities["status"] == "current", "la_code_old"]
    current = latest[latest["la_code_old"].isin(current_codes)]
    weak = current["overall_effectiveness"].isin(WEAK).sum()
    assert heads.inspections.latest_from == (weak, len(current))
    assert heads.inspections.latest == pytest.approx(weak / len(current) * 100)


def test_referrals_change_over_the_years_the_files_cover(heads):
    frame = csv("children-in-need", "referrals")
    england = frame[frame["geographic_level"] == "National"].set_index("year")["referral_count"].astype(int)
    first, last = england.index.min(), england.index.max()
    assert heads.referrals.recomputed == pytest.approx(change(england[first], england[2015]))
    assert heads.referrals.latest == pytest.approx(change(england[first], england[last]))
    assert heads.referrals.recomputed_period.startswith(f"{first - 1}-")


def test_children_in_care_from_the_time_series_and_the_latest_release(heads):
    series = csv("children-looked-after", "england-series")
    in_care = series[series["measure"] == "looked_after_at_31_march"].set_index("year")["number"].astype(int)
    rates = csv("children-looked-after", "la-rates")
    england = rates[(rates["geographic_level"] == "National") & (rates["measure"] == "looked_after_at_31_march")]
    latest = england.loc[england["year"].idxmax()]
    in_care = england.set_index("year")["number"].astype(int).combine_first(in_care)  # latest release per year
    assert heads.children_in_care.recomputed == pytest.approx(change(in_care[2008], in_care[2015]))
    assert heads.children_in_care.latest == pytest.approx(change(in_care[2008], int(latest["number"])))
    assert heads.children_in_care.latest_end == str(latest["year"])


def test_spending_real_change_from_summed_s251_rows_and_lait_england_rows(heads):
    outturn, lines = csv("spending", "s251-outturn"), csv("spending", "s251-lines")
    marked = lines[lines["social_care_block"].notna()][["year", "line"]]
    s251 = outturn.merge(marked, on=["year", "line"]).groupby("year")["total_expenditure"].sum()
    lait = csv("spending", "lait-spending")
    blocks = ["looked_after_total", "safeguarding_total", "family_support_total",
              "other_children_families_services"]
    england = lait[(lait["geographic_level"] == "National") & lait["measure"].isin(blocks)]
    later = england.groupby("year")["value"].sum()
    cash = pd.concat([s251, later])
    deflator = csv("deflators", "gdp-deflator").set_index("year")["gdp_deflator"]
    real = cash * 100 / deflator[cash.index]
    assert 2015 not in cash.index and 2016 not in cash.index
    assert heads.spending.recomputed == pytest.approx(change(real[2012], real[2014]))
    assert heads.spending.recomputed_cash == pytest.approx(change(cash[2012], cash[2014]))
    assert heads.spending.latest == pytest.approx(change(real[2012], real[cash.index.max()]))
    assert "2014-15 and 2015-16" in heads.spending.caveat


def test_published_figures_are_the_2016_reports_and_the_table_shows_them(heads):
    table = then_and_now(heads)
    assert list(table.columns) == ["Claim", "2016 report", "Same measure, recomputed", "Latest"]
    assert len(table) == 4
    assert table.loc[1, "2016 report"].startswith("+22%")
    assert table.loc[3, "2016 report"].startswith("−18%")
    assert table.loc[0, "2016 report"].startswith("about three quarters")
    assert all(h.source == "vibert2016" for h in heads)
    assert [h.published for h in heads] == [value for value, _ in PUBLISHED.values()]


def test_inspections_take_each_councils_first_sif_and_stop_at_the_cutoff():
    day = pd.Timestamp
    inspections = pd.DataFrame({
        "la_code_old": ["1", "1", "2", "3", "4"],
        "framework": ["SIF", "SIF", "SIF", "SIF", "ILACS standard"],
        "publication_date": [day("2014-05-01"), day("2015-01-01"), day("2016-03-31"), day("2016-04-01"),
                             day("2019-01-01")],
        "overall_effectiveness": ["Inadequate", "Good", "Good", "Inadequate", "Requires improvement"],
    })
    authorities = pd.DataFrame({"la_code_old": ["1", "2", "3", "4"], "la_name": list("ABCD"),
                                "region_name": ["R"] * 4, "status": ["current"] * 3 + ["merged"]})
    result = inspections_headline(inspections, authorities)
    assert result.recomputed_from == (1, 2)
    assert result.latest_from == (1, 3)  # 1 Good (its later SIF), 2 Good, 3 Inadequate; 4 is not current
