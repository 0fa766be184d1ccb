"""Build the `childrens-homes` package: Ofsted-registered children's homes and places by sector and year.

Usage: python scripts/childrens_homes.py provider_at_march_*.csv \
    ofsted_national_providers_by_type_2012_2023.csv ofsted_national_places_by_type_2012_2023.csv \
    --out data/childrens-homes

Only counts are written: provider names, addresses and owners never leave the publisher's files.
LA numbers come from the `local-authorities` package (build it first), matched by LA name.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from _common import (PublisherFormatError, classify_inputs, la_foreign_key, load_meta, meta_resource, parse_args,
                     read_publisher_csv, require, to_number, write_package)
from _la_lookup import LaLookup

# Titles, descriptions, fields and sources: childrens_homes.meta.yml.
META = load_meta(__file__, required=("package.name", "resources.providers-by-sector.fields",
                                     "resources.providers-by-la.fields", "resources.national-series.fields"))
INPUTS = {
    "providers": "provider_at_march_*.csv",
    "national_providers": "ofsted_national_providers_by_type_*.csv",
    "national_places": "ofsted_national_places_by_type_*.csv",
}
SOURCES = [
    *[f"ofsted-providers/provider_at_march_{y}.csv" for y in
      ("2015", "2016", "2017", "2018", "2018_part2", "2019", "2020", "2021", "2022", "2023", "2024", "2025")],
    "ofsted-providers/ofsted_national_providers_by_type_2012_2023.csv",
    "ofsted-providers/ofsted_national_places_by_type_2012_2023.csv",
]

# Each provider list: 31 March year, header line (0-based), encoding, scope (SOURCES.md; checked below).
ALL, INSPECTED = "all_registered", "inspected_only"
LAYOUTS = {
    "provider_at_march_2015.csv": (2015, 0, "utf-8-sig", INSPECTED),
    "provider_at_march_2016.csv": (2016, 1, "utf-8-sig", INSPECTED),
    "provider_at_march_2017.csv": (2017, 1, "utf-8-sig", INSPECTED),
    "provider_at_march_2018.csv": (2018, 1, "utf-8-sig", INSPECTED),
    "provider_at_march_2018_part2.csv": (2018, 0, "utf-8-sig", ALL),
    "provider_at_march_2019.csv": (2019, 1, "utf-8-sig", INSPECTED),
    "provider_at_march_2020.csv": (2020, 1, "utf-8-sig", INSPECTED),
    "provider_at_march_2021.csv": (2021, 1, "utf-8-sig", ALL),
    "provider_at_march_2022.csv": (2022, 4, "cp1252", ALL),
    "provider_at_march_2023.csv": (2023, 3, "utf-8-sig", INSPECTED),
    "provider_at_march_2024.csv": (2024, 3, "mac_roman", INSPECTED),
    "provider_at_march_2025.csv": (2025, 3, "utf-8-sig", ALL),
}
INSPECTION_DATES = ["Inspection Date", "Inspection date", "Latest full inspection date"]
REGIONS = ["Government Office Region", "Region"]
CH, SCH, RSS_CH = "Children's home", "Secure children's home", \
    "Residential special school (registered as a children's home)"
# Publisher spellings (lower case) -> one label per provision type.
PROVISION_TYPES = {
    "children's home": CH, "secure children's home": SCH, RSS_CH.lower(): RSS_CH,
    "residential special school (>295 days/year)": RSS_CH,
    "residential special school": "Residential special school",
    "independent fostering agency": "Independent fostering agency",
    "voluntary adoption agency": "Voluntary adoption agency",
    "adoption support agency": "Adoption support agency",
    "residential family centre": "Residential family centre",
    "boarding school": "Boarding school",
    "further education college with residential accommodation":
        "Further education college with residential accommodation",
    "secure training centre": "Secure training centre",
    "residential holiday scheme for disabled children": "Residential holiday scheme for disabled children",
    "supported accommodation": "Supported accommodation",
    "cafcass": "Cafcass",
}
SECTORS = {"local authority": "Local authority", "private": "Private", "voluntary": "Voluntary",
           "academy": "Academy", "health authority": "Health authority", "public sector": "Public sector"}
# National series (table 6a/6b) column -> provision type label; the two "All" columns are the publisher's.
ALL_HOMES = "All children's homes"
NATIONAL_TYPES = {
    "All Children's Homes": ALL_HOMES, "Children's Homes": CH, "Secure Children's Homes": SCH,
    RSS_CH: RSS_CH, "Residential Special Schools": "Residential special school",
    "Residential Family Centres": "Residential family centre", "Boarding Schools": "Boarding school",
    "Further Education Colleges with Residential Accommodation":
        "Further education college with residential accommodation",
    "Secure Training Centres": "Secure training centre", "Adoption Support Agencies": "Adoption support agency",
    "Voluntary Adoption Agency Branches": "Voluntary adoption agency",
    "Independent Fostering Agencies": "Independent fostering agency",
    "Residential Holiday Schemes for Disabled Children": "Residential holiday scheme for disabled children",
    "All": "All",
}
NATIONAL_PROVIDERS_HEADER = ["Date", "Data type", *list(NATIONAL_TYPES)]
NATIONAL_PLACES_HEADER = ["Date", "Data type", *list(NATIONAL_TYPES)[:8]]
NATIONAL_DATE_FORMATS = ["%Y-%m-%d %H:%M:%S", "%d-%b-%y"]
NOT_COLLECTED = "-"
PROVIDER_TYPE_ORDER = list(dict.fromkeys(PROVISION_TYPES.values()))


def provider_list(path: Path) -> pd.DataFrame:
    """One provider list, reduced to year, scope, provision type, sector, LA name and places."""
    # Load
    if path.name not in LAYOUTS:
        raise PublisherFormatError(f"{path.name}: no layout known (header line, encoding, scope): add it "
                                   "to LAYOUTS after reading the file's SOURCES.md")
    year, header_line, encoding, scope = LAYOUTS[path.name]
    expected = ["URN", "Provision type", "Local authority", "Sector"] + (["Places"] if year >= 2016 else [])
    # Check
    raw = read_publisher_csv(path, expected, encoding=encoding, skiprows=header_line, exact=False)
    region = one_of(path, raw, REGIONS)
    dates = [] if "part2" in path.name else [one_of(path, raw, INSPECTION_DATES)]
    raw = raw[raw["URN"].str.strip().ne("")]
    require(raw["URN"].is_unique, path, "duplicate URNs")
    if dates:
        uninspected = raw[dates[0]].str.strip().eq("").sum()
        require((uninspected == 0) == (scope == INSPECTED), path,
                f"{uninspected} providers without a full inspection: scope is not {scope!r}")
    kinds = raw["Provision type"].str.strip().str.lower()
    sectors = raw["Sector"].str.strip().str.lower()
    require(kinds.isin(list(PROVISION_TYPES)).all(), path,
            f"unknown provision types {sorted(set(kinds) - set(PROVISION_TYPES))}")
    require(sectors.isin(list(SECTORS)).all(), path, f"unknown sectors {sorted(set(sectors) - set(SECTORS))}")
    # Tidy
    return pd.DataFrame({
        "year": year, "scope": scope, "source_file": path.name,
        "provision_type": kinds.map(PROVISION_TYPES), "sector": sectors.map(SECTORS),
        "area_name": raw["Local authority"].str.strip(), "region": raw[region].str.strip(),
        "places": to_number(raw["Places"]) if "Places" in raw else pd.NA,
    })


def one_of(path: Path, raw: pd.DataFrame, names: list[str]) -> str:
    """The first of several column names the publisher has used for one column; none -> fail loudly."""
    found = [n for n in names if n in raw.columns]
    if not found:
        raise PublisherFormatError(f"publisher header changed in {path.name}: expected one of {names}, "
                                   f"got {list(raw.columns)}")
    return found[0]


def one_file_per_year(lists: list[pd.DataFrame]) -> pd.DataFrame:
    """Where a year has two lists (2018), keep the one of all registered providers."""
    ranked = sorted(lists, key=lambda f: (int(f["year"].iloc[0]), f["scope"].iloc[0] == ALL))
    chosen = {int(f["year"].iloc[0]): f for f in ranked}
    return pd.concat(chosen.values(), ignore_index=True)


def count(providers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Providers and registered places per group; places empty where no provider in it has places."""
    grouped = providers.groupby(keys, sort=False)
    return grouped.agg(providers=("provision_type", "size"),
                       places=("places", lambda s: s.sum(min_count=1))).reset_index()


