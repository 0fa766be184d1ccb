"""Build the `placements` package: children looked after at 31 March by placement provider and type.

Usage: python scripts/placements.py 20??_SFR*_CLA*.csv \
    national_cla_on_31_march_by_placement_provider_placement_type_and_locality_20*.csv \
    cla_placement_provider_and_type_by_la_2021_2025.csv --out data/placements

LA numbers are matched to data/local-authorities (build it first: scripts/local_authorities.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from _common import (EES_GEOGRAPHY, PublisherFormatError, check_ees, classify_inputs, fill, la_foreign_key,
                     load_meta, meta_resource, parse_args, read_publisher_csv, require, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
# Titles, descriptions, fields and sources: placements.meta.yml.
META = load_meta(__file__, required=("package.name", "markers", "release_sources.sfr", "release_sources.ees",
                                     "resources.placement-provider.fields", "resources.placement-type.fields"))
INPUTS = {
    "sfr": "20??_SFR*_CLA*.csv",
    "national": "national_cla_on_31_march_by_placement_provider_placement_type_and_locality_*.csv",
    "la": "cla_placement_provider_and_type_by_la_*.csv",
}
SOURCES = [
    *[f"dfe-cla/la_underlying_2010_2017/{name}" for name in (
        "2011_SFR21_CLA.csv", "2012_SFR20_CLA2012.csv", "2013_SFR36_CLA2013.csv",
        "2014_SFR36_CLA2014.csv", "2015_SFR34_CLA2015.csv", "2016_SFR41_CLA2016.csv",
        "2017_SFR50_CLA2017.csv")],
    "dfe-cla/national_cla_on_31_march_by_placement_provider_placement_type_and_locality_2019_2023.csv",
    "dfe-cla/national_cla_on_31_march_by_placement_provider_placement_type_and_locality_2020_2024.csv",
    "placements-outsourcing/cla_placement_provider_and_type_by_la_2021_2025.csv",
]
LA_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "local-authorities" / "local-authorities.csv"

PROVIDERS = {  # code: (label, SFR column, publisher labels in the EES files)
    "own_la": ("LA's own provision", "CLA_OwnP", ["Own provision (by the LA)"]),
    "other_la": ("another LA's provision", "CLA_OthLA", ["Other LA provision"]),
    "other_public": ("other public provision (e.g. by a PCT / NHS)", "CLA_OthPP",
                     ["Other public provision (e.g., PCT)", "Other public provision (eg by PCT)",
                      "Other public provision (e.g. by a PCT etc)"]),
    "private": ("private provision", "CLA_Priv", ["Private provision"]),
    "voluntary": ("voluntary / third sector provision", "CLA_Vol", ["Voluntary/third sector provision"]),
    "parents": ("placed with parents or other person with parental responsibility", "CLA_Par",
                ["Parents or other person with parental responsibility"]),
    "not_reported": ("placement provider not reported", "CLA_Nrep", ["Placement provider not reported"]),
    "total": ("all children looked after at 31 March", "CLA_Mar{year}", ["All children", "Total"]),
}
PLACEMENT_TYPES = {  # code: publisher label (placements-outsourcing file, 2021-2025)
    "foster": "Foster placements",
    "childrens_homes": "Secure homes and children's homes",
    "independent_living": "Independent and semi-independent living arrangements/supported accommodation",
    "other_residential": "Other residential settings",
    "residential_schools": "Residential schools",
    "placed_for_adoption": "Placed for adoption",
    "placed_with_parents": "Placed with parents or other person with parental responsibility",
    "other": "Other placements",
    "total": "Total",
}
AREAS = {  # ONS codes of England and the regions as DfE groups them (name key -> code, EES name)
    "england": ("E92000001", "England"), "national": ("E92000001", "England"),
    "north east": ("E12000001", "North East"), "north west": ("E12000002", "North West"),
    "yorkshire and the humber": ("E12000003", "Yorkshire and The Humber"),
    "east midlands": ("E12000004", "East Midlands"), "west midlands": ("E12000005", "West Midlands"),
    "east of england": ("E12000006", "East of England"), "london": ("E12000007", "London"),
    "inner london": ("E13000001", "Inner London"), "outer london": ("E13000002", "Outer London"),
    "south east": ("E12000008", "South East"), "south west": ("E12000009", "South West"),
}
SFR_GEOGRAPHY = ["New_geog_code", "geog_l", "geog_c", "geog_n"]
SFR_LEVELS = {"NATIONAL": "National", "REGION": "Regional"}   # others are LAs (2017 Scilly: "")
NATIONAL_HEADER = EES_GEOGRAPHY + ["placement_type", "placement_provider", "number", "percentage"]
ALL_CHILDREN = "1. All children looked after at 31 March"
LA_HEADER = ["time_period", "geographic_level", "geo_breakdown", "region_name", "new_la_code",
             "old_la_code", "la_name", "cla_group", "characteristic", "cla_31_march_number", "percentage"]
GROUPS = {"Place providers": "provider", "Placement": "placement_type"}
MARKERS = ("", "c", "k", "x", "z")
COLUMNS = ["geographic_level", "area_code", "area_name", "la_code_old", "la_code", "year", "number",
           "percentage", "release"]


def provider_code(label: str) -> str | None:
    """A publisher's provider label -> this package's provider code."""
    return next((code for code, (_, _, labels) in PROVIDERS.items() if label in labels), None)


def sfr_providers(path) -> pd.DataFrame:
    """One SFR underlying-data file (2011-2017): provider counts for England, regions and LAs."""
    name = re.match(r"(\d{4})_SFR(\d+)", path.name)
    require(name is not None, path, "file name does not say the year and SFR number")
    year = int(name.group(1))
    columns = {spec[1].format(year=year): code for code, spec in PROVIDERS.items()}
    raw = read_publisher_csv(path, SFR_GEOGRAPHY + list(columns), exact=False)
    level = raw["geog_l"].str.strip().map(SFR_LEVELS).fillna("Local authority")
    is_la = level == "Local authority"
    require(raw.loc[is_la, "geog_c"].str.fullmatch(r"\d{3}").all(), path, "LA rows without a DfE number")
    long = raw.assign(geographic_level=level, la_code_old=raw["geog_c"].where(is_la, ""),
                      area_name=raw["geog_n"].str.strip()).melt(
        id_vars=["geographic_level", "la_code_old", "area_name"], value_vars=list(columns),
        var_name="column", value_name="number")
    return long.assign(provider=long["column"].map(columns), number=long["number"].str.strip(),
                       percentage="", year=year, release=f"SFR{name.group(2)}/{year}", rank=year)


def national_providers(path) -> pd.DataFrame:
    """The national EES file: all children at 31 March by provider (rows "1. All children ...")."""
    raw = read_publisher_csv(path, NATIONAL_HEADER)
    check_ees(raw, path, ["National"])
    raw = raw[raw["placement_type"] == ALL_CHILDREN]
    require(len(raw) > 0, path, f"no rows with placement_type {ALL_CHILDREN!r}")
    codes = raw["placement_provider"].map(provider_code)
    unknown = sorted(set(raw["placement_provider"][codes.isna()]))
    require(not unknown, path, f"unknown placement_provider values {unknown}")
    release = int(re.search(r"_(\d{4})\.csv$", path.name).group(1))   # ..._2020_2024.csv: 2024 release
    return pd.DataFrame({"geographic_level": "National", "la_code_old": "", "area_name": "England",
                         "provider": codes, "number": raw["number"], "percentage": raw["percentage"],
                         "year": raw["time_period"].astype(int), "release": f"{release} EES release",
                         "rank": release})


def la_file(path) -> dict[str, pd.DataFrame]:
    """The 2021-2025 LA file: provider and placement-type rows for England, regions and LAs."""
    raw = read_publisher_csv(path, LA_HEADER)
    unknown = set(raw["cla_group"]) - set(GROUPS)
    require(not unknown, path, f"unknown cla_group values {sorted(unknown)}")
    release = int(re.search(r"_(\d{4})\.csv$", path.name).group(1))
    is_la = raw["geographic_level"] == "Local authority"
    base = pd.DataFrame({"geographic_level": raw["geographic_level"],
                         "la_code_old": raw["old_la_code"].where(is_la, ""),
                         "area_name": raw["geo_breakdown"], "number": raw["cla_31_march_number"],
                         "percentage": raw["percentage"], "year": raw["time_period"].astype(int),
                         "release": f"{release} EES release", "rank": release})
    out = {}
    for group, key in GROUPS.items():
        rows = raw["cla_group"] == group
        labels = raw.loc[rows, "characteristic"]
        codes = labels.map(provider_code) if key == "provider" else labels.map(
            {label: code for code, label in PLACEMENT_TYPES.items()})
        unknown = sorted(set(labels[codes.isna()]))
        require(not unknown, path, f"unknown {group} characteristics {unknown}")
        out[key] = base[rows].assign(**{key: codes})
    return out


def la_reference() -> pd.DataFrame:
    """The local-authorities package: current ONS code and EES name of every DfE LA number."""
    if not LA_REFERENCE.is_file():
        raise PublisherFormatError(
            f"{LA_REFERENCE}: missing; build it first (scripts/local_authorities.py)")
    frame = pd.read_csv(LA_REFERENCE, dtype=str, keep_default_na=False)
    return frame.set_index("la_code_old")[["la_code", "la_name"]]


def tidy(rows: pd.DataFrame, key: str, reference: pd.DataFrame, where) -> pd.DataFrame:
    """Codes and names per area; one release per area-year (the latest); z-only LA-years dropped."""
    is_la = rows["geographic_level"] == "Local authority"
    unknown = set(rows.loc[is_la, "la_code_old"]) - set(reference.index)
    require(not unknown, where, f"LA numbers {sorted(unknown)} are not in local-authorities")
    area = rows["area_name"].str.lower().str.split().str.join(" ").map(AREAS)
    require(area[~is_la].notna().all(), where,
            f"unknown areas {sorted(set(rows.loc[~is_la & area.isna(), 'area_name']))}")
    rows = rows.assign(
        la_code=rows["la_code_old"].map(reference["la_code"]).where(is_la, ""),
        area_code=rows["la_code_old"].map(reference["la_code"]).where(is_la, area.str[0]),
        area_name=rows["la_code_old"].map(reference["la_name"]).where(is_la, area.str[1]))
    latest = rows.groupby(["area_code", "year"])["rank"].transform("max")
    rows = rows[rows["rank"] == latest]
    values = pd.concat([rows["number"], rows["percentage"]], axis=1).apply(lambda c: c.str.strip())
    only_z = values.isin(["z", ""]).all(axis=1).groupby([rows["area_code"], rows["year"]]).transform("all")
    rows = rows[~(only_z & (rows["geographic_level"] == "Local authority"))]
    return rows[COLUMNS[:6] + [key] + COLUMNS[6:]]


def descriptor(releases: list[str]) -> dict:
    """The package's descriptor: its metadata from placements.meta.yml, code lists and releases from here."""
    meta = {"resources": fill(
        META["resources"], markers=META["markers"],
        provider_note="; ".join(f"{code} = {label}" for code, (label, _, _) in PROVIDERS.items()),
        type_note="; ".join(f"{code} = {label}" for code, label in PLACEMENT_TYPES.items()))}
    options = {"missing": MARKERS, "foreign_keys": [la_foreign_key()]}
    return {**META["package"], "sources": release_sources(releases), "resources": [
        meta_resource(meta, "placement-provider", enums={"provider": list(PROVIDERS)}, **options),
        meta_resource(meta, "placement-type", enums={"placement_type": list(PLACEMENT_TYPES)}, **options)]}


def release_sources(releases: list[str]) -> list[dict]:
    """A `sources` entry for every release that gives rows: the SFRs by year, then the EES releases."""
    sources = []
    for release in sorted(releases, key=lambda r: (r[-4:] if r.startswith("SFR") else r[:4], r)):
        kind = "sfr" if release.startswith("SFR") else "ees"
        sources.append(fill(META["release_sources"][kind], release=release, year=release[-4:]))
    return sources


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    # Load + Check (each reader checks its file's header)
    reference = la_reference()
    la = [la_file(path) for path in inputs["la"]]
    providers = pd.concat([*map(sfr_providers, inputs["sfr"]),
                           *map(national_providers, inputs["national"]),
                           *[part["provider"] for part in la]], ignore_index=True)
    types = pd.concat([part["placement_type"] for part in la], ignore_index=True)
    # Tidy
    tables = {"placement-provider": tidy(providers, "provider", reference, inputs["la"][-1]),
              "placement-type": tidy(types, "placement_type", reference, inputs["la"][-1])}
    # Write
    releases = sorted({*tables["placement-provider"]["release"], *tables["placement-type"]["release"]})
    write_package(args.out, descriptor(releases), tables)


if __name__ == "__main__":
    main(sys.argv[1:])
