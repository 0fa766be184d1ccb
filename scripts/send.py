"""Build the `send` package: statements of SEN and EHC plans (SEN2 and LAIT), EHC requests and timeliness.

Usage: python scripts/send.py sen2_age_caseload_2010_2022.csv sen2_mi_2014_2022.csv
       lait_csc_send_finance_subset_2016_2025.csv --out data/send
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (EES_GEOGRAPHY, EES_LEVELS, PublisherFormatError, check_ees, classify_inputs, field, fill,
                     la_foreign_key, load_meta, meta_resource, parse_args, read_publisher_csv, require, to_number,
                     write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {
    "caseload": "sen2_age_caseload_*.csv",
    "mi": "sen2_mi_*.csv",
    "lait": "lait_csc_send_finance_subset_*.csv",
}
SOURCES = [
    "send-ehcp/sen2_age_caseload_2010_2022.csv",
    "send-ehcp/sen2_mi_2014_2022.csv",
    "lait/lait_csc_send_finance_subset_2016_2025.csv",
]
# LAIT carries no release date in its rows: the data set as published in the LAIT repository on this date.
LAIT_RELEASE = "LAIT 2026-04-08"

GEO = EES_GEOGRAPHY + ["region_code", "region_name"]
CASELOAD_HEADER = GEO + ["old_la_code", "new_la_code", "la_name", "characteristic_age", "Total_st",
                         "Total_st_pc", "Total_ehc", "Total_ehc_pc", "Total_all", "Total_all_pc"]
MI_HEADER = GEO + ["new_la_code", "old_la_code", "la_name"] + """ass_nodecision ass_nodecision_ehc ass_none
    ass_none_ehc ass_none_ehc_pc ass_refused ass_refused_ehc ass_refused_ehc_pc assessment_mediation
    assessment_tribunal assessment_w assessments direct_pay_education direct_pay_health direct_pay_integrated
    direct_pay_socialcare discontinued_abroad discontinued_age discontinued_deceased discontinued_employment
    discontinued_unknown discontinued_engage discontinued_he discontinued_lea discontinued_lea_ehc
    discontinued_lea_noncomp discontinued_left discontinued_left_ehc discontinued_met discontinued_met_ehc
    discontinued_met_noncomp discontinued_other discontinued_other_ehc discontinued_other_noncomp
    discontinued_total inc_exc_20week_ehc inc_exc_20week_rate inc_exc_26week inreq_ehc inreq_ehc_a inreq_ehc_w
    inreq_ehc_y inreq_rya_ehc mainstream_to_home mainstream_to_home_ehc mainstream_to_special
    mainstream_to_special_ehc new_all_ehc new_all_ehc_ass_none_ehc_sum new_all_ehc_pc no_exc_20week_ehc
    no_exc_20week_rate no_exc_26week org_arrangements other_mediation other_tribunal total_tribunal
    personal_budgets request_mediation request_tribunal special_to_home special_to_home_ehc
    special_to_mainstream special_to_mainstream_ehc statements_no_ehc statements_to_ehc tot_inc_exc
    tot_inc_exc_ehc tot_no_exc tot_no_exc_ehc total_mediation total_tribunal_followed_mediation
    total_tribunal_pc""".split()
LAIT_HEADER = ["measure_short", "year", "area", "value", "old_la_code", "region", "measure", "unit",
               "source_url"]
LEVELS = list(EES_LEVELS)
AGE_BANDS = ["Total", "Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25"]
MARKERS = ("x", "z")
# LAIT's numbers for England and the 9 regions (it has no GSS codes); 987/988 Inner/Outer London have no
# SEN values in LAIT and no counterpart in SEN2, so they are left out.
LAIT_AREAS = {"970": "E92000001", "980": "E12000001", "981": "E12000002", "982": "E12000003",
              "983": "E12000004", "984": "E12000005", "985": "E12000006", "986": "E12000007",
              "989": "E12000008", "990": "E12000009"}
LONDON = "E12000007"
# LA codes that changed after the last SEN2 year (April 2023: Cumbria split, North Yorkshire and Somerset
# became unitary): LA number -> (first January it applies to, ONS code). Other LAs keep their last SEN2 code.
LA_CODES_FROM = {"815": (2024, "E06000065"), "933": (2024, "E06000066"),
                 "942": (2024, "E06000063"), "943": (2024, "E06000064")}
NEW_LA_REGIONS = {"942": "E12000002", "943": "E12000002"}

# Titles, descriptions, fields, sources and the markers' meanings: send.meta.yml.
META = load_meta(__file__, required=("package.sources", "geo_fields", "mi_columns", "marker_notes", "caseload_z",
                                     "resources.caseload.fields", "resources.caseload.year_text",
                                     "resources.ehc-process.year_text"))
COUNT, PERCENT = "count", "percent"
# MI column -> (kind, description); the package keeps the publisher's names.
MI_COLUMNS = {name: (spec["kind"], spec["description"]) for name, spec in META["mi_columns"].items()}
MARKER_NOTES = META["marker_notes"]
CASELOAD_Z = META["caseload_z"]


# Load + check

def read_sen2(path, header: list[str]) -> pd.DataFrame:
    """One SEN2 EES file, its header and geography asserted."""
    raw = read_publisher_csv(path, header)
    check_ees(raw, path, LEVELS, time_identifier="Calendar year")
    require(set(raw["country_code"]) == {"E92000001"}, path, "expected England (E92000001) only")
    la = raw["geographic_level"].eq("Local authority")
    require(raw.loc[la, "old_la_code"].str.fullmatch(r"\d{3}").all(), path,
            "LA rows without a 3-digit old_la_code")
    require(raw.loc[la, "new_la_code"].str.fullmatch(r"E\d{8}").all(), path, "LA rows without a GSS code")
    require(raw.loc[~raw["geographic_level"].eq("National"), "region_code"].str.fullmatch(r"E12\d{6}").all(),
            path, "regional or LA rows without an E12 region code")
    return raw


def read_lait_cases(path) -> pd.DataFrame:
    """LAIT's EHC plans at January (SEN_CASES_JAN), values as written."""
    raw = read_publisher_csv(path, LAIT_HEADER)
    raw = raw[raw["measure_short"].eq("SEN_CASES_JAN")].copy()
    require(len(raw) > 0, path, "no rows for measure SEN_CASES_JAN")
    require(raw["year"].str.fullmatch(r"\d{4}").all(), path, "SEN_CASES_JAN years are not plain years")
    require(raw["old_la_code"].str.fullmatch(r"\d{3}\.0").all(), path, "old_la_code not like '201.0'")
    return raw


