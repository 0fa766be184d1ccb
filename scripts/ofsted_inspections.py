"""Build the `ofsted-inspections` package: every Ofsted inspection of LA children's services, 2009 on.

Usage: python scripts/ofsted_inspections.py ofsted_la_inspections_2009_2023.csv \
    ofsted_ilacs_inspection_history_2018_2025.csv d2i_ofsted_csc_ilacs_overview_latest.csv \
    --out data/ofsted-inspections

LA numbers come from the `local-authorities` package (build it first): by ONS code where Ofsted gives
one, else by name.
"""

from __future__ import annotations

import datetime as dt
import sys

import pandas as pd

from _common import (classify_inputs, fill, la_foreign_key, load_meta, meta_resource, parse_args,
                     read_publisher_csv, require, write_package)
from _la_lookup import LaLookup

# Titles, descriptions, fields (the frameworks, grades and sources they hold) and licences:
# ofsted_inspections.meta.yml.
META = load_meta(__file__, required=("package.name", "grade_note", "resources.inspections.fields",
                                     "resources.ilacs-after-march-2025.fields"))
INPUTS = {
    "history_2009": "ofsted_la_inspections_2009_*.csv",
    "ilacs": "ofsted_ilacs_inspection_history_2018_*.csv",
    "d2i": "d2i_ofsted_csc_ilacs_overview_*.csv",
}
SOURCES = [
    "ofsted-la/ofsted_la_inspections_2009_2023.csv",
    "ofsted-la/ofsted_ilacs_inspection_history_2018_2025.csv",
    "ofsted-la/d2i_ofsted_csc_ilacs_overview_latest.csv",
]

