"""Build the `children-in-need` package from DfE's children in need census files and LAIT's section 47 rates.

Usage: python scripts/children_in_need.py b1_children_in_need_2013_to_2025.csv
       c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv d3_cpps_subsequent_plan_2013_to_2025.csv
       d5_cpps_at31march_by_duration_2013_to_2025.csv lait_csc_send_finance_subset_2016_2025.csv
       --out data/children-in-need
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (EES_GEOGRAPHY, EES_LA, EES_LEVELS, PublisherFormatError, check_ees, classify_inputs, field,
                     fill, la_foreign_key, load_meta, markers_note, meta_resource, parse_args, read_publisher_csv,
                     require, to_number, write_package)

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

# Titles, descriptions, fields and sources: children_in_need.meta.yml.
META = load_meta(__file__, required=("package.name", "rounding", "geo_fields", "resources.referrals",
                                     "resources.children-in-need", "resources.child-protection",
                                     "resources.section-47-rates.fields", "columns.cin", "columns.referrals",
                                     "columns.cpp_subsequent", "columns.cpp_duration"))
COUNT, PERCENT = "count", "percent"


def columns_of(role: str) -> dict:
    """Publisher column -> (field name, kind, description), from the metadata's `columns.<role>`."""
    return {column: (spec["name"], spec["kind"], spec["description"])
            for column, spec in META["columns"][role].items()}


CIN_COLUMNS = columns_of("cin")
REFERRAL_COLUMNS = columns_of("referrals")
CPP_SUBSEQUENT_COLUMNS = columns_of("cpp_subsequent")
CPP_DURATION_COLUMNS = columns_of("cpp_duration")


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

GEO_FIELDS = META["geo_fields"]
GEO_FIELDS_NAMES = [f["name"] for f in GEO_FIELDS]


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


def ees_resource(meta: dict, name: str, columns: dict, frame: pd.DataFrame) -> dict:
    """A resource for one CIN table: geography, period and the measures."""
    return meta_resource(meta, name, fields=GEO_FIELDS + value_fields(columns, frame),
                         missing=missing_values(frame), foreign_keys=[la_foreign_key()])


def descriptor(tables: dict, last_year: int) -> dict:
    """The package's descriptor: its metadata from children_in_need.meta.yml, the periods from the data."""
    s47 = tables["section-47-rates"]
    meta = fill(META, period=f"2012-13 to {last_year - 1}-{last_year % 100:02d}", last_year=last_year,
                first=s47["year"].min(), last=s47["year"].max(), rounding=META["rounding"])
    s47_fields = meta["resources"]["section-47-rates"]["fields"]
    return {**meta["package"], "resources": [
        ees_resource(meta, "referrals", REFERRAL_COLUMNS, tables["referrals"]),
        ees_resource(meta, "children-in-need", CIN_COLUMNS, tables["children-in-need"]),
        ees_resource(meta, "child-protection", {**CPP_SUBSEQUENT_COLUMNS, **CPP_DURATION_COLUMNS},
                     tables["child-protection"]),
        meta_resource(meta, "section-47-rates", fields=GEO_FIELDS + s47_fields,
                      foreign_keys=[la_foreign_key()]),
    ]}


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
