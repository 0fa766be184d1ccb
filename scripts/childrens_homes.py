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

from _common import (OGL, PublisherFormatError, classify_inputs, field, la_foreign_key, parse_args,
                     read_publisher_csv, require, resource, to_number, write_package)
from _la_lookup import LaLookup

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


SCOPE_NOTE = (f"`{ALL}` = every provider registered at 31 March (2018 from the second 2018 list, 2021, 2022: "
              "counts equal Ofsted's national totals; 2025: all registered per the file, no national total "
              f"to compare); `{INSPECTED}` = only providers with a "
              "latest full inspection (2015-2017, 2019, 2020, 2023, 2024), so newly registered providers are "
              "missing and counts fall short of Ofsted's national totals (2023: 3,546 listed against 3,812).")
TYPE_NOTE = (f"Provision type as registered with Ofsted, spellings unified. Children's homes in the narrow "
             f"sense are `{CH}`; `{SCH}` and `{RSS_CH}` (2015 label: 'Residential special school (>295 "
             "days/year)') are also registered as children's homes and make up Ofsted's 'All children's "
             "homes'. `Supported accommodation` is registered from 2025.")


def count_fields(places_note: str) -> list[dict]:
    return [
        field("provision_type", "string", TYPE_NOTE,
              constraints={"required": True, "enum": PROVIDER_TYPE_ORDER}),
        field("sector", "string", "Sector of the provider as Ofsted records it (spellings unified): Local "
              "authority, Private, Voluntary, Academy, Health authority, Public sector (one provider, 2018 "
              "inspected list only).", constraints={"required": True, "enum": list(SECTORS.values())}),
        field("providers", "integer", "Number of registered providers (Active or Suspended) in the list.",
              constraints={"required": True, "minimum": 1}),
        field("places", "integer", places_note, constraints={"minimum": 0}),
    ]


def descriptor() -> dict:
    year_field = field("year", "year", "Year of the 31 March on which the list was taken.",
                       constraints={"required": True})
    scope_field = field("scope", "string", f"Which providers the year's list holds: {SCOPE_NOTE}",
                        constraints={"required": True, "enum": [ALL, INSPECTED]})
    places = ("Registered places summed over the providers (children's homes and other residential types); "
              "empty where the list has no places (2015) or the type has none (agencies).")
    return {
        "name": "childrens-homes",
        "title": "Children's homes and other Ofsted-registered children's social care providers in England",
        "description": (
            "Counts of Ofsted-registered children's social care providers and their registered places at "
            "31 March, by provision type and sector (local authority, private, voluntary, ...), nationally "
            "and by the LA where the provider is located, aggregated from Ofsted's provider-level lists "
            "2015-2025; plus Ofsted's own national series of providers and places by type, 2012-2023. No "
            "provider names or addresses are included. The provider lists do not all cover the same "
            "providers: see `scope`."),
        "licenses": [OGL],
        "sources": [
            {"title": "Ofsted provider-level lists of children's social care providers at 31 March "
                      "2015-2025 (from Ofsted's annual children's social care statistics; files as saved in "
                      "BenGoodair/Care-Markets, Data/Raw/provider_at_march_<year>.csv)",
             "path": "https://github.com/BenGoodair/Care-Markets",
             "publisher": "Ofsted", "version": "commit 0d19b24aadc68dfae380e9b00d15209884e02c04"},
            {"title": "Children's social care data in England 2023: underlying data (sheet "
                      "Providers+places_Time_series, tables 6a and 6b)",
             "path": "https://www.gov.uk/government/statistics/childrens-social-care-data-in-england-2023",
             "publisher": "Ofsted", "version": "6 July 2023"},
        ],
        "resources": [
            resource("providers-by-sector", "Providers and places by year, provision type and sector",
                     "England counts aggregated from each year's provider list (one list per year; for "
                     "2018 the list of all registered providers). Not Ofsted's published totals: compare "
                     "`national-series` and mind `scope`.",
                     [year_field, scope_field, field("source_file", "string", "The provider list counted."),
                      *count_fields(places)],
                     ["year", "provision_type", "sector"]),
            resource("providers-by-la", "Providers and places by year, LA, provision type and sector",
                     "As `providers-by-sector`, split by the LA where the provider is located (the LA as it "
                     "was at that 31 March: Northamptonshire to 2021, Cumbria to 2023, Bournemouth, Poole "
                     "and old Dorset to 2019). Providers located in Wales (4 supported accommodation "
                     "providers in 2025) are counted in `providers-by-sector` only.",
                     [year_field, scope_field,
                      field("la_code_old", "string", "DfE 3-digit number of the LA where the provider is "
                            "located.", constraints={"required": True, "pattern": "[0-9]{3}"}),
                      field("la_code", "string", "ONS code of that LA (local-authorities package).",
                            constraints={"pattern": "E[0-9]{8}"}),
                      field("area_name", "string", "LA name as the provider list writes it."),
                      *count_fields(places)],
                     ["year", "la_code_old", "provision_type", "sector"], foreign_keys=[la_foreign_key()]),
            resource("national-series", "Ofsted's national providers and places by type, 2012-2023",
                     "Ofsted's national number of providers (table 6a) and places (table 6b) at 31 March "
                     "by provision type, as printed. `All children's homes` = children's homes + secure "
                     "children's homes + residential special schools registered as children's homes; "
                     "`All` = all provider types. Residential special schools registered as children's "
                     "homes are shown separately from 2012; LA fostering and adoption agencies were "
                     "excluded from 30 September 2013 (hence the fall in `All` from 3,094 in 2013 to "
                     "2,796 in 2014). Voluntary adoption agencies are counted as branches.",
                     [year_field,
                      field("provision_type", "string", "Provision type (labels as in the other "
                            "resources, plus the publisher's totals `All children's homes` and `All`).",
                            constraints={"required": True, "enum": list(NATIONAL_TYPES.values())}),
                      field("providers", "integer", "Number of providers. `-` = not collected (the "
                            "publisher's marker: residential holiday schemes for disabled children, "
                            "2012-2014).", constraints={"minimum": 0}),
                      field("places", "integer", "Number of registered places; empty for types whose "
                            "places Ofsted does not publish.", constraints={"minimum": 0})],
                     ["year", "provision_type"], missing=("", NOT_COLLECTED)),
        ],
    }


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
