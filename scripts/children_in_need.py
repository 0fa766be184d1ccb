"""Build the `children-in-need` package from DfE's children in need census files and LAIT's section 47 rates.

Usage: python scripts/children_in_need.py b1_children_in_need_2013_to_2025.csv
       c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv d3_cpps_subsequent_plan_2013_to_2025.csv
       d5_cpps_at31march_by_duration_2013_to_2025.csv lait_csc_send_finance_subset_2016_2025.csv
       --out data/children-in-need
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (EES_GEOGRAPHY, EES_LA, EES_LEVELS, OGL, PublisherFormatError, check_ees, classify_inputs, field, la_foreign_key, markers_note,
                     parse_args, read_publisher_csv, require, resource, to_number, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {
    "cin": "b1_children_in_need_*.csv",
    "referrals": "c1_children_in_need_referrals_and_rereferrals_*.csv",
    "cpp_subsequent": "d3_cpps_subsequent_plan_*.csv",
    "cpp_duration": "d5_cpps_at31march_by_duration_*.csv",
    "lait": "lait_csc_send_finance_subset_*.csv",
}
SOURCES = [
    "dfe-cin/b1_children_in_need_2013_to_2025.csv",
    "dfe-cin/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "dfe-cin/d3_cpps_subsequent_plan_2013_to_2025.csv",
    "dfe-cin/d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "lait/lait_csc_send_finance_subset_2016_2025.csv",
]
# LAIT carries no release date in its rows: the data set as published in the LAIT repository on this date.
LAIT_RELEASE = "LAIT data set of 8 April 2026"

EES_HEADER = EES_GEOGRAPHY + EES_LA + ["category"]
LAIT_HEADER = ["measure_short", "year", "area", "value", "old_la_code", "region", "measure", "unit",
               "source_url"]
LEVELS = list(EES_LEVELS)
MARKERS = ("c", "x", "u", "z")
LONDON = "E12000007"
# LAIT's numbers for England and the regions (it has no GSS codes).
LAIT_AREAS = {"970": "E92000001", "980": "E12000001", "981": "E12000002", "982": "E12000003",
              "983": "E12000004", "984": "E12000005", "985": "E12000006", "986": "E12000007",
              "987": "E13000001", "988": "E13000002", "989": "E12000008", "990": "E12000009"}

COUNT, PERCENT = "count", "percent"
# Publisher column -> (field name, kind, description).
CIN_COLUMNS = {
    "Anypoint_episodes": ("anypoint_episodes", COUNT, "Episodes of need open at any point in the year"),
    "Anypoint_child": ("anypoint_child", COUNT, "Children in need at any point in the year"),
    "Started_episodes": ("started_episodes", COUNT, "Episodes of need starting in the year"),
    "Started_child": ("started_child", COUNT, "Children starting an episode of need in the year"),
    "Ended_episodes": ("ended_episodes", COUNT, "Episodes of need ending in the year"),
    "Ended_child": ("ended_child", COUNT, "Children ending an episode of need in the year"),
    "At31_episodes": ("at31_episodes", COUNT, "Children in need at 31 March (open episodes)"),
    "awaiting_assessment": ("awaiting_assessment", COUNT,
                            "Children at 31 March awaiting the start or completion of an assessment"),
}
REFERRAL_COLUMNS = {
    "referral_count": ("referral_count", COUNT, "Referrals to children's social care in the year"),
    "rereferral_count": ("rereferral_count", COUNT,
                         "Referrals within 12 months of a previous referral for the same child"),
    "rereferral_percent": ("rereferral_percent", PERCENT, "Re-referrals as a percentage of referrals"),
    "no_further_action_count": ("no_further_action_count", COUNT, "Referrals resulting in no further action"),
    "no_further_action_percent": ("no_further_action_percent", PERCENT,
                                  "Referrals resulting in no further action, as a percentage of referrals"),
    "not_in_need_count": ("not_in_need_count", COUNT,
                          "Referrals assessed and the child judged not to be in need"),
    "not_in_need_percent": ("not_in_need_percent", PERCENT,
                            "Referrals assessed as not in need, as a percentage of referrals"),
    "referral_child_count": ("referral_child_count", COUNT, "Children referred in the year"),
    "rereferral_child_count": ("rereferral_child_count", COUNT,
                               "Children re-referred within 12 months of a previous referral"),
    "rereferral_child_percent": ("rereferral_child_percent", PERCENT,
                                 "Children re-referred as a percentage of children referred"),
}
CPP_SUBSEQUENT_COLUMNS = {
    "CPP_start": ("cpp_start", COUNT, "Child protection plans starting in the year"),
    "CPP_subsequent": ("cpp_subsequent", COUNT,
                       "Plans starting in the year that are a second or subsequent plan for the child"),
    "CPP_subsequent_percent": ("cpp_subsequent_percent", PERCENT,
                               "Second or subsequent plans as a percentage of plans starting"),
}
_AT31 = "Children subject of a child protection plan at 31 March"
CPP_DURATION_COLUMNS = {
    "CPP_At31": ("cpp_at31", COUNT, _AT31),
    **{f"{band}{suffix}": (f"cpp_at31_{name}{suffix}", kind, f"{_AT31} who had been on the plan {words}"
                           + (", as a percentage of all plans at 31 March" if suffix else ""))
       for band, name, words in [
           ("3_months_or_less", "3_months_or_less", "for 3 months or less"),
           ("more_than_3_months_6_months", "3_to_6_months", "for more than 3 months, up to 6 months"),
           ("more_than_6_months_less_than_1_year", "6_to_12_months",
            "for more than 6 months but less than 1 year"),
           ("1_year_less_than_2_years", "1_to_2_years", "for 1 year but less than 2 years"),
           ("2_years_or_more", "2_years_or_more", "for 2 years or more")]
       for suffix, kind in [("", COUNT), ("_percent", PERCENT)]},
}


def read_ees(path, columns: dict) -> pd.DataFrame:
    """One EES children-in-need file: geography and values, markers kept as written."""
    # Load
    raw = read_publisher_csv(path, EES_HEADER + list(columns))
    # Check
    check_ees(raw, path, LEVELS, time_identifier="Reporting year")
    require(set(raw["country_code"]) == {"E92000001"}, path, "expected England (E92000001) only")
    la = raw["geographic_level"].eq("Local authority")
    require(raw.loc[la, "old_la_code"].str.fullmatch(r"\d{3}").all(), path,
            "LA rows without a 3-digit old_la_code")
    require(raw.loc[la, "new_la_code"].str.fullmatch(r"E\d{8}").all(), path,
            "LA rows without a GSS new_la_code")
    regional = raw["geographic_level"].eq("Regional")
    require(raw.loc[regional, "region_code"].str.fullmatch(r"E1[23]\d{6}").all(), path,
            "regional rows without a region code")
    # Tidy
    frame = geography(raw)
    for column, (name, _, _) in columns.items():
        frame[name] = keep_markers(raw[column], path)
    require(not frame.duplicated(["year", "area_code"]).any(), path, "more than one row per year and area")
    return frame


def geography(raw: pd.DataFrame) -> pd.DataFrame:
    """The package's area and period fields from the EES geography columns."""
    level = raw["geographic_level"]
    la, regional = level.eq("Local authority"), level.eq("Regional")
    year = raw["time_period"].astype(int)
    return pd.DataFrame({
        "geographic_level": level,
        "area_code": raw["new_la_code"].where(la, raw["region_code"].where(regional, raw["country_code"])),
        "area_name": raw["la_name"].where(la, raw["region_name"].where(regional, raw["country_name"])),
        "region_code": raw["region_code"].where(~raw["region_code"].str.startswith("E13"), LONDON)
        .where(la | regional, ""),
        "la_code_old": raw["old_la_code"].where(la, ""),
        "la_code": raw["new_la_code"].where(la, ""),
        "year": year,
        "period": period_label(year),
    })