SLAC = "Safeguarding & Looked After Children (SLAC) Inspection publication date"
SIF_FIRST = "Single Inspection of LA Children's Services (SIF) First SIF publication date"
SIF_RE = "Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date"
ILACS_1, ILACS_2, ILACS_T11 = "First ILACS framework", "Second ILACS framework", "ILACS framework"
HELP = "experiences and progress of children who need help and protection"
WIDE_HEADER = [
    "Local authority name", "LA region", "LA Authority Type", SLAC,
    "SLAC Safeguarding Overall effectiveness (OE)", "SLAC Looked After Children Overall Effectiveness (OE)",
    "SLAC re-inspection of Safeguarding publication date", "SLAC re-inspection Safeguarding OE",
    "SLAC re-inspection of services for Children Looked After publication date",
    "SLAC re-inspection of services Children Looked After OE",
    "Child Protection Inspections (CPI) publication date", "CPI Overall Effectiveness (OE)",
    "Child Protection Re-Inspection (CPRI) publication date", "CPRI Overall Effectiveness (OE)",
    "Targeted Looked After Children (TLAC) inspection publication date", "TLAC Overall Effectiveness (OE)",
    SIF_FIRST, "First SIF Overall Judgement (OE)", "First SIF children who need help and protection",
    "First SIF children looked after and achieving permanence", "First SIF CLA Sub: Adoption Performance",
    "First SIF CLA Sub: Experiences and progress of care leavers",
    "First SIF leadership, management and governance", "LSCB Overall Effectiveness",
    SIF_RE, "SIF Re-inspection Overall Judgement (OE)", "SIF Re-inspection children who need help and protection",
    "SIF Re-inspection children looked after and achieving permanence",
    "SIF Re-inspection CLA Sub: Adoption Performance",
    "SIF Re-inspection CLA Sub: Experiences and progress of care leavers",
    "SIF Re-inspection leadership, management and governance",
    *[f"{ILACS_1} {c}" for c in ("inspection type", "publication date", "overall effectiveness",
                                 "impact of leaders", HELP,
                                 "experiences and progress of children in care and care leavers")],
    *[f"{ILACS_2} {c}" for c in ("inspection type", "publication date", "overall effectiveness",
                                 "impact of leaders", HELP, "experiences and progress of children in care",
                                 "experiences and progress of care leavers")],
    "table",
    *[f"{ILACS_T11} {c}" for c in ("inspection type", "publication date", "overall effectiveness",
                                   "impact of leaders", HELP,
                                   "experiences and progress of children in care and care leavers")],
]
# Pre-ILACS frameworks in the wide 2009-2023 file: framework -> (publication date column,
# {judgement field: grade column}). ILACS is taken from the 2018-2025 history instead.
WIDE_FRAMEWORKS = {
    "SLAC": (SLAC, {"safeguarding": WIDE_HEADER[4], "looked_after_children": WIDE_HEADER[5]}),
    "SLAC re-inspection (safeguarding)": (WIDE_HEADER[6], {"safeguarding": WIDE_HEADER[7]}),
    "SLAC re-inspection (looked after children)": (WIDE_HEADER[8], {"looked_after_children": WIDE_HEADER[9]}),
    "CPI": (WIDE_HEADER[10], {"overall_effectiveness": WIDE_HEADER[11]}),
    "CPI re-inspection": (WIDE_HEADER[12], {"overall_effectiveness": WIDE_HEADER[13]}),
    "TLAC": (WIDE_HEADER[14], {"overall_effectiveness": WIDE_HEADER[15]}),
    "SIF": (SIF_FIRST, dict(zip(["overall_effectiveness", "help_and_protection", "children_in_care",
                                 "adoption", "care_leavers", "leadership", "lscb"], WIDE_HEADER[17:24]))),
    "SIF re-inspection": (SIF_RE, dict(zip(["overall_effectiveness", "help_and_protection",
                                            "children_in_care", "adoption", "care_leavers", "leadership"],
                                           WIDE_HEADER[25:31]))),
}
ILACS_HEADER = [
    "Web link", "Local authority area code", "Local authority name", "Local authority status",
    "Ofsted region", "Inspection date", "Publication date", "Inspection type", "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care", "The experiences and progress of care leavers",
]
ILACS_TYPES = {"ILACS Standard Inspection": "ILACS standard", "ILACS Short Inspection": "ILACS short"}
D2I_HEADER = [
    "urn", "la_code", "region_code", "ltla23cd", "local_authority", "inspection_link",
    "overall_effectiveness_grade", "inspection_framework", "inspector_name", "inspection_start_date",
    "inspection_end_date", "publication_date", "impact_of_leaders_grade", "help_and_protection_grade",
    "in_care_grade", "care_leavers_grade", "inspectors_inspections_count",
]
D2I_TYPES = {"standard": "ILACS standard", "short": "ILACS short"}
# ILACS publication dates the 2023 workbook prints differently from the 2025 history (which the
# scrape of the report confirms): (LA number, 2023 date) -> 2025 date.
WORKBOOK_2023_DATE_ERRORS = {("892", "2022-11-05"): "2022-09-05"}   # Nottingham: day and month swapped
# The 2025 history covers inspections to 31 March 2025 whose reports were published by 30 June 2025.
OFSTED_CUTOFF, OFSTED_PUBLISHED_BY = "2025-03-31", "2025-06-30"

GRADES = {"outstanding": "Outstanding", "good": "Good", "requires improvement to be good":
          "Requires improvement", "requires improvement": "Requires improvement",
          "inadequate": "Inadequate"}
NOT_GIVEN = "-"   # the publisher's ` -`: a judgement not given (Isles of Scilly, City of London)
NOT_YET = {"inspection_pre_dates_judgement"}   # d2i: care leavers judgement not in the framework then
JUDGEMENTS = ["overall_effectiveness", "help_and_protection", "children_in_care", "care_leavers", "adoption",
              "leadership", "lscb", "safeguarding", "looked_after_children"]


def grade(series: pd.Series, path) -> pd.Series:
    """Publisher grade text -> the four ordered labels; ` -` kept as `-`; anything else fails loudly."""
    text = series.astype("string").fillna("").str.strip()
    key = text.str.lower()
    known = key.isin(list(GRADES) + [NOT_GIVEN, ""] + list(NOT_YET))
    require(bool(known.all()), path, f"unknown grade {text[~known].iloc[0] if (~known).any() else ''!r} "
            f"in column {series.name!r}")
    return key.map(GRADES).fillna(text.where(key.eq(NOT_GIVEN), ""))


