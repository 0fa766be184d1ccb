"""The periods a resource must hold, declared in its descriptor, checked against its rows.

A resource may declare, in the custom property `x-expectedPeriods` (stock validators ignore it):

    {"field": "year", "from": 2010, "to": 2024, "except": [2015]}     every year in the range, but these
    {"field": "time_period", "periods": ["2022-23", "2023-24"]}       exactly these values

Validation then fails, naming the file, line and field, when a declared period has no row (a publisher's
file that lost a year) or a row holds a period not declared (a year 9999, or a release taken in without
its descriptor saying so).
"""

from __future__ import annotations

import csv
from pathlib import Path

PERIODS = "x-expectedPeriods"


def expected_periods(resource: dict) -> tuple[str | None, set[str] | None, str | None]:
    """(field, expected values, or None and the reason the declaration cannot be used)."""
    spec = resource.get(PERIODS)
    if spec is None:
        return None, None, None
    fields = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
    if not isinstance(spec, dict) or spec.get("field") not in fields:
        name = spec.get("field") if isinstance(spec, dict) else spec
        return None, None, f"`{PERIODS}` names field {name!r}, which is not in the schema ({fields})"
    if isinstance(spec.get("periods"), list) and spec["periods"]:
        return spec["field"], {str(p) for p in spec["periods"]}, None
    low, high, skip = spec.get("from"), spec.get("to"), spec.get("except", [])
    if isinstance(low, int) and isinstance(high, int) and low <= high and isinstance(skip, list):
        return spec["field"], {str(y) for y in range(low, high + 1)} - {str(y) for y in skip}, None
    return None, None, (f"`{PERIODS}` needs `periods` (a non-empty list) or `from` and `to` (years, from <= to, "
                        "with an optional `except` list)")


def period_problems(path: Path, resource: dict) -> list[tuple[int | None, str | None, str]]:
    """(line, field, message): the declaration's own fault, each undeclared period (at its first line) and
    each declared period no row has."""
    field, expected, fault = expected_periods(resource)
    if fault:
        return [(None, PERIODS, fault)]
    if field is None:
        return []
    markers = set(resource.get("schema", {}).get("missingValues", [""]))
    first_line: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        index = header.index(field) if field in header else None
        if index is None:
            return [(1, field, f"{Path(path).name} has no column {field!r} to check `{PERIODS}` against")]
        for line, row in enumerate(reader, start=2):
            value = row[index] if index < len(row) else ""
            if value not in markers:
                first_line.setdefault(value, line)
    name = Path(path).name
    problems = [(line, field, f"period {value!r} is not among the expected periods of {name} "
                 f"(`{PERIODS}`: {_summary(expected)}); declare it there if it is real")
                for value, line in first_line.items() if value not in expected]
    problems += [(None, field, f"{name} has no row for expected period {value!r} (`{PERIODS}`); the "
                  "publisher's file may have lost it") for value in sorted(expected - set(first_line))]
    return problems


def _summary(values: set[str]) -> str:
    ordered = sorted(values)
    return ", ".join(ordered) if len(ordered) <= 6 else f"{ordered[0]} to {ordered[-1]}, {len(ordered)} periods"