def period_label(year: pd.Series) -> pd.Series:
    """The publisher's label for the year ending 31 March: 2016 -> "2015-16"."""
    return (year - 1).astype(str) + "-" + (year % 100).map("{:02d}".format)


def keep_markers(column: pd.Series, path) -> pd.Series:
    """Numbers as numbers, the publisher's markers as written; anything else fails loudly."""
    text = column.astype("string").str.strip()
    try:
        numbers = to_number(text, markers=MARKERS)
    except PublisherFormatError as error:
        raise PublisherFormatError(f"{path.name}: {str(error.code).removeprefix('error: ')}") from None
    require(not text.eq("").any(), path, f"blank cells in {column.name}")
    return numbers.astype(object).where(numbers.notna(), text)


def section_47_rates(path, cin: pd.DataFrame) -> pd.DataFrame:
    """LAIT's section 47 rates, with GSS codes from the CIN file's areas of the same year."""
    # Load
    raw = read_publisher_csv(path, LAIT_HEADER)
    raw = raw[raw["measure_short"].eq("Section_47")].copy()
    # Check
    require(len(raw) > 0, path, "no rows for measure Section_47")
    require(raw["year"].str.fullmatch(r"\d{4}").all(), path, "Section_47 years are not plain years")
    require(raw["old_la_code"].str.fullmatch(r"\d{3}\.0").all(), path, "old_la_code not like '201.0'")
    # Tidy
    raw["la_code_old"] = raw["old_la_code"].str[:3]
    raw["year"] = raw["year"].astype(int)
    raw["value"] = keep_lait_markers(raw["value"], path)
    areas = cin[["year", "geographic_level", "area_code", "region_code", "la_code_old", "la_code"]]
    is_la = ~raw["la_code_old"].isin(list(LAIT_AREAS))
    las = raw[is_la].merge(areas[areas["la_code_old"].ne("")], on=["year", "la_code_old"], how="left",
                           validate="one_to_one")
    unmatched = las["area_code"].isna()
    require(las.loc[unmatched, "value"].eq("-").all(), path,
            "Section_47 values for LAs absent from the CIN file that year: "
            + str(las.loc[unmatched & las["value"].ne("-"), ["year", "area"]].values.tolist()[:5]))
    las = las[~unmatched]  # LAIT lists every LA in every year; "-" where it did not exist
    higher = raw[~is_la].copy()
    higher["area_code"] = higher["la_code_old"].map(LAIT_AREAS)
    higher = higher.merge(areas[areas["la_code_old"].eq("")].drop(columns=["la_code_old", "la_code"]),
                          on=["year", "area_code"], how="left", validate="one_to_one")
    require(higher["geographic_level"].notna().all(), path, "England/regional rows not in the CIN file")
    higher["la_code_old"] = higher["la_code"] = ""
    out = pd.concat([las, higher], ignore_index=True)
    return out.assign(area_name=out["area"], period=period_label(out["year"]),
                      section_47_rate=out["value"])


