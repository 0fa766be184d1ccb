"""Build the `local-authorities` package: every DfE LA number found in the publishers' files.

Usage: python scripts/local_authorities.py cla_number_and_rate_per_10k_children__release20*.csv \
    b1_children_in_need_2013_to_2025.csv sen2_age_caseload_2010_2022.csv \
    cla_placement_provider_and_type_by_la_2021_2025.csv 20??_SFR*.csv outturn_*.csv \
    lait_csc_send_finance_subset_2016_2025.csv d2i_ofsted_csc_ilacs_overview_latest.csv \
    --out data/local-authorities
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (PublisherFormatError, check_header, classify_inputs, fill, load_meta, meta_resource,
                     parse_args, read_publisher_csv, require, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
# Titles, descriptions, fields and sources: local_authorities.meta.yml.
META = load_meta(__file__, required=("package.name", "resources.local-authorities.fields"))
INPUTS = {
    "cla_rates": "cla_number_and_rate_per_10k_children__release*.csv",
    "cin": "b1_children_in_need_*.csv",
    "sen2": "sen2_*.csv",
    "placements": "cla_placement_provider_and_type_by_la_*.csv",
    "sfr": "20??_SFR*.csv",
    "s251": "outturn_*.csv",
    "lait": "lait_csc_send_finance_subset_*.csv",
    "ofsted": "d2i_ofsted_csc_ilacs_overview_*.csv",
}
SOURCES = [
    "dfe-cla/ees_2019_2025/cla_number_and_rate_per_10k_children__release2023.csv",
    "dfe-cla/ees_2019_2025/cla_number_and_rate_per_10k_children__release2024.csv",
    "dfe-cla/ees_2019_2025/cla_number_and_rate_per_10k_children__release2025.csv",
    "dfe-cin/b1_children_in_need_2013_to_2025.csv",
    "send-ehcp/sen2_age_caseload_2010_2022.csv",
    "send-ehcp/sen2_mi_2014_2022.csv",
    "placements-outsourcing/cla_placement_provider_and_type_by_la_2021_2025.csv",
    *[f"dfe-cla/la_underlying_2010_2017/{name}" for name in (
        "2010_SFR27_2010_March.csv", "2011_SFR21_CLA.csv", "2012_SFR20_CLA2012.csv",
        "2013_SFR36_CLA2013.csv", "2014_SFR36_CLA2014.csv", "2015_SFR34_CLA2015.csv",
        "2016_SFR41_CLA2016.csv", "2017_SFR50_CLA2017.csv")],
    *[f"la-spend/s251_outturn_2008_2014/outturn_{y}.csv" for y in
      ("0809", "0910", "1011", "1112", "1213", "1314")],
    "lait/lait_csc_send_finance_subset_2016_2025.csv",
    "ofsted-la/d2i_ofsted_csc_ilacs_overview_latest.csv",
]

EES_COLUMNS = ["time_period", "geographic_level", "region_code", "region_name", "old_la_code",
               "new_la_code", "la_name"]
PLACEMENT_COLUMNS = ["time_period", "geographic_level", "new_la_code", "old_la_code", "la_name"]
SFR_COLUMNS = ["geog_l", "geog_c", "geog_n"]
SFR_AREA_LEVELS = {"National", "GOR", "NATIONAL", "REGION"}   # every other row is an LA (2017 Scilly: "")
S251_HEADERS = [["LEA Number:", "LA Name:"], ["LEA", "LEA Name"], ["LA", "LA Name"]]
LAIT_COLUMNS = ["measure_short", "year", "area", "value", "old_la_code", "region"]
OFSTED_COLUMNS = ["la_code", "local_authority"]
LONDON = ("E12000007", "London")
REGIONS = ["North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West"]
SMALL_POPULATION = 5000

# Reorganisations: predecessor LA number -> (status, year the change took effect on 1 April,
# successors). From the sources README ("LA reorganisations") and the EES files' `z` markers; old
# Dorset's district of Christchurch went to Bournemouth, Christchurch and Poole.
REORGANISATIONS = {
    "820": ("split", 2009, ["822", "823"]),   # Bedfordshire -> Bedford, Central Bedfordshire
    "875": ("split", 2009, ["895", "896"]),   # Cheshire -> Cheshire East, Cheshire West and Chester
    "835": ("split", 2019, ["838", "839"]),   # Dorset (old) -> Dorset, BCP (Christchurch)
    "836": ("merged", 2019, ["839"]),         # Poole -> Bournemouth, Christchurch and Poole
    "837": ("merged", 2019, ["839"]),         # Bournemouth -> Bournemouth, Christchurch and Poole
    "928": ("split", 2021, ["940", "941"]),   # Northamptonshire -> North, West Northamptonshire
    "909": ("split", 2023, ["942", "943"]),   # Cumbria -> Cumberland, Westmorland and Furness
}
STATUSES = ["current", "merged", "split"]


def la_rows(frame: pd.DataFrame, source: str, rank: int) -> pd.DataFrame:
    """One sighting per file row: LA number, GSS code, name, region, year, and how much to trust it."""
    out = pd.DataFrame({
        "la_code_old": frame["la_code_old"].str.strip(),
        "la_code": frame.get("la_code", pd.Series("", index=frame.index)).str.strip(),
        "la_name": frame["la_name"].str.strip(),
        "region_code": frame.get("region_code", pd.Series("", index=frame.index)).str.strip(),
        "region_name": frame.get("region_name", pd.Series("", index=frame.index)).str.strip(),
        "year": pd.to_numeric(frame.get("year", pd.Series("", index=frame.index)), errors="coerce"),
        "population": frame.get("population", pd.Series("", index=frame.index)),
        "source": source, "rank": rank,
    })
    bad = out[~out["la_code_old"].str.fullmatch(r"\d{3}")]
    if len(bad):
        raise PublisherFormatError(f"{source}: LA number {bad['la_code_old'].iloc[0]!r} is not 3 digits")
    return out


def ees_file(path, rank: int, columns=EES_COLUMNS) -> pd.DataFrame:
    """An EES-layout file: LA rows with number, GSS code, EES name and region per year."""
    raw = read_publisher_csv(path, columns, exact=False)
    raw = raw[raw["geographic_level"] == "Local authority"]
    require(len(raw) > 0, path, "no 'Local authority' rows")
    frame = raw.rename(columns={"old_la_code": "la_code_old", "new_la_code": "la_code",
                                "time_period": "year"})
    if "population_estimate" in raw:
        frame["population"] = raw["population_estimate"]
    if "region_code" not in frame:   # the placements file gives London sub-regions only by name
        frame = frame.assign(region_code="", region_name="")
    return la_rows(frame, path.name, rank)


def sfr_file(path) -> pd.DataFrame:
    """An SFR underlying-data file, 2010-2017: LA number, ONS code (2011 on) and name."""
    raw = read_publisher_csv(path, SFR_COLUMNS, exact=False)
    raw = raw[~raw["geog_l"].str.strip().isin(SFR_AREA_LEVELS)]
    year = int(path.name[:4])
    frame = pd.DataFrame({"la_code_old": raw["geog_c"], "la_name": raw["geog_n"],
                          "la_code": raw.get("New_geog_code", pd.Series("", index=raw.index)),
                          "year": str(year)})
    return la_rows(frame, path.name, 3)


def s251_file(path) -> pd.DataFrame:
    """A Section 251 outturn file, 2008-09 to 2013-14: LA number and name (no codes, no regions)."""
    raw = read_publisher_csv(path, [], encoding="cp1252", exact=False)
    header = list(raw.columns[:2])
    if header not in S251_HEADERS:
        check_header(path, header, S251_HEADERS[-1])
    year = 2000 + int(path.stem[-2:])          # outturn_0809 -> financial year ending 2009
    frame = pd.DataFrame({"la_code_old": raw.iloc[:, 0], "la_name": raw.iloc[:, 1], "year": str(year)})
    return la_rows(frame.drop_duplicates(), path.name, 4)


def lait_file(path) -> pd.DataFrame:
    """LAIT: LA numbers written as floats ("301.0"), England and regions have no `region`."""
    raw = read_publisher_csv(path, LAIT_COLUMNS, exact=False)
    raw = raw[raw["region"] != "NA"].drop_duplicates(["old_la_code", "area"])
    numbers = pd.to_numeric(raw["old_la_code"], errors="raise").astype(int).astype(str)
    return la_rows(pd.DataFrame({"la_code_old": numbers, "la_name": raw["area"]}), path.name, 5)


def ofsted_file(path) -> pd.DataFrame:
    """The data-to-insight ILACS overview: DfE LA number only (its ONS codes are not reliable)."""
    raw = read_publisher_csv(path, OFSTED_COLUMNS, exact=False)
    return la_rows(pd.DataFrame({"la_code_old": raw["la_code"], "la_name": raw["local_authority"]}),
                   path.name, 6)


def current_las(latest_release) -> set[str]:
    """LAs with a row for the latest year of the latest CLA release, minus reorganised ones."""
    raw = read_publisher_csv(latest_release, EES_COLUMNS, exact=False)
    latest = raw[raw["time_period"] == raw["time_period"].max()]
    codes = set(latest.loc[latest["geographic_level"] == "Local authority", "old_la_code"])
    return codes - set(REORGANISATIONS)


def gss_history(sightings: pd.DataFrame) -> pd.DataFrame:
    """Per LA: the GSS code of its latest year and the earlier codes the files show, latest first."""
    coded = sightings[sightings["la_code"].str.fullmatch(r"E\d{8}") & sightings["year"].notna()]
    last = coded.groupby(["la_code_old", "la_code"])["year"].max().reset_index()
    last = last.sort_values(["la_code_old", "year", "la_code"], ascending=[True, False, False])
    return last.groupby("la_code_old").agg(
        la_code=("la_code", "first"),
        la_codes_previous=("la_code", lambda s: ";".join(s.iloc[1:]))).reset_index()


def best(sightings: pd.DataFrame, column: str) -> pd.Series:
    """Per LA, the value from the most trusted, most recent file that has one."""
    have = sightings[sightings[column] != ""].sort_values(
        ["la_code_old", "rank", "year"], ascending=[True, True, False], na_position="last",
        kind="stable")
    return have.groupby("la_code_old")[column].first()


def tidy(sightings: pd.DataFrame) -> pd.DataFrame:
    """One row per LA number with its latest code, name, region and reorganisation status."""
    codes = sorted(set(sightings["la_code_old"]))
    table = pd.DataFrame({"la_code_old": codes}).merge(gss_history(sightings), how="left")
    table["la_name"] = table["la_code_old"].map(best(sightings, "la_name"))
    region_code = best(sightings, "region_code")
    names = sightings.drop_duplicates("region_code").set_index("region_code")["region_name"]
    table["subregion_name"] = table["la_code_old"].map(region_code).map(names).where(
        table["la_code_old"].map(region_code).str.startswith("E13"), "")
    table["region_code"] = table["la_code_old"].map(region_code).mask(
        lambda s: s.str.startswith("E13", na=False), LONDON[0])
    table["region_name"] = table["region_code"].map(names).mask(table["region_code"] == LONDON[0],
                                                                LONDON[1])
    table["status"], table["status_from"], table["successors"] = "current", pd.NA, ""
    for code, (status, year, successors) in REORGANISATIONS.items():
        row = table["la_code_old"] == code
        table.loc[row, ["status", "status_from", "successors"]] = [status, year, ";".join(successors)]
        if pd.isna(table.loc[row, "region_code"]).all():   # absent from EES files: successors' region
            regions = table.loc[table["la_code_old"].isin(successors), ["region_code", "region_name"]]
            table.loc[row, ["region_code", "region_name"]] = regions.iloc[0].tolist()
    population = pd.to_numeric(sightings["population"], errors="coerce")
    small = set(sightings.loc[population < SMALL_POPULATION, "la_code_old"])
    table["small_population"] = table["la_code_old"].isin(small)
    return table.fillna({"la_code": "", "la_codes_previous": "", "subregion_name": ""})


def check(table: pd.DataFrame, current: set[str], where) -> None:
    """Every LA is current or a known predecessor; every successor and region is known."""
    unknown = set(table["la_code_old"]) - current - set(REORGANISATIONS)
    require(not unknown, where, f"LA numbers {sorted(unknown)} are neither current nor a known "
            "predecessor: a reorganisation this script does not know about")
    missing = {s for _, _, succ in REORGANISATIONS.values() for s in succ} - current
    require(not missing, where, f"successor LAs {sorted(missing)} are not current")
    require(set(table["region_name"]) <= set(REGIONS), where,
            f"unexpected regions {sorted(set(table['region_name']) - set(REGIONS))}")
    require(table["la_name"].notna().all(), where, "an LA without a name")


def descriptor() -> dict:
    """The package's descriptor: its metadata from local_authorities.meta.yml, its code lists from here."""
    meta = fill(META, small_population=f"{SMALL_POPULATION:,}")
    return {**meta["package"], "resources": [
        meta_resource(meta, "local-authorities", enums={"region_name": REGIONS, "status": STATUSES})]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    # Load + Check (each reader asserts its file's header)
    releases = inputs["cla_rates"]              # sorted by name: release2023 < ... < release2025
    parts = [ees_file(path, rank=0) for path in reversed(releases)]
    parts += [ees_file(path, rank=1) for path in inputs["cin"] + inputs["sen2"]]
    parts += [ees_file(path, rank=2, columns=PLACEMENT_COLUMNS) for path in inputs["placements"]]
    parts += [sfr_file(path) for path in inputs["sfr"]]
    parts += [s251_file(path) for path in inputs["s251"]]
    parts += [lait_file(path) for path in inputs["lait"]] + [ofsted_file(p) for p in inputs["ofsted"]]
    sightings = pd.concat(parts, ignore_index=True)
    current = current_las(releases[-1])
    # Tidy
    table = tidy(sightings)
    check(table, current, releases[-1])
    # Write
    write_package(args.out, descriptor(), {"local-authorities": table})


if __name__ == "__main__":
    main(sys.argv[1:])
