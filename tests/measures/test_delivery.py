"""Delivery-model measures: timelines, councils served and grades either side of the hand-over."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import pandas as pd
import pytest

from report.data import load
from report.measures import delivery
from tests.conftest import ROOT

D = pd.Timestamp


def organisations(*records) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["organisation_id", "name", "trigger", "status",
                                            "operational_from", "ended_date", "ownership"])
    return frame.assign(operational_from=pd.to_datetime(frame["operational_from"]),
                        ended_date=pd.to_datetime(frame["ended_date"]))


def served(*records) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["organisation_id", "la_code_old", "area_name", "from_date",
                                            "to_date"])
    return frame.assign(from_date=pd.to_datetime(frame["from_date"]),
                        to_date=pd.to_datetime(frame["to_date"]))


def inspections(*records) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=["la_code_old", "framework", "inspection_date", "publication_date",
                                            "overall_effectiveness", "safeguarding"])
    return frame.assign(inspection_date=pd.to_datetime(frame["inspection_date"]),
                        publication_date=pd.to_datetime(frame["publication_date"]))


def authorities(*records) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["la_code_old", "status", "successors"])


ORGS = organisations(
    ("a", "A Trust", "statutory_direction", "ended", "2014-10-01", "2022-09-01", "independent"),
    ("b", "B Company", "voluntary", "operating", "2020-11-01", None, "council_owned"))


def test_timeline_ends_running_organisations_at_the_given_date():
    rows = delivery.timeline(ORGS, served(("a", "1", "One", "2014-10-01", "2022-09-01"),
                                          ("b", "2", "Two", "2020-11-01", None)), "2025-01-01")
    by_id = rows.set_index("organisation_id")
    assert by_id.loc["a", "end"] == D("2022-09-01") and not by_id.loc["a", "running"]
    assert by_id.loc["b", "end"] == D("2025-01-01") and by_id.loc["b", "running"]
    assert by_id.loc["a", "why"] == delivery.TRIGGERS["statutory_direction"]
    assert by_id.loc["a", "councils"] == "One"


def test_unknown_trigger_is_a_clear_error():
    bad = ORGS.assign(trigger=["statutory_direction", "whim"])
    with pytest.raises(ValueError, match="whim"):
        delivery.timeline(bad, served(), "2025-01-01")


def test_councils_served_counts_the_arrangements_live_on_a_day():
    links = served(("a", "1", "One", "2014-10-01", "2022-09-01"), ("b", "2", "Two", "2020-11-01", None),
                   ("b", "3", "Three", "2021-04-01", None))
    assert delivery.councils_served(links, "2021-01-01") == 2
    assert delivery.councils_served(links, "2022-09-01") == 2
    assert delivery.councils_served(links, "2022-08-31") == 3


def test_ending_words():
    row = SimpleNamespace(status="ended", ended_date=D("2022-09-01"), name_note=None, ended_how=None)
    assert delivery.ending(row) == "returned Sep 2022"
    row = SimpleNamespace(status="converted", ended_date=None, name_note="from April 2021: X Ltd",
                          ended_how=float("nan"))
    assert delivery.ending(row) == "council-owned since 2021"
    assert delivery.ending(SimpleNamespace(status="operating")) == ""


def test_grades_either_side_of_the_hand_over():
    links = served(("a", "1", "One", "2014-10-01", "2022-09-01"),
                   ("b", "8", "Old", "2020-11-01", "2021-04-01"), ("b", "9", "New", "2021-04-01", None))
    las = authorities(("1", "current", None), ("8", "split", "9"), ("9", "current", None))
    checks = inspections(
        ("1", "CPI", None, "2012-11-01", "Inadequate", None),
        ("1", "SLAC", None, "2013-05-01", None, "Good"),
        ("1", "SIF", None, "2015-11-01", "Inadequate", None),
        ("1", "ILACS standard", "2022-02-01", "2022-04-01", "Requires improvement", None),
        ("1", "ILACS standard", "2025-01-01", "2025-03-01", "Good", None),
        ("8", "ILACS standard", "2019-06-01", "2019-07-01", "Inadequate", None),
        ("9", "ILACS standard", "2022-10-01", "2022-11-01", "Requires improvement", None))
    grades = delivery.grades_around_transfer(links, ORGS, checks, las).set_index("la_code_old")
    assert "8" not in grades.index
    one, new = grades.loc["1"], grades.loc["9"]
    assert (one["before"], one["before_framework"]) == ("Inadequate", "CPI")  # SLAC gives no overall grade
    assert (one["while_run"], one["inspections_while_run"], one["since_return"]) == (
        "Requires improvement", 2, "Good")
    assert (new["before"], new["while_run"], new["from_date"]) == ("Inadequate", "Requires improvement",
                                                                   D("2020-11-01"))
    assert (one["organisation"], one["trigger"], new["trigger"]) == ("A Trust", "statutory_direction", "voluntary")
    assert delivery.triggers(ORGS).to_dict() == {"statutory_direction": 1, "voluntary": 1}
    assert delivery.moved(grades) == {"better": 2, "same": 0, "worse": 0, "judged": 2, "not_yet": 0,
                                      "no_before": 0}
    assert delivery.reached(grades, ["Inadequate"], ["Good", "Outstanding"]) == (0, 2)


def test_sunderland_grades_recomputed_from_the_csvs():
    with open(ROOT / "data/delivery-models/organisation-las.csv", encoding="utf-8") as handle:
        link = next(r for r in csv.DictReader(handle) if r["la_code_old"] == "394")
    with open(ROOT / "data/ofsted-inspections/inspections.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle)
                if r["la_code_old"] == "394" and r["overall_effectiveness"] not in ("", "-")]
    before = max((r for r in rows if r["publication_date"] < link["from_date"]),
                 key=lambda r: r["publication_date"])
    during = max((r for r in rows if r["framework"].startswith(("SIF", "ILACS"))
                  and (r["inspection_date"] or r["publication_date"]) >= link["from_date"]),
                 key=lambda r: r["publication_date"])
    data = {name: load(*ref.split("/"), data_dir=ROOT / "data") for name, ref in {
        "served": "delivery-models/organisation-las", "organisations": "delivery-models/organisations",
        "inspections": "ofsted-inspections/inspections",
        "authorities": "local-authorities/local-authorities"}.items()}
    grades = delivery.grades_around_transfer(**data).set_index("la_code_old")
    assert grades.loc["394", "before"] == before["overall_effectiveness"]
    assert grades.loc["394", "while_run"] == during["overall_effectiveness"]


def test_readings_return_is_a_completed_event_in_the_package():
    """Reading's services came back in house on 1 October 2025: the package holds it as ended, not planned."""
    folder = ROOT / "data" / "delivery-models"
    orgs = pd.read_csv(folder / "organisations.csv", dtype=str).set_index("organisation_id")
    las = pd.read_csv(folder / "organisation-las.csv", dtype=str).set_index("organisation_id")
    assert orgs.loc["brighter-futures-for-children", "status"] == "ended"
    assert orgs.loc["brighter-futures-for-children", "ended_date"] == "2025-10-01"
    assert las.loc["brighter-futures-for-children", "to_date"] == "2025-10-01"
    assert "return_planned" not in set(orgs["status"])


def test_like_for_like_compares_councils_that_started_inadequate_and_counts_a_shared_inspection_once():
    day = pd.Timestamp("2019-01-01")
    handover = pd.DataFrame({
        "organisation": ["A", "B", "N", "N", "V"],
        "before": ["Inadequate", "Inadequate", "Inadequate", "Inadequate", "Good"],
        "before_date": [day, day, pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-01"), day],
        "while_run": ["Good", "Requires improvement", "Good", "Inadequate", "Outstanding"],
        "to_date": [pd.NaT, pd.Timestamp("2022-09-01"), pd.NaT, pd.NaT, pd.NaT]})
    in_house = pd.DataFrame({"latest": ["Good", "Inadequate", "Requires improvement"]})
    got = delivery.like_for_like(handover, in_house)
    assert (got["trust"], got["trust_ri"], got["trust_good"]) == (4, 3, 2)  # V never inadequate: left out
    assert (got["still"], got["still_good"]) == (3, 2)  # B handed back: not "now"
    assert (got["shared_before"], got["trust_inspections"]) == (2, 3)
    assert (got["in_house"], got["in_house_ri"], got["in_house_good"]) == (3, 2, 1)