def keep_lait_markers(column: pd.Series, path) -> pd.Series:
    """LAIT values as numbers, its `-` kept as written."""
    numbers = to_number(column, markers=("-",))
    require(not column.str.strip().eq("").any(), path, "blank LAIT values")
    return numbers.astype(object).where(numbers.notna(), "-")


# Describe

GEO_FIELDS = [
    field("geographic_level", "string", "National (England), Regional (9 regions plus Inner and Outer "
          "London) or Local authority.", constraints={"required": True, "enum": LEVELS}),
    field("area_code", "string", "ONS code of the area: E92000001 England, E12/E13 regions and Inner/Outer "
          "London, E06/E08/E09/E10 local authorities (the code the publisher gives for that year).",
          constraints={"required": True, "pattern": "E[0-9]{8}"}),
    field("area_name", "string", "The area's name as the publisher writes it.",
          constraints={"required": True}),
    field("region_code", "string", "ONS code of the region (E12) the area lies in: the LA's region, or the "
          "region itself on regional rows; London boroughs and the Inner/Outer London rows get "
          "E12000007 London (the publisher gives London LAs E13 Inner/Outer London codes). Empty for "
          "England.", constraints={"pattern": "E12[0-9]{6}"}),
    field("la_code_old", "string", "DfE 3-digit local authority number; empty on national and regional rows.",
          constraints={"pattern": "[0-9]{3}"}),
    field("la_code", "string", "The LA's 9-character ONS code; empty on national and regional rows.",
          constraints={"pattern": "E[0-9]{8}"}),
    field("year", "year", "Year ending 31 March (2016 = April 2015 to March 2016, or at 31 March 2016).",
          constraints={"required": True}),
    field("period", "string", "The publisher's label for the year (\"2015-16\").",
          constraints={"required": True}),
]
GEO_FIELDS_NAMES = [f["name"] for f in GEO_FIELDS]
ROUNDING = ("National and regional figures are rounded by the publisher to the nearest 10; LA figures are "
            "not, so LAs do not sum exactly to the totals. LA boundaries follow each year (Bournemouth, "
            "Poole and Dorset to 2019, then Bournemouth, Christchurch and Poole and Dorset; "
            "Northamptonshire to 2021, then North and West Northamptonshire; Cumbria to 2023, then "
            "Cumberland and Westmorland and Furness).")


def value_fields(columns: dict, frame: pd.DataFrame) -> list[dict]:
    """One field per measure; the description names the publisher's column and the markers it holds."""
    fields = []
    for column, (name, kind, text) in columns.items():
        found = tuple(m for m in MARKERS if frame[name].isin([m]).any())
        note = f" {markers_note(found)}" if found else ""
        if kind == COUNT:
            fields.append(field(name, "integer", f"{text} (publisher column `{column}`).{note}",
                                constraints={"minimum": 0}))
        else:
            fields.append(field(name, "number", f"{text}, 0-100 (publisher column `{column}`).{note}",
                                constraints={"minimum": 0, "maximum": 100}))
    return fields


def missing_values(frame: pd.DataFrame) -> tuple[str, ...]:
    """The markers that occur in a table, declared as its missingValues."""
    return ("",) + tuple(m for m in MARKERS if frame.isin([m]).any().any())


