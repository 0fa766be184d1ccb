"""Build the `send` package: statements of SEN and EHC plans (SEN2 and LAIT), EHC requests and timeliness.

Usage: python scripts/send.py sen2_age_caseload_2010_2022.csv sen2_mi_2014_2022.csv
       lait_csc_send_finance_subset_2016_2025.csv --out data/send
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (EES_GEOGRAPHY, EES_LEVELS, OGL, PublisherFormatError, check_ees, classify_inputs, field, la_foreign_key, markers_note,
                     parse_args, read_publisher_csv, require, resource, to_number, write_package)

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

COUNT, PERCENT = "count", "percent"
# MI column -> (kind, description); the package keeps the publisher's names.
MI_COLUMNS = {
    "inreq_ehc": (COUNT, "Initial requests for an EHC needs assessment made in the year (from 2016)"),
    "ass_refused_ehc": (COUNT, "Initial requests for assessment for an EHC plan that were refused. St. "
                       "Helens 2021 is printed as 0; the publisher later said it should be 107"),
    "ass_refused_ehc_pc": (PERCENT, "Refused requests as a percentage of initial requests"),
    "ass_none_ehc": (COUNT, "Assessments where it was decided not to issue an EHC plan. Medway 2021 is "
                    "printed as 223; the publisher later said it should be 16"),
    "ass_none_ehc_pc": (PERCENT, "Assessments with a decision not to issue, as a percentage of decisions "
                       "(Medway 2021 printed 42.4, should be 5.0)"),
    "new_all_ehc": (COUNT, "Children and young people assessed for whom an EHC plan was issued for the "
                   "first time in the year (new EHC plans)"),
    "new_all_ehc_ass_none_ehc_sum": (COUNT, "Assessed children and young people for whom a plan was issued "
                                    "plus those for whom it was decided not to issue one (Medway 2021 "
                                    "printed 526, should be 319)"),
    "new_all_ehc_pc": (PERCENT, "New EHC plans as a percentage of new_all_ehc_ass_none_ehc_sum (Medway "
                      "2021 printed 57.6, should be 95.0; Wakefield 2022 is printed as 113.51 because its "
                      "sum, 407, is below its new plans, 462)"),
    "tot_inc_exc_ehc": (COUNT, "New EHC plans issued in the year, including exception cases (the "
                       "denominator of inc_exc_20week_rate)"),
    "inc_exc_20week_ehc": (COUNT, "New EHC plans issued within 20 weeks, including exception cases"),
    "inc_exc_20week_rate": (PERCENT, "Percentage of new EHC plans issued within 20 weeks, including "
                           "exception cases"),
    "tot_no_exc_ehc": (COUNT, "New EHC plans issued in the year, excluding exception cases (the denominator "
                      "of no_exc_20week_rate; Dorset 2021 includes exceptions, per the publisher)"),
    "no_exc_20week_ehc": (COUNT, "New EHC plans issued within 20 weeks, excluding exception cases (Dorset "
                         "2021 includes exceptions)"),
    "no_exc_20week_rate": (PERCENT, "Percentage of new EHC plans issued within 20 weeks, excluding "
                          "exception cases (Dorset 2021 includes exceptions)"),
}
MARKER_NOTES = {"x": "not available (2022 20-week timeliness of Norfolk, West Berkshire, Havering and Tower "
                "Hamlets)", "z": "not applicable (not collected that year, or a percentage of zero)"}
CASELOAD_Z = {"z": "not applicable (no statements remain from 2019; no EHC plans before 2015)"}


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
    return [
        field("geographic_level", "string", "National (England), Regional (9 regions) or Local authority.",
              constraints={"required": True, "enum": LEVELS}),
        field("area_code", "string", "ONS code of the area: E92000001 England, E12 regions, E06/E08/E09/E10 "
              "local authorities (the code the publisher gives for that year; LAIT rows: see the resource "
              "description).", constraints={"required": True, "pattern": "E[0-9]{8}"}),
        field("area_name", "string", "The area's name as the publisher writes it (SEN2 and LAIT spellings "
              "differ: join on codes).", constraints={"required": True}),
        field("region_code", "string", "ONS code of the region (E12) the area lies in (the region itself on "
              "regional rows); empty for England.", constraints={"pattern": "E12[0-9]{6}"}),
        field("la_code_old", "string", "DfE 3-digit local authority number; empty on national and regional "
              "rows.", constraints={"pattern": "[0-9]{3}"}),
        field("la_code", "string", "The LA's 9-character ONS code; empty on national and regional rows.",
              constraints={"pattern": "E[0-9]{8}"}),
        field("year", "year", year_text, constraints={"required": True}),
    ]


def notes(frame: pd.DataFrame, name: str, meanings: dict | None = None) -> str:
    """The sentence naming the markers a column holds and what each means there."""
    meanings = {**MARKER_NOTES, **(meanings or {})}
    found = [m for m in MARKERS if frame[name].isin([m]).any()]
    return (" Missing values stand for the publisher's markers: "
            + "; ".join(f"`{m}` = {meanings[m]}" for m in found) + ".") if found else ""


def caseload_resource(frame: pd.DataFrame, sen2_release: str) -> dict:
    last_sen2 = frame.loc[frame["release"].eq(sen2_release), "year"].max()
    count = "Number of children and young people with {} maintained by the LA in January."
    return resource(
        "caseload", "Statements of SEN and EHC plans in January",
        "Children and young people with a statement of special educational needs (SEN) or an education, "
        "health and care (EHC) plan maintained by the local authority, counted in January of each calendar "
        f"year, by age band. Up to {last_sen2} from the SEN2 file (release `{sen2_release}`; not rounded or "
        "suppressed); later years, Total only, from LAIT's measure SEN_CASES_JAN (EHC plans active in "
        "January), LAIT's `-` rows (LAs that did not exist that year) left out. One vintage per area and "
        "year: LAIT's figures for years SEN2 covers are not used. EHC plans replaced statements from "
        "September 2014 (transfers completed in 2018), so statements are `z` from 2019 and EHC plans `z` "
        "before 2015. ONS codes on LAIT rows: each LA's last code in SEN2, except the April 2023 changes "
        "(Cumberland E06000063, Westmorland and Furness E06000064, North Yorkshire E06000065, Somerset "
        "E06000066 from January 2024). LA boundaries follow each year (Bournemouth, Poole and Dorset to "
        "2019; Northamptonshire to 2021; Cumbria to 2023).",
        geo_fields("Calendar year: the count is as at January of that year (the SEN2 census day in January).")
        + [
            field("age_band", "string", "Age of the child or young person as the publisher bands it; "
                  "`Total` = all ages. Age 20 to 25 exists from 2015 (EHC plans extend to 25).",
                  constraints={"required": True, "enum": AGE_BANDS}),
            field("statements", "integer", count.format("a statement of SEN") + " Empty on LAIT rows."
                  + notes(frame, "statements", CASELOAD_Z), constraints={"minimum": 0}),
            field("ehc_plans", "integer", count.format("an EHC plan") + notes(frame, "ehc_plans", CASELOAD_Z),
                  constraints={"minimum": 0}),
            field("statements_and_ehc_plans", "integer",
                  count.format("a statement or an EHC plan") + " On LAIT rows, LAIT's total EHC plans "
                  "(no statements remain after 2018).", constraints={"required": True, "minimum": 0}),
            field("release", "string", f"The release the row was taken from: `{sen2_release}` = Education, "
                  f"health and care plans, reporting year {sen2_release[-4:]} (SEN2 file "
                  f"sen2_age_caseload); `{LAIT_RELEASE}` = the LAIT data set as published on that date.",
                  constraints={"required": True, "enum": sorted(set(frame["release"]))}),
        ],
        ["year", "area_code", "age_band"], missing=("", "z"), foreign_keys=[la_foreign_key()])


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
    return resource(
        "ehc-process", "EHC plan requests, new plans and 20-week timeliness",
        "The EHC plan process by calendar year of the activity, "
        f"{frame['year'].min()}-{frame['year'].max()}: "
        "initial requests for an EHC needs assessment, refusals, decisions not to issue, new EHC plans, and "
        "new plans issued within the 20-week time limit (SEN2, publisher's file `sen2_mi`; not rounded or "
        "suppressed). Selected columns of the file, named as the publisher names them. Errors reported "
        "after publication are kept as printed: Medway 2021 (decisions not to issue 223, should be 16, and "
        "the percentages derived from it) and St. Helens 2021 (refused requests 0, should be 107). "
        "During part of 2020 the 20-week time limit was relaxed (COVID-19). 2014 covers "
        "September-December only (EHC plans began 1 September 2014).",
        geo_fields("Calendar year of the activity (2021 = January to December 2021).") + fields,
        ["year", "area_code"], missing=("", "x", "z"), foreign_keys=[la_foreign_key()])


def descriptor(caseload: pd.DataFrame, process: pd.DataFrame, sen2_release: str, mi_last: int) -> dict:
    return {
        "name": "send",
        "title": "Statements of SEN and EHC plans in England",
        "description": ("Special educational needs in England, by local authority: statements of SEN and "
                        f"education, health and care (EHC) plans in place each January, "
                        f"{caseload['year'].min()}-{caseload['year'].max()} (SEN2 return, continued with "
                        "LAIT's EHC plan counts for the years after the last SEN2 file here), and the EHC "
                        "plan process: requests, new plans and 20-week timeliness."),
        "licenses": [OGL],
        "sources": [{
            "title": f"Education, health and care plans: reporting year {sen2_release[-4:]} (underlying "
                     "data file sen2_age_caseload)",
            "path": "https://explore-education-statistics.service.gov.uk/find-statistics/"
                    "education-health-and-care-plans",
            "publisher": "Department for Education",
            "version": f"reporting year {sen2_release[-4:]} release",
        }, {
            "title": f"Education, health and care plans: underlying data file sen2_mi, calendar years "
                     f"2014 to {mi_last}",
            "path": "https://explore-education-statistics.service.gov.uk/find-statistics/"
                    "education-health-and-care-plans",
            "publisher": "Department for Education",
            "version": f"release with calendar year {mi_last} (reporting year {mi_last + 1})",
        }, {
            "title": "Local Authority Interactive Tool (LAIT): measure SEN_CASES_JAN",
            "path": "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
            "publisher": "Department for Education",
            "version": f"LAIT data set as published on {LAIT_RELEASE[5:]}",
        }],
        "resources": [caseload_resource(caseload, sen2_release), process_resource(process)],
    }


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