def parse_dates(series: pd.Series, fmt: str, path) -> pd.Series:
    """Publisher date text in a known format -> ISO dates; empty stays empty; others fail loudly."""
    text = series.astype("string").fillna("").str.strip()
    parsed = pd.to_datetime(text.where(text.ne("")), format=fmt, errors="coerce")
    bad = parsed.isna() & text.ne("")
    require(not bad.any(), path, f"unexpected date {text[bad].iloc[0] if bad.any() else ''!r} "
            f"in column {series.name!r}")
    return parsed.dt.strftime("%Y-%m-%d").fillna("")


def pre_ilacs(path, las: LaLookup) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SLAC, CPI, TLAC and SIF inspections from the wide 2009-2023 file, one row per inspection."""
    # Load + Check
    raw = read_publisher_csv(path, WIDE_HEADER)
    require(set(raw["table"]) == {"current_LAs", "pre_restructure_LAs"}, path, "unexpected `table` values")
    # Tidy
    rows = []
    for framework, (date_column, grades) in WIDE_FRAMEWORKS.items():
        part = raw[raw[date_column].str.strip().ne("")]
        frame = pd.DataFrame({"area_name": part["Local authority name"].str.strip(),
                              "framework": framework,
                              "publication_date": parse_dates(part[date_column], "%Y-%m-%d", path),
                              "inspection_date": ""})
        for name, column in grades.items():
            frame[name] = grade(part[column], path)
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True)
    out["la_code_old"] = [las.from_name(n, dt.date.fromisoformat(d))
                          for n, d in zip(out["area_name"], out["publication_date"])]
    unknown = out.loc[out["la_code_old"].isna(), "area_name"].unique()
    require(len(unknown) == 0, path, f"LA names not in the local-authorities list: {list(unknown)}")
    out["source"] = "ofsted_2023"
    return out, wide_ilacs(raw, las)


def wide_ilacs(raw: pd.DataFrame, las: LaLookup) -> pd.DataFrame:
    """The ILACS inspections the 2023 file also lists, to check the 2025 history holds all of them."""
    parts = []
    for prefix in (ILACS_1, ILACS_2, ILACS_T11):
        part = raw[raw[f"{prefix} publication date"].str.strip().ne("")]
        parts.append(pd.DataFrame({"area_name": part["Local authority name"],
                                   "publication_date": part[f"{prefix} publication date"],
                                   "overall_effectiveness": part[f"{prefix} overall effectiveness"]}))
    out = pd.concat(parts, ignore_index=True)
    out["la_code_old"] = [las.from_name(n, dt.date.fromisoformat(d))
                          for n, d in zip(out["area_name"], out["publication_date"])]
    out["overall_effectiveness"] = out["overall_effectiveness"].str.lower().map(GRADES)
    out["publication_date"] = [WORKBOOK_2023_DATE_ERRORS.get(k, k[1])
                               for k in zip(out["la_code_old"], out["publication_date"])]
    return out


def ilacs(path, las: LaLookup) -> pd.DataFrame:
    """Every ILACS standard and short inspection to 31 March 2025, from Ofsted's 2025 history."""
    # Load + Check
    raw = read_publisher_csv(path, ILACS_HEADER)
    unknown = set(raw["Inspection type"]) - set(ILACS_TYPES)
    require(not unknown, path, f"unknown inspection types {sorted(unknown)}")
    # Tidy
    codes = raw["Local authority area code"].str.strip()
    out = pd.DataFrame({
        "la_code_old": codes.map(las.from_ons),
        "area_name": raw["Local authority name"].str.strip(),
        "framework": raw["Inspection type"].map(ILACS_TYPES),
        "inspection_date": parse_dates(raw["Inspection date"], "%Y-%m-%d %H:%M:%S", path),
        "publication_date": parse_dates(raw["Publication date"], "%Y-%m-%d %H:%M:%S", path),
        "source": "ofsted_2025",
    })
    require(out["la_code_old"].notna().all(), path,
            f"ONS codes not in the local-authorities list: {sorted(set(codes[out['la_code_old'].isna()]))}")
    for name, column in zip(["overall_effectiveness", "leadership", "help_and_protection",
                             "children_in_care", "care_leavers"], ILACS_HEADER[8:]):
        out[name] = grade(raw[column], path)
    return out


