"""Value checks frictionless does not make: finite numbers, plausible years, no spreadsheet formulas."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

YEAR_RANGE = (1950, 2100)  # a year or period outside this is a typo (9999) unless the field says otherwise
PERIOD_START = re.compile(r"^(\d{4})")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?%?$")


def value_problems(path: Path, schema: dict) -> list[tuple[int | None, str | None, str]]:
    """(line, field, message) for the first bad value of each kind; the file must have at least one row."""
    fields = schema.get("fields", [])
    markers = set(schema.get("missingValues", [""]))
    checks = [(index, field, _check_for(field)) for index, field in enumerate(fields)]
    checks = [(index, field["name"], check) for index, field, check in checks if check]
    problems, seen, rows = [], set(), 0
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for line, row in enumerate(reader, start=2):
            rows += 1
            for index, name, check in checks:
                value = row[index] if index < len(row) else ""
                if value in markers or name in seen:
                    continue
                message = check(value)
                if message:
                    seen.add(name)
                    problems.append((line, name, message))
    if rows == 0:
        problems.append((None, None, f"{Path(path).name} has a header but no data rows"))
    return problems


def _check_for(field: dict):
    kind, name = field.get("type", "string"), field["name"]
    if kind == "number":
        return _finite
    if kind in ("year", "integer") and (kind == "year" or name in ("year", "fiscal_year_start")):
        return lambda value: _year(value, field)
    if kind == "string" and name in ("period", "time_period"):
        return lambda value: _period(value, field)
    if kind == "string":
        return _formula
    return None


def _finite(value: str) -> str | None:
    try:
        number = float(value)
    except ValueError:
        return None  # frictionless reports values that are not numbers
    return None if math.isfinite(number) else f"{value!r} is not a finite number (inf and NaN are refused)"


def _year(value: str, field: dict) -> str | None:
    if not value.strip().lstrip("-").isdigit():
        return None
    return _in_range(int(value), field, value)


def _period(value: str, field: dict) -> str | None:
    start = PERIOD_START.match(value)
    return _in_range(int(start.group(1)), field, value) if start else _formula(value)


def _in_range(year: int, field: dict, value: str) -> str | None:
    constraints = field.get("constraints", {})
    low, high = constraints.get("minimum", YEAR_RANGE[0]), constraints.get("maximum", YEAR_RANGE[1])
    if isinstance(low, int) and isinstance(high, int) and not low <= year <= high:
        return f"year {value!r} is outside {low}-{high} (set the field's minimum/maximum if it is real)"
    return None


def _formula(value: str) -> str | None:
    """A cell a spreadsheet would run: starts with = or @, or + / - not followed by a plain number."""
    if value[:1] in ("=", "@") or (value[:1] in ("+", "-") and len(value) > 1 and not PLAIN_NUMBER.match(value)):
        return (f"{value[:40]!r} starts like a spreadsheet formula; refused so that downloads cannot run "
                "code in a reader's spreadsheet")
    return None
