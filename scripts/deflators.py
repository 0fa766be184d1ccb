"""Build the `deflators` package: HM Treasury's GDP deflator by financial year (published outturn only).

Usage: python scripts/deflators.py ncl_uk_cost_indices_hmt_fy_deflator_march2026.csv --out data/deflators
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from _common import (OGL, classify_inputs, field, parse_args, read_publisher_csv, require, resource,
                     to_number, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {"hmt_fy": "ncl_uk_cost_indices_hmt_fy_deflator_*.csv"}
SOURCES = ["gdp-deflator/ncl_uk_cost_indices_hmt_fy_deflator_march2026.csv"]

HMT_HEADER = ["fiscal_year_start", "fiscal_year", "gdp_deflator", "cpi_index", "cpih_index", "is_forecast"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
COLLECTION = "https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp"


def release_of(path: Path) -> str:
    """The HMT release named in the file name (`..._march2026.csv` -> `March 2026`), why: it is the vintage."""
    match = re.search(r"_([a-z]+)(\d{4})\.csv$", Path(path).name)
    require(bool(match) and match.group(1) in MONTHS, path, "file name does not end in <month><year>.csv")
    return f"{match.group(1).capitalize()} {match.group(2)}"


def outturn(path: Path) -> pd.DataFrame:
    """Published outturn rows only: forecast rows are chained by the extracting project, not HMT levels."""
    # Load
    raw = read_publisher_csv(path, HMT_HEADER)
    # Check
    require(set(raw["is_forecast"]) <= {"true", "false"}, path, "is_forecast is not true/false")
    rows = raw[raw["is_forecast"] == "false"]
    require(not rows.empty, path, "no outturn rows")
    start = to_number(rows["fiscal_year_start"]).astype(int)
    labels = start.astype(str) + "-" + (start + 1).astype(str).str[-2:]
    require((labels == rows["fiscal_year"]).all(), path, "fiscal_year does not match fiscal_year_start")
    require(start.diff().dropna().eq(1).all(), path, "outturn years are not consecutive")
    deflator = to_number(rows["gdp_deflator"])
    require(deflator.notna().all() and (deflator > 0).all(), path, "gdp_deflator missing or not positive")
    base = rows.loc[deflator.eq(100), "fiscal_year"]
    require(len(base) == 1, path, "expected exactly one outturn year with gdp_deflator = 100 (the base year)")
    # Tidy
    return pd.DataFrame({"period": rows["fiscal_year"], "year": start + 1, "fiscal_year_start": start,
                         "gdp_deflator": deflator})


def descriptor(base_year: str, release: str, first: str, last: str) -> dict:
    hmt_release = f"{release} (Quarterly National Accounts)"
    return {
        "name": "deflators",
        "title": "GDP deflator at market prices by financial year (HM Treasury)",
        "description": (
            f"HM Treasury's GDP deflator at market prices for UK financial years {first} to {last}, index "
            f"{base_year} = 100, {hmt_release} release; outturn from ONS series L8GG. Use it to express "
            f"the cash (nominal) spending in other packages in real terms, {base_year} prices: real = "
            f"cash x 100 / gdp_deflator of the spending's year. Only published outturn rows are kept: "
            "the forecast years in the source file were chained by the extracting project from OBR "
            "growth rates and are not published levels, and its CPI/CPIH columns are that project's own "
            "April-March means, so both are left out. One vintage throughout; a new HMT release "
            "re-bases and revises the whole series."),
        "base_year": base_year,
        "release": hmt_release,
        "licenses": [OGL],
        "sources": [{
            "title": f"GDP deflators at market prices, and money GDP: {hmt_release}",
            "path": COLLECTION,
            "publisher": "HM Treasury",
            "version": hmt_release,
            "description": ("Financial-year outturn extracted into `seeds/uk_cost_indices.csv` of "
                            "ncl-icb-analytics/dbt-ncl-analytics @ 213ca0542d527cc1d0c4e4fe2a5877bd8049a6ca "
                            "(values as published, 4 decimals)."),
        }],
        "keywords": ["GDP deflator", "real terms", "HM Treasury", "financial year"],
        "resources": [resource(
            "gdp-deflator", "GDP deflator by financial year",
            f"One row per UK financial year (April to March), {first} to {last}: HM Treasury GDP deflator "
            f"at market prices, {base_year} = 100, {hmt_release}.",
            [
                field("period", "string", "Financial year as HM Treasury labels it (\"2014-15\" = April "
                      "2014 to March 2015).", constraints={"required": True, "pattern": r"\d{4}-\d{2}"}),
                field("year", "year", "Year in which the financial year ends (2015 for 2014-15), as "
                      "`year` in the spending packages.", constraints={"required": True}),
                field("fiscal_year_start", "year", "Year in which the financial year starts (2014 for "
                      "2014-15).", constraints={"required": True}),
                field("gdp_deflator", "number", f"GDP deflator at market prices, index {base_year} = 100 "
                      f"({hmt_release}), as published (4 decimals; trailing zeros dropped).",
                      constraints={"required": True, "minimum": 0}),
            ],
            ["year"])],
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    path = inputs["hmt_fy"][-1]
    frame = outturn(path)
    # Write
    base_year = frame.loc[frame["gdp_deflator"] == 100, "period"].iloc[0]
    desc = descriptor(base_year, release_of(path), frame["period"].iloc[0], frame["period"].iloc[-1])
    write_package(args.out, desc, {"gdp-deflator": frame})


if __name__ == "__main__":
    main(sys.argv[1:])
