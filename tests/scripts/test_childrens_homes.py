"""The childrens-homes script: fails loudly on a changed header; counts agree with Ofsted's national totals."""

import csv
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import childrens_homes  # noqa: E402

PACKAGE = ROOT / "data" / "childrens-homes"
RAW = RAW_SOURCES / "ofsted-providers"


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(PACKAGE / f"{name}.csv", dtype=str, keep_default_na=False)


def national_files(tmp_path) -> list[str]:
    names = ["ofsted_national_providers_by_type_2012_2023.csv", "ofsted_national_places_by_type_2012_2023.csv"]
    for name in names:
        shutil.copy(RAW / name, tmp_path / name)
    return [str(tmp_path / name) for name in names]


@needs_sources
def test_changed_header_fails_loudly(tmp_path):
    bad = tmp_path / "provider_at_march_2021.csv"
    bad.write_text("Provider information,,,\nWeb link,URN,Provision type,Local authority\n"
                   "x,SC1,Children's home,Leeds\n", encoding="utf-8-sig")
    with pytest.raises(SystemExit, match="publisher header changed"):
        childrens_homes.main([str(bad), *national_files(tmp_path), "--out", str(tmp_path / "out")])


@needs_sources
def test_unknown_year_layout_fails_loudly(tmp_path):
    new = tmp_path / "provider_at_march_2026.csv"
    new.write_text("URN\n1\n")
    with pytest.raises(SystemExit, match="no layout known"):
        childrens_homes.main([str(new), *national_files(tmp_path), "--out", str(tmp_path / "out")])


def raw_rows(name: str, header_line: int) -> int:
    with open(RAW / name, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[header_line + 1:]
    return sum(1 for row in rows if row[1].strip())


def totals(year: int) -> pd.Series:
    table = read("providers-by-sector")
    return table[table["year"] == str(year)]


def national(year: int, kind: str) -> pd.Series:
    table = read("national-series")
    return table[(table["year"] == str(year)) & (table["provision_type"] == kind)].iloc[0]


@needs_sources
def test_2021_total_equals_rows_in_file_and_national_total():
    rows = totals(2021)
    assert set(rows["scope"]) == {"all_registered"}
    assert rows["providers"].astype(int).sum() == raw_rows("provider_at_march_2021.csv", 1) == 3402
    assert national(2021, "All")["providers"] == "3402"


def test_all_registered_years_match_ofsteds_childrens_homes_and_places():
    for year in (2018, 2021, 2022):
        homes = totals(year)
        homes = homes[homes["provision_type"] == "Children's home"]
        assert homes["providers"].astype(int).sum() == int(national(year, "Children's home")["providers"])
        assert homes["places"].astype(int).sum() == int(national(year, "Children's home")["places"])
    assert set(totals(2018)["source_file"]) == {"provider_at_march_2018_part2.csv"}
    assert totals(2018)["providers"].astype(int).sum() == 2941


def test_national_series_as_printed():
    assert national(2012, "Residential holiday scheme for disabled children")["providers"] == "-"
    assert national(2023, "All children's homes")["providers"] == "3119"
    assert national(2023, "All children's homes")["places"] == "13528"
    assert national(2015, "Children's home")["places"] == "9097"
    assert len(read("national-series")["year"].unique()) == 12


def test_by_la_adds_up_and_uses_known_las():
    by_la, by_sector = read("providers-by-la"), read("providers-by-sector")
    las = set(pd.read_csv(ROOT / "data" / "local-authorities" / "local-authorities.csv",
                          dtype=str)["la_code_old"])
    assert set(by_la["la_code_old"]) <= las
    la_sum = by_la.groupby("year")["providers"].apply(lambda s: s.astype(int).sum())
    sector_sum = by_sector.groupby("year")["providers"].apply(lambda s: s.astype(int).sum())
    assert (sector_sum - la_sum).to_dict() == {y: (4 if y == "2025" else 0) for y in sector_sum.index}