def by_la(providers: pd.DataFrame, las: LaLookup) -> pd.DataFrame:
    """Counts per LA where the provider is located; providers in Wales (2025) are left out."""
    english = providers[providers["region"].ne("Wales")].copy()
    english["la_code_old"] = [las.from_name(n, dt.date(int(y), 3, 31))
                              for n, y in zip(english["area_name"], english["year"])]
    unknown = english.loc[english["la_code_old"].isna(), ["year", "area_name"]].drop_duplicates()
    require(unknown.empty, Path(english["source_file"].iloc[0]),
            f"LA names not in the local-authorities list: {unknown.values.tolist()[:5]}")
    names = english.groupby(["year", "la_code_old"])["area_name"].agg(lambda s: sorted(set(s))[0])
    out = count(english, ["year", "scope", "la_code_old", "provision_type", "sector"])
    out["area_name"] = [names[(y, c)] for y, c in zip(out["year"], out["la_code_old"])]
    out["la_code"] = out["la_code_old"].map(las.ons_code)
    return out


def parse_national_date(text: pd.Series, path) -> pd.Series:
    """`YYYY-MM-DD 00:00:00` or `31-Mar-12` -> the year; any other date fails loudly."""
    parsed = pd.Series(pd.NaT, index=text.index)
    for fmt in NATIONAL_DATE_FORMATS:
        parsed = parsed.fillna(pd.to_datetime(text.str.strip(), format=fmt, errors="coerce"))
    require(parsed.notna().all() and (parsed.dt.strftime("%m-%d") == "03-31").all(), path,
            f"dates other than 31 March: {text[parsed.isna()].tolist()}")
    return parsed.dt.year