# Tidy

def geography(raw: pd.DataFrame) -> pd.DataFrame:
    """The package's area fields and calendar year from the EES geography columns."""
    level = raw["geographic_level"]
    la, regional = level.eq("Local authority"), level.eq("Regional")
    return pd.DataFrame({
        "geographic_level": level,
        "area_code": raw["new_la_code"].where(la, raw["region_code"].where(regional, raw["country_code"])),
        "area_name": raw["la_name"].where(la, raw["region_name"].where(regional, raw["country_name"])),
        "region_code": raw["region_code"].where(la | regional, ""),
        "la_code_old": raw["old_la_code"].where(la, ""),
        "la_code": raw["new_la_code"].where(la, ""),
        "year": raw["time_period"].astype(int),
    })


def keep_markers(column: pd.Series, path, markers: tuple[str, ...] = MARKERS) -> pd.Series:
    """Numbers as numbers (leading spaces and trailing zeros dropped), markers as written."""
    text = column.astype("string").str.strip()
    try:
        numbers = to_number(text, markers=markers)
    except PublisherFormatError as error:
        raise PublisherFormatError(f"{path.name}: {str(error.code).removeprefix('error: ')}") from None
    require(not text.eq("").any(), path, f"blank cells in {column.name}")
    return numbers.astype(object).where(numbers.notna(), text)


def sen2_caseload(path) -> pd.DataFrame:
    """Statements and EHC plans at January by area and age band, as the SEN2 file prints them."""
    raw = read_sen2(path, CASELOAD_HEADER)
    unknown = set(raw["characteristic_age"]) - set(AGE_BANDS)
    require(not unknown, path, f"unknown characteristic_age values {sorted(unknown)}")
    frame = geography(raw)
    frame["age_band"] = raw["characteristic_age"]
    for column, name in [("Total_st", "statements"), ("Total_ehc", "ehc_plans"),
                         ("Total_all", "statements_and_ehc_plans")]:
        frame[name] = keep_markers(raw[column], path)
    frame["release"] = f"SEN2 {frame['year'].max()}"
    require(not frame.duplicated(["year", "area_code", "age_band"]).any(), path,
            "more than one row per year, area and age band")
    return frame


def lait_caseload(path, sen2: pd.DataFrame) -> pd.DataFrame:
    """LAIT's EHC plan totals for the years SEN2 lacks, with ONS codes for its LA numbers."""
    raw = read_lait_cases(path)
    raw["year"] = raw["year"].astype(int)
    raw["la_code_old"] = raw["old_la_code"].str[:3]
    raw = raw[~raw["year"].isin(set(sen2["year"])) & raw["value"].str.strip().ne("-")].copy()
    raw["value"] = keep_markers(raw["value"], path, markers=())
    higher = raw["la_code_old"].isin(list(LAIT_AREAS))
    require(raw.loc[~higher, "la_code_old"].astype(int).lt(970).all(), path,
            "SEN_CASES_JAN values for areas that are neither England, a region nor an LA")
    las = sen2[sen2["la_code_old"].ne("")].sort_values("year").drop_duplicates("la_code_old", keep="last")
    codes = dict(zip(las["la_code_old"], las["la_code"]))
    region_codes = {**dict(zip(las["la_code_old"], las["region_code"])), **NEW_LA_REGIONS}
    la_code = [code_for(old, year, codes) for old, year in zip(raw["la_code_old"], raw["year"])]
    frame = pd.DataFrame({
        "geographic_level": ["National" if c == "970" else "Regional" for c in raw["la_code_old"]],
        "area_code": raw["la_code_old"].map(LAIT_AREAS).where(higher, pd.Series(la_code, index=raw.index)),
        "area_name": raw["area"],
        "region_code": raw["la_code_old"].map(LAIT_AREAS).where(higher, raw["la_code_old"].map(region_codes)),
        "la_code_old": raw["la_code_old"].where(~higher, ""),
        "la_code": pd.Series(la_code, index=raw.index).where(~higher, ""),
        "year": raw["year"],
        "age_band": "Total",
        "statements": None,
        "ehc_plans": raw["value"],
        "statements_and_ehc_plans": raw["value"],
        "release": LAIT_RELEASE,
    }, index=raw.index)
    frame.loc[~higher, "geographic_level"] = "Local authority"
    frame.loc[frame["geographic_level"].eq("National"), "region_code"] = ""
    unknown = frame["area_code"].isna() | frame["region_code"].isna()
    require(not unknown.any(), path, "SEN_CASES_JAN values for LA numbers with no known ONS code: "
            + str(frame.loc[unknown, ["year", "area_name", "la_code_old"]].values.tolist()[:5]))
    return frame