def d2i_after_cutoff(path, ofsted: pd.DataFrame, las: LaLookup) -> pd.DataFrame:
    """data-to-insight's latest ILACS per LA, only the inspections Ofsted's history does not hold."""
    # Load + Check
    raw = read_publisher_csv(path, D2I_HEADER)
    require(raw["la_code"].isin(las.frame["la_code_old"]).all(), path, "unknown la_code values")
    # Tidy
    out = pd.DataFrame({
        "la_code_old": raw["la_code"].str.strip(),
        "area_name": raw["local_authority"].str.strip(),
        "framework": raw["inspection_framework"].str.strip().map(D2I_TYPES),
        "inspection_date": parse_dates(raw["inspection_start_date"], "%d/%m/%Y", path),
        "publication_date": parse_dates(raw["publication_date"], "%d/%m/%y", path),
        "source": "d2i_scrape",
    })
    for name, column in zip(["overall_effectiveness", "leadership", "help_and_protection",
                             "children_in_care", "care_leavers"], D2I_HEADER[6:7] + D2I_HEADER[12:16]):
        out[name] = grade(raw[column], path)
    known = set(zip(ofsted["la_code_old"], ofsted["publication_date"]))
    new = out[[k not in known for k in zip(out["la_code_old"], out["publication_date"])]]
    covered = new["inspection_date"].le(OFSTED_CUTOFF) & new["publication_date"].le(OFSTED_PUBLISHED_BY)
    require(not covered.any(), path, "inspections within the scope of Ofsted's history that it lacks: "
            f"{new.loc[covered, 'area_name'].tolist()}")
    require(new["framework"].notna().all(), path, "inspections after March 2025 without a framework")
    return new.reset_index(drop=True)


def finish(frame: pd.DataFrame, las: LaLookup) -> pd.DataFrame:
    """Add the ONS code from the reference list and every judgement column (empty where not given)."""
    frame = frame.copy()
    frame["la_code"] = frame["la_code_old"].map(las.ons_code)
    for name in JUDGEMENTS:
        if name not in frame:
            frame[name] = ""
    return frame


def descriptor() -> dict:
    """The package's descriptor, all of it from ofsted_inspections.meta.yml."""
    meta = fill(META, grade_note=META["grade_note"])
    return {**meta["package"], "resources": [meta_resource(meta, name, foreign_keys=[la_foreign_key()])
                                             for name in ("inspections", "ilacs-after-march-2025")]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    las = LaLookup()
    # Load + Check + Tidy (per file)
    older, wide_ilacs_rows = pre_ilacs(inputs["history_2009"][-1], las)
    recent = ilacs(inputs["ilacs"][-1], las)
    # Check: the 2025 history holds every ILACS inspection the 2023 workbook lists, with the same grade
    history = set(zip(recent["la_code_old"], recent["publication_date"], recent["overall_effectiveness"]))
    lost = [row for row in wide_ilacs_rows.itertuples(index=False)
            if (row.la_code_old, row.publication_date, row.overall_effectiveness) not in history]
    require(not lost, inputs["ilacs"][-1], f"ILACS inspections of the 2023 workbook missing: {lost[:3]}")
    inspections = pd.concat([older, recent], ignore_index=True)
    later = d2i_after_cutoff(inputs["d2i"][-1], inspections, las)
    # Write
    write_package(args.out, descriptor(), {"inspections": finish(inspections, las),
                                           "ilacs-after-march-2025": finish(later, las)})


if __name__ == "__main__":
    main(sys.argv[1:])