def national(providers_path: Path, places_path: Path) -> pd.DataFrame:
    """Ofsted's national providers (table 6a) and places (table 6b) by type, as printed."""
    tables = []
    for path, header, measure in ((providers_path, NATIONAL_PROVIDERS_HEADER, "Providers"),
                                  (places_path, NATIONAL_PLACES_HEADER, "Places")):
        # Load + Check
        raw = read_publisher_csv(path, header)
        require(set(raw["Data type"]) == {measure}, path, f"expected `Data type` {measure} only")
        # Tidy
        long = raw.assign(year=parse_national_date(raw["Date"], path)).melt(
            id_vars="year", value_vars=header[2:], var_name="provision_type", value_name=measure.lower())
        long["provision_type"] = long["provision_type"].map(NATIONAL_TYPES)
        values = to_number(long[measure.lower()], markers=(NOT_COLLECTED,))
        require(values.dropna().mod(1).eq(0).all(), path, "non-integer counts")
        text = long[measure.lower()].str.strip()
        long[measure.lower()] = values.astype("Int64").astype("string").fillna(text)   # markers as printed
        require(long[["year", "provision_type"]].value_counts().max() == 1, path, "repeated dates")
        tables.append(long)
    return tables[0].merge(tables[1], on=["year", "provision_type"], how="left")


def descriptor() -> dict:
    """The package's descriptor: its metadata from childrens_homes.meta.yml, its code lists from here."""
    types, sectors = PROVIDER_TYPE_ORDER, list(SECTORS.values())
    counted = {"scope": [ALL, INSPECTED], "provision_type": types, "sector": sectors}
    return {**META["package"], "resources": [
        meta_resource(META, "providers-by-sector", enums=counted),
        meta_resource(META, "providers-by-la", enums=counted, foreign_keys=[la_foreign_key()]),
        meta_resource(META, "national-series", enums={"provision_type": list(NATIONAL_TYPES.values())}),
    ]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    series = national(inputs["national_providers"][-1], inputs["national_places"][-1])
    providers = one_file_per_year([provider_list(path) for path in inputs["providers"]])
    las = LaLookup()
    tables = {
        "providers-by-sector": count(providers, ["year", "scope", "source_file", "provision_type", "sector"]),
        "providers-by-la": by_la(providers, las),
        "national-series": series,
    }
    write_package(args.out, descriptor(), tables)


if __name__ == "__main__":
    main(sys.argv[1:])
