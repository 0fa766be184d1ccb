"""Build the `children-looked-after` package from DfE's children looked after files.

Usage: python scripts/children_looked_after.py cla_time_series_1994_2024.csv --out data/children-looked-after
"""

from __future__ import annotations

import sys

import pandas as pd

from _common import (OGL, classify_inputs, field, parse_args, read_publisher_csv, require, resource,
                     to_number, write_package)

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {"time_series": "cla_time_series_1994_*.csv"}
SOURCES = ["dfe-cla/cla_time_series_1994_2024.csv"]

TIME_SERIES_HEADER = ["time_period", "time_identifier", "geographic_level", "country_code",
                      "country_name", "population_count", "number"]
MEASURES = {
    "Children looked after at 31 March": "looked_after_at_31_march",
    "Children starting to be looked after during the year": "started",
    "Children ceasing to be looked after during the year": "ceased",
    "Children looked after who were adopted during the year": "adopted",
    "Children looked after at 31 March who were unaccompanied asylum-seeking children": "uasc_at_31_march",
}
MEASURE_NOTE = ("looked_after_at_31_march = children looked after on 31 March; started / ceased = children "
                "who started or ceased to be looked after during the year ending 31 March; adopted = children "
                "adopted from care during the year; uasc_at_31_march = unaccompanied asylum-seeking children "
                "looked after on 31 March")


def england_series(path) -> pd.DataFrame:
    """The national time series, one row per year and measure, as the publisher prints it."""
    # Load
    raw = read_publisher_csv(path, TIME_SERIES_HEADER)
    # Check
    require(set(raw["geographic_level"]) == {"National"}, path, "expected national rows only")
    unknown = set(raw["population_count"]) - set(MEASURES)
    require(not unknown, path, f"unknown population_count values {sorted(unknown)}")
    # Tidy
    return pd.DataFrame({
        "year": raw["time_period"].astype(int),
        "measure": raw["population_count"].map(MEASURES),
        "number": to_number(raw["number"], markers=("x",)).astype("Int64").astype("string")
        .fillna("x"),
    })


def descriptor(release_year: int) -> dict:
    return {
        "name": "children-looked-after",
        "title": "Children looked after in England",
        "description": ("Children looked after by local authorities in England (SSDA903 return): the "
                        "national time series from 1994. Figures are the publisher's, rounded to the "
                        "nearest 10 at national level."),
        "licenses": [OGL],
        "sources": [{
            "title": f"Children looked after in England including adoptions: national time series "
                     f"1994 to {release_year} ({release_year} release)",
            "path": "https://explore-education-statistics.service.gov.uk/find-statistics/"
                    "children-looked-after-in-england-including-adoptions",
            "publisher": "Department for Education",
            "version": f"{release_year} release",
        }],
        "resources": [resource(
            "england-series", "England time series",
            "Children looked after in England by year and measure, from the publisher's national time "
            "series file.",
            [
                field("year", "year", "Year ending 31 March (2024 = on 31 March 2024 or during "
                      "April 2023 to March 2024).", constraints={"required": True}),
                field("measure", "string", f"What is counted: {MEASURE_NOTE}.",
                      constraints={"required": True, "enum": sorted(MEASURES.values())}),
                field("number", "integer", "Number of children. `x` = not available (the publisher's "
                      "marker; unaccompanied asylum-seeking children before 2004).",
                      constraints={"minimum": 0}),
            ],
            ["year", "measure"], missing=("", "x"))],
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    series = england_series(inputs["time_series"][-1])
    write_package(args.out, descriptor(int(series["year"].max())), {"england-series": series})


if __name__ == "__main__":
    main(sys.argv[1:])
