"""A chart's values as its readers see them: the d3 number and time formats of its axes and tooltips, in
Python. One rule for the table view (grouped digits, a true minus) and the CSV (the same rounding, plain
digits a spreadsheet reads as numbers)."""

from __future__ import annotations

import math
import re
from datetime import datetime

from report.fmt import rounded

D3_FORMAT = re.compile(r"^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?(,)?(\.\d+)?(~)?([bdefgosxX%]?)$")


def display(value, kind: str, spec: str | None, format_type: str | None = None) -> str:
    """A cell as the chart writes it: its own d3 number or time format where it gives one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and spec and format_type != "time":
        return number_format(value, spec)
    if isinstance(value, str) and kind == "temporal":
        return time_format(value, spec)
    return _plain(value)


def machine(value, kind: str, spec: str | None, format_type: str | None = None) -> str:
    """A CSV cell: rounded as `display` rounds it, without digit grouping and with an ASCII minus."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and spec and format_type != "time":
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return number_format(value, spec.replace(",", "")).replace("\u2212", "-")
    return display(value, kind, spec, format_type)


def number_format(value: float, spec: str) -> str:
    """d3-format's common cases in Python's format language ("," "d" ".1f" ",.0f" ".0%"), rounding half
    away from zero (report.fmt.rounded), as the report's prose does."""
    match = D3_FORMAT.match(spec)
    if not match:
        return _plain(value)
    fill, align, sign, alt, zero, width, comma, precision, trim, kind = match.groups()
    if kind == "d":
        value, precision = int(rounded(value)), None
    if kind == "" and precision:
        kind = "g"
    if kind in ("f", "%") and isinstance(value, float):
        digits = int(precision[1:]) if precision else 6
        value = float(rounded(value * 100, digits)) / 100 if kind == "%" else float(rounded(value, digits))
    if kind in ("", "d") and not precision and isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "".join(p or "" for p in ((fill or "") + (align or "") if align else "", sign, alt, zero,
                                          width, comma, precision, kind))
    try:
        text = format(value, pattern)
    except (ValueError, TypeError):
        return _plain(value)
    if trim and "." in text:
        head, _, tail = text.partition(".")
        digits = tail.rstrip("%").rstrip("0")
        text = head + ("." + digits if digits else "") + ("%" if tail.endswith("%") else "")
    if re.fullmatch(r"-0(\.0*)?%?", text):
        text = text[1:]  # a value that rounds to zero has no sign
    return text.replace("-", "\u2212") if text.startswith("-") else text


def time_format(value: str, spec: str | None) -> str:
    """ISO dates as the chart formats them (d3 time formats are strftime's), else the date part."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if spec:
        return moment.strftime(spec)
    return moment.date().isoformat() if moment.time() == datetime.min.time() else moment.isoformat()


def _plain(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
