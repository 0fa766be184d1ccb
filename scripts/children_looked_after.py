"""Build the `children-looked-after` package from DfE's children looked after files.

Usage: python scripts/children_looked_after.py cla_time_series_1994_2024.csv \
    cla_number_and_rate_per_10k_children__release20*.csv 20??_SFR*.csv \
    lait_csc_send_finance_subset_2016_2025.csv --out data/children-looked-after
"""

from __future__ import annotations

import csv
import re
import sys

import pandas as pd

from _common import (EES_GEOGRAPHY, check_ees, classify_inputs, fill, la_foreign_key, load_meta, meta_resource,
                     parse_args, read_publisher_csv, require, to_number, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
# Titles, descriptions, fields and sources: children_looked_after.meta.yml.
META = load_meta(__file__, required=("package.sources", "rate_markers", "rate_sources.sfr", "rate_sources.ees",
                                     "rate_sources.lait", "sfr_titles.to_2014", "sfr_titles.from_2015",
                                     "resources.england-series.fields", "resources.la-rates.fields"))
INPUTS = {
    "time_series": "cla_time_series_1994_*.csv",
    "rates": "cla_number_and_rate_per_10k_children__release*.csv",
    "sfr": "20??_SFR*.csv",
    "lait": "lait_csc_send_finance_subset_*.csv",
}
SOURCES = [
    "dfe-cla/cla_time_series_1994_2024.csv",
    *[f"dfe-cla/ees_2019_2025/cla_number_and_rate_per_10k_children__release{y}.csv"
      for y in (2023, 2024, 2025)],
    *[f"dfe-cla/la_underlying_2010_2017/{name}" for name in (
        "2010_SFR27_2010_March.csv", "2011_SFR21_CLA.csv", "2012_SFR20_CLA2012.csv",
        "2013_SFR36_CLA2013.csv", "2014_SFR36_CLA2014.csv", "2015_SFR34_CLA2015.csv",
        "2016_SFR41_CLA2016.csv", "2017_SFR50_CLA2017.csv")],
    "lait/lait_csc_send_finance_subset_2016_2025.csv",
]

TIME_SERIES_HEADER = EES_GEOGRAPHY + ["population_count", "number"]
MEASURES = {
    "Children looked after at 31 March": "looked_after_at_31_march",
    "Children starting to be looked after during the year": "started",
    "Children ceasing to be looked after during the year": "ceased",
    "Children looked after who were adopted during the year": "adopted",
    "Children looked after at 31 March who were unaccompanied asylum-seeking children": "uasc_at_31_march",
}


def england_series(path) -> pd.DataFrame:
    """The national time series, one row per year and measure, as the publisher prints it."""
    # Load
    raw = read_publisher_csv(path, TIME_SERIES_HEADER)
    # Check
    check_ees(raw, path, ["National"])
    unknown = set(raw["population_count"]) - set(MEASURES)
    require(not unknown, path, f"unknown population_count values {sorted(unknown)}")
    # Tidy
    return pd.DataFrame({
        "year": raw["time_period"].astype(int),
        "measure": raw["population_count"].map(MEASURES),
        "number": to_number(raw["number"], markers=("x",)).astype("Int64").astype("string")
        .fillna("x"),
    })


# LA rates: EES releases 2019-2025, LAIT for 2016-2018, SFR underlying files for 2010-2015.
# `rank` orders the sources, latest vintage highest: EES 3xx > LAIT 200 > SFR 1xx.

RATES_GEOGRAPHY = EES_GEOGRAPHY + ["region_code", "region_name", "old_la_code", "la_name", "new_la_code"]
RATES_HEADERS = [  # the 2025 release renames population_count and number
    RATES_GEOGRAPHY + ["population_type", "population_estimate", "children_count", "rate_per_10000"],
    RATES_GEOGRAPHY + ["population_count", "population_estimate", "number", "rate_per_10000"],
]
RATE_MEASURES = {
    "Children looked after at 31 March each year": "looked_after_at_31_march",
    "Children looked after on 31 March each year": "looked_after_at_31_march",
    "Children starting to be looked after each year": "started",
    "Children ceasing to be looked after each year": "ceased",
}
SFR_GEOGRAPHY = ["geog_l", "geog_c", "geog_n"]
SFR_LEVELS = {"National": "National", "NATIONAL": "National", "GOR": "Regional", "REGION": "Regional"}
LAIT_COLUMNS = ["measure_short", "year", "area", "value", "old_la_code", "region"]
LAIT_MEASURES = {"LACnum": ("looked_after_at_31_march", "number"),
                 "LAC": ("looked_after_at_31_march", "rate_per_10000"),
                 "LACnum_Start": ("started", "number"), "LACceased": ("ceased", "number")}
LAIT_RELEASE = "LAIT April 2026"
LAIT_NAMES = {"england": "england", "london (inner)": "inner london", "london (outer)": "outer london"}
ENGLAND = "E92000001"
RATE_COLUMNS = ["geographic_level", "area_code", "area_name", "la_code_old", "la_code", "year",
                "measure", "number", "rate_per_10000", "population_under_18", "release"]
RATE_MARKERS = ("", "c", "x", "z", "-")


def read_one_of(path, headers: list[list[str]]) -> pd.DataFrame:
    """Read a file whose header is one of the publisher's known layouts (newest first)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header = [h.strip() for h in next(csv.reader(handle), [])]
    expected = next((h for h in headers if h == header), headers[0])
    return read_publisher_csv(path, expected)


def ees_rates(path) -> pd.DataFrame:
    """One EES release: number, rate and population per area, year and measure."""
    raw = read_one_of(path, RATES_HEADERS)
    raw = raw.rename(columns={"population_type": "population_count", "children_count": "number"})
    unknown = set(raw["population_count"]) - set(RATE_MEASURES)
    require(not unknown, path, f"unknown population_count values {sorted(unknown)}")
    release = re.search(r"release(\d{4})", path.name)
    require(release is not None, path, "no release year in the file name")
    level = raw["geographic_level"]
    check_ees(raw, path)
    area = lambda national, regional, la: raw[national].where(  # noqa: E731
        level == "National", raw[regional].where(level == "Regional", raw[la]))
    return pd.DataFrame({
        "geographic_level": level, "area_code": area("country_code", "region_code", "new_la_code"),
        "area_name": area("country_name", "region_name", "la_name"),
        "la_code_old": raw["old_la_code"], "la_code": raw["new_la_code"],
        "year": raw["time_period"].astype(int), "measure": raw["population_count"].map(RATE_MEASURES),
        "number": raw["number"], "rate_per_10000": raw["rate_per_10000"],
        "population_under_18": raw["population_estimate"],
        "release": f"{release.group(1)} EES release", "rank": 300 + int(release.group(1)) - 2000})


def sfr_counts(path) -> pd.DataFrame:
    """One SFR underlying-data file (2010-2017): looked after at 31 March; 2010 also the population."""
    name = re.match(r"(\d{4})_SFR(\d+)", path.name)
    require(name is not None, path, "file name does not say the year and SFR number")
    year = int(name.group(1))
    number, population = ("MarTotal_2010", "Mid2009Pop0-17") if year == 2010 else (f"CLA_Mar{year}", None)
    raw = read_publisher_csv(path, SFR_GEOGRAPHY + [number] + ([population] if population else []),
                             exact=False)
    level = raw["geog_l"].str.strip().map(SFR_LEVELS).fillna("Local authority")
    is_la = level == "Local authority"
    require(raw.loc[is_la, "geog_c"].str.fullmatch(r"\d{3}").all(), path, "LA rows without a DfE number")
    return pd.DataFrame({
        "geographic_level": level, "area_code": "", "area_name": raw["geog_n"].str.strip(),
        "la_code_old": raw["geog_c"].where(is_la, ""), "la_code": "", "year": year,
        "measure": "looked_after_at_31_march", "number": raw[number].str.strip(), "rate_per_10000": "",
        "population_under_18": raw[population] if population else "",
        "release": f"SFR{name.group(2)}/{year}", "rank": 100 + year - 2000})


def lait_counts(path) -> pd.DataFrame:
    """LAIT (2016-2025): numbers looked after, starting and ceasing, and the rate at 31 March."""
    raw = read_publisher_csv(path, LAIT_COLUMNS, exact=False)
    raw = raw[raw["measure_short"].isin(LAIT_MEASURES)]
    require(set(raw["measure_short"]) == set(LAIT_MEASURES), path, f"missing measures {LAIT_MEASURES}")
    require(raw["year"].str.fullmatch(r"\d{4}").all(), path, "period labels are not plain years")
    number = pd.to_numeric(raw["old_la_code"], errors="raise").astype(int)
    raw = raw.assign(measure=raw["measure_short"].map(lambda m: LAIT_MEASURES[m][0]),
                     column=raw["measure_short"].map(lambda m: LAIT_MEASURES[m][1]),
                     la_code_old=number.astype(str))
    wide = raw.pivot_table(index=["la_code_old", "area", "year", "measure"], columns="column",
                           values="value", aggfunc="first").reset_index()
    code = wide["la_code_old"].astype(int)
    level = pd.Series("Local authority", index=wide.index).mask(code >= 980, "Regional").mask(
        code == 970, "National")
    return pd.DataFrame({
        "geographic_level": level, "area_code": "", "area_name": wide["area"],
        "la_code_old": wide["la_code_old"].where(level == "Local authority", ""), "la_code": "",
        "year": wide["year"].astype(int), "measure": wide["measure"], "number": wide["number"],
        "rate_per_10000": wide.get("rate_per_10000", "").fillna(""), "population_under_18": "",
        "release": LAIT_RELEASE, "rank": 200})


def name_key(name: str) -> str:
    """Region names as SFR and LAIT spell them -> one key ("NORTH EAST", "London (Inner)")."""
    key = " ".join(str(name).lower().split())
    return LAIT_NAMES.get(key, key)


def harmonise(rows: pd.DataFrame, path) -> pd.DataFrame:
    """Codes and names from the latest EES release for every area, so one area has one key."""
    ees = rows[rows["release"].str.endswith("EES release")].sort_values(
        ["rank", "year"], ascending=False, kind="stable")
    la = ees[ees["geographic_level"] == "Local authority"].drop_duplicates("la_code_old")
    la = la.set_index("la_code_old")
    areas = ees[ees["geographic_level"] != "Local authority"].drop_duplicates("area_code")
    by_name = dict(zip(areas["area_name"].map(name_key), areas["area_code"]))
    names = dict(zip(areas["area_code"], areas["area_name"]))
    is_la = rows["geographic_level"] == "Local authority"
    unknown = set(rows.loc[is_la, "la_code_old"]) - set(la.index)
    require(not unknown, path, f"LA numbers {sorted(unknown)} are in no EES release")
    uncoded = ~is_la & (rows["area_code"] == "")
    missing_area = set(rows.loc[uncoded, "area_name"].map(name_key)) - set(by_name)
    require(not missing_area, path, f"areas {sorted(missing_area)} are in no EES release")
    code = rows["area_code"].mask(uncoded, rows["area_name"].map(name_key).map(by_name))
    rows = rows.assign(
        la_code=rows["la_code_old"].map(la["la_code"]).where(is_la, ""),
        area_code=rows["la_code_old"].map(la["la_code"]).where(is_la, code))
    return rows.assign(area_name=rows["la_code_old"].map(la["area_name"]).where(
        is_la, rows["area_code"].map(names)))


def la_rates(rates, sfr, lait) -> pd.DataFrame:
    """One row per area, year and measure from the latest release that has it; no-data rows dropped."""
    rows = pd.concat([*map(ees_rates, rates), *map(sfr_counts, sfr), *map(lait_counts, lait)],
                     ignore_index=True)
    rows = harmonise(rows, rates[-1])
    rows = rows.sort_values("rank", ascending=False, kind="stable")
    rows = rows.drop_duplicates(["area_code", "year", "measure"])
    values = rows[["number", "rate_per_10000", "population_under_18"]].astype("string").fillna("")
    empty = values.apply(lambda c: c.str.strip().isin(RATE_MARKERS)).all(axis=1)
    return rows.loc[~empty, RATE_COLUMNS]


def sfr_title(year: int) -> str:
    """The SFR's title: the older series name up to 2014, the newer one from 2015."""
    return fill(META["sfr_titles"]["from_2015" if year >= 2015 else "to_2014"], year=year, previous=year - 1)


def rate_sources(releases: list[str]) -> list[dict]:
    """A `sources` entry for every release that contributes rows to la-rates."""
    sources = []
    for release in sorted(releases, key=lambda r: (not r.startswith("SFR"), r[-4:], r)):
        if release.startswith("SFR"):
            sources.append(fill(META["rate_sources"]["sfr"], sfr_title=sfr_title(int(release[-4:])),
                                release=release))
        else:
            kind = "ees" if release.endswith("EES release") else "lait"
            sources.append(fill(META["rate_sources"][kind], release=release))
    return sources


def descriptor(release_year: int, releases: list[str]) -> dict:
    """The package's descriptor: its metadata from children_looked_after.meta.yml, releases from the data."""
    package = fill(META["package"], release_year=release_year)
    resources = {"resources": fill(META["resources"], rate_markers=META["rate_markers"])}
    return {**package, "sources": [*package["sources"], *rate_sources(releases)], "resources": [
        meta_resource(resources, "england-series", enums={"measure": sorted(MEASURES.values())}),
        meta_resource(resources, "la-rates", missing=RATE_MARKERS, foreign_keys=[la_foreign_key()])]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    # Load, Check, Tidy (each reader checks its file's header)
    series = england_series(inputs["time_series"][-1])
    rates = la_rates(inputs["rates"], inputs["sfr"], inputs["lait"])
    # Write
    write_package(args.out, descriptor(int(series["year"].max()), sorted(set(rates["release"]))),
                  {"england-series": series, "la-rates": rates})


if __name__ == "__main__":
    main(sys.argv[1:])