def ees_resource(name: str, title: str, text: str, columns: dict, frame: pd.DataFrame) -> dict:
    """A resource for one CIN table: geography, period and the measures."""
    return resource(name, title, f"{text} {ROUNDING}", GEO_FIELDS + value_fields(columns, frame),
                    ["year", "area_code"], missing=missing_values(frame), foreign_keys=[la_foreign_key()])


def descriptor(tables: dict, last_year: int) -> dict:
    period = f"2012-13 to {last_year - 1}-{last_year % 100:02d}"
    s47 = tables["section-47-rates"]
    return {
        "name": "children-in-need",
        "title": "Children in need, referrals and child protection plans in England",
        "description": (f"Referrals to children's social care, children in need and child protection plans "
                        f"for England, its regions and local authorities, {period}, from the DfE children "
                        f"in need census (Characteristics of children in need, {last_year} release); plus "
                        "LAIT's section 47 enquiry rates per 10,000 children. " + ROUNDING),
        "licenses": [OGL],
        "sources": [{
            "title": f"Characteristics of children in need: reporting year {last_year} (underlying data "
                     "files b1, c1, d3, d5)",
            "path": "https://explore-education-statistics.service.gov.uk/find-statistics/"
                    "characteristics-of-children-in-need",
            "publisher": "Department for Education",
            "version": f"reporting year {last_year} release",
        }, {
            "title": "Local Authority Interactive Tool (LAIT): measure Section_47",
            "path": "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
            "publisher": "Department for Education",
            "version": LAIT_RELEASE,
        }],
        "resources": [
            ees_resource("referrals", "Referrals and re-referrals",
                         "Referrals to children's social care in the year ending 31 March, re-referrals "
                         "within 12 months and referral outcomes (file c1).",
                         REFERRAL_COLUMNS, tables["referrals"]),
            ees_resource("children-in-need", "Children in need",
                         "Children in need and their episodes of need: at any point in the year, starting, "
                         "ending, at 31 March, and awaiting assessment at 31 March (file b1). A child can "
                         "have more than one episode in a year.", CIN_COLUMNS, tables["children-in-need"]),
            ees_resource("child-protection", "Child protection plans",
                         "Child protection plans starting in the year ending 31 March and second or "
                         "subsequent plans (file d3); children subject of a plan at 31 March by time on "
                         "the plan (file d5).", {**CPP_SUBSEQUENT_COLUMNS, **CPP_DURATION_COLUMNS},
                         tables["child-protection"]),
            resource("section-47-rates", "Section 47 enquiries per 10,000 children (LAIT)",
                     "Section 47 enquiries (Children Act 1989: the LA has reasonable cause to suspect a "
                     "child is suffering, or likely to suffer, significant harm) starting in the year ending "
                     f"31 March, per 10,000 children, {s47['year'].min()}-{s47['year'].max()}, as LAIT "
                     "republishes them from the children in need release; no counts are available. LAIT "
                     "lists every LA in every year: rows for LAs that did not exist that year are left "
                     "out. Areas and codes are those of the CIN files for the same year.",
                     GEO_FIELDS + [field("section_47_rate", "number",
                                         "Section 47 enquiries per 10,000 children under 18 (LAIT measure "
                                         "`Section_47`, values rounded to 6 decimals to drop binary "
                                         "artefacts). `-` = LAIT's marker for no value (suppressed or "
                                         "not available, e.g. Isles of Scilly; Hackney 2021-2022; Bournemouth, "
                                         "Poole and Dorset before 2020).",
                                         constraints={"minimum": 0})],
                     ["year", "area_code"], missing=("", "-"), foreign_keys=[la_foreign_key()]),
        ],
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    cin = read_ees(inputs["cin"][-1], CIN_COLUMNS)
    referrals = read_ees(inputs["referrals"][-1], REFERRAL_COLUMNS)
    subsequent = read_ees(inputs["cpp_subsequent"][-1], CPP_SUBSEQUENT_COLUMNS)
    duration = read_ees(inputs["cpp_duration"][-1], CPP_DURATION_COLUMNS)
    keys = list(GEO_FIELDS_NAMES)
    require(subsequent[keys].sort_values(["year", "area_code"]).reset_index(drop=True)
            .equals(duration[keys].sort_values(["year", "area_code"]).reset_index(drop=True)),
            inputs["cpp_duration"][-1], "areas and years differ from the d3 file")
    protection = subsequent.merge(duration, on=keys, validate="one_to_one")
    s47 = section_47_rates(inputs["lait"][-1], cin)
    tables = {"referrals": referrals, "children-in-need": cin, "child-protection": protection,
              "section-47-rates": s47[keys + ["section_47_rate"]]}
    write_package(args.out, descriptor(tables, int(cin["year"].max())), tables)

if __name__ == "__main__":
    main(sys.argv[1:])
