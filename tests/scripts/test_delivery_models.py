"""The delivery-models script: fails loudly on a changed header; counts agree with the figures the list cites."""

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import delivery_models  # noqa: E402

PACKAGE = ROOT / "data" / "delivery-models"


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(PACKAGE / f"{name}.csv", dtype=str, keep_default_na=False)


def test_changed_header_fails_loudly(tmp_path):
    bad = tmp_path / "childrens_services_trusts_england.csv"
    bad.write_text("name,local_authorities,start,ended\nX Trust,Leeds,2020-01-01,\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        delivery_models.main([str(bad), "--out", str(tmp_path / "out")])


def serving_on(day: str) -> pd.DataFrame:
    links = read("organisation-las")
    return links[(links["from_date"] <= day) & ((links["to_date"] == "") | (links["to_date"] > day))]


def test_community_care_counts_september_2024():
    """Community Care, 24 Sept 2024: nine such companies responsible for 12 LAs, 11 after Worcestershire."""
    now = serving_on("2024-09-24")
    assert now["organisation_id"].nunique() == 9 and len(now) == 12
    assert len(serving_on("2024-10-01")) == 11


def test_joiners_and_reorganisations():
    links = read("organisation-las").set_index(["organisation_id", "la_code_old"])
    assert links.loc[("achieving-for-children", "868"), "from_date"] == "2017-08-01"
    assert links.loc[("achieving-for-children", "314"), "from_date"] == "2014-04-01"
    assert links.loc[("northamptonshire-childrens-trust", "928"), "to_date"] == "2021-04-01"
    for successor in ("940", "941"):
        assert links.loc[("northamptonshire-childrens-trust", successor), "from_date"] == "2021-04-01"
    organisations = read("organisations").set_index("organisation_id")
    assert len(organisations) == 10
    assert organisations.loc["brighter-futures-for-children", "operational_from_precision"] == "month"
    assert organisations.loc["doncaster-childrens-services-trust", "ended_date"] == "2022-09-01"
    assert organisations.loc["achieving-for-children", "trigger"] == "voluntary"


def test_licence_is_not_claimed_as_ogl():
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text())
    assert [lic["name"] for lic in descriptor["licenses"]] == ["notspecified"]
    assert all(source["path"].startswith("http") for source in descriptor["sources"])