def code_for(la_code_old: str, year: int, codes: dict) -> str | None:
    """An LA's ONS code in January of `year`: its last SEN2 code unless it changed since."""
    start, code = LA_CODES_FROM.get(la_code_old, (None, None))
    return code if start is not None and year >= start else codes.get(la_code_old)


def ehc_process(path) -> pd.DataFrame:
    """EHC requests, new plans and 20-week timeliness by area and calendar year."""
    raw = read_sen2(path, MI_HEADER)
    frame = geography(raw)
    for column in MI_COLUMNS:
        frame[column] = keep_markers(raw[column], path)
    require(not frame.duplicated(["year", "area_code"]).any(), path, "more than one row per year and area")
    return frame


# Describe

def geo_fields(year_text: str) -> list[dict]:
    return fill(META["geo_fields"], year_text=year_text)


def notes(frame: pd.DataFrame, name: str, meanings: dict | None = None) -> str:
    """The sentence naming the markers a column holds and what each means there."""
    meanings = {**MARKER_NOTES, **(meanings or {})}
    found = [m for m in MARKERS if frame[name].isin([m]).any()]
    return (" Missing values stand for the publisher's markers: "
            + "; ".join(f"`{m}` = {meanings[m]}" for m in found) + ".") if found else ""


def caseload_resource(frame: pd.DataFrame, sen2_release: str) -> dict:
    spec = META["resources"]["caseload"]
    values = {"sen2_release": sen2_release, "sen2_year": sen2_release[-4:], "lait_release": LAIT_RELEASE,
              "last_sen2": frame.loc[frame["release"].eq(sen2_release), "year"].max()}
    fields = [fill(f, markers=notes(frame, f["name"], CASELOAD_Z), **values) for f in spec["fields"]]
    meta = {"resources": {"caseload": {**spec, "description": fill(spec["description"], **values)}}}
    return meta_resource(meta, "caseload", fields=geo_fields(spec["year_text"]) + fields,
                         enums={"age_band": AGE_BANDS, "release": sorted(set(frame["release"]))},
                         foreign_keys=[la_foreign_key()])


def process_resource(frame: pd.DataFrame) -> dict:
    fields = []
    for name, (kind, text) in MI_COLUMNS.items():
        if kind == COUNT:
            fields.append(field(name, "integer", text + "." + notes(frame, name), constraints={"minimum": 0}))
        else:
            capped = name != "new_all_ehc_pc"  # Wakefield 2022 is printed above 100
            scale = " (0-100" if capped else " (percentage"
            fields.append(field(name, "number", f"{text}{scale}; decimals as printed, trailing zeros "
                                "dropped)." + notes(frame, name),
                                constraints={"minimum": 0, **({"maximum": 100} if capped else {})}))
    spec = META["resources"]["ehc-process"]
    meta = {"resources": {"ehc-process": fill(spec, first=frame["year"].min(), last=frame["year"].max())}}
    return meta_resource(meta, "ehc-process", fields=geo_fields(spec["year_text"]) + fields,
                         foreign_keys=[la_foreign_key()])


def descriptor(caseload: pd.DataFrame, process: pd.DataFrame, sen2_release: str, mi_last: int) -> dict:
    """The package's descriptor: its metadata from send.meta.yml, the years and releases from the data."""
    package = fill(META["package"], first=caseload["year"].min(), last=caseload["year"].max(),
                   sen2_year=sen2_release[-4:], mi_last=mi_last, mi_reporting=mi_last + 1,
                   lait_date=LAIT_RELEASE[5:])
    return {**package, "resources": [caseload_resource(caseload, sen2_release), process_resource(process)]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    sen2 = sen2_caseload(inputs["caseload"][-1])
    sen2_release = sen2["release"].iloc[0]
    caseload = pd.concat([sen2, lait_caseload(inputs["lait"][-1], sen2)], ignore_index=True)
    process = ehc_process(inputs["mi"][-1])
    write_package(args.out, descriptor(caseload, process, sen2_release, int(process["year"].max())),
                  {"caseload": caseload, "ehc-process": process})


if __name__ == "__main__":
    main(sys.argv[1:])
