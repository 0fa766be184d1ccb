"""Build the `deflators` package: HM Treasury's GDP deflator by financial year (published outturn only).

Usage: python scripts/deflators.py ncl_uk_cost_indices_hmt_fy_deflator_march2026.csv --out data/deflators
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from _common import (classify_inputs, fill, load_meta, meta_resource, parse_args, read_publisher_csv, require,
                     to_number, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {"hmt_fy": "ncl_uk_cost_indices_hmt_fy_deflator_*.csv"}
SOURCES = ["gdp-deflator/ncl_uk_cost_indices_hmt_fy_deflator_march2026.csv"]

HMT_HEADER = ["fiscal_year_start", "fiscal_year", "gdp_deflator", "cpi_index", "cpih_index", "is_forecast"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
META = load_meta(__file__, required=("package.name", "resources.gdp-deflator.fields"))


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
    """The package's descriptor: its metadata from deflators.meta.yml, the periods from the data."""
    meta = fill(META, base_year=base_year, hmt_release=f"{release} (Quarterly National Accounts)",
                first=first, last=last)
    return {**meta["package"], "resources": [meta_resource(meta, "gdp-deflator")]}


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
