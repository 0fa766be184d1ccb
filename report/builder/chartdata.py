"""The data behind a chart, read from its Vega-Lite spec: the inline rows and the fields its encodings use."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from markupsafe import escape

VIEW_LISTS = ("layer", "hconcat", "vconcat", "concat")
# Order of columns: categories before measures, then by channel (x before y before colour...).
CHANNELS = ["x", "y", "x2", "y2", "row", "column", "facet", "color", "fill", "stroke", "shape",
            "strokeDash", "size", "opacity", "text", "detail", "tooltip"]
D3_FORMAT = re.compile(r"^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?(,)?(\.\d+)?(~)?([bdefgosxX%]?)$")
GENERATED = ("sequence", "sphere", "graticule")
HIDDEN_CHANNELS = {"order", "detail", "key", "href", "url", "description"}


class ChartDataError(Exception):
    """A chart whose data cannot be offered for download (it is not inline in the spec)."""


@dataclass
class Column:
    field: str
    title: str
    format: str | None = None
    format_type: str | None = None
    kind: str = "nominal"

    @property
    def numeric(self) -> bool:
        return self.kind == "quantitative"


@dataclass
class ChartTable:
    """Rows (dicts by field) and the columns the chart encodes, in reading order."""

    columns: list[Column]
    rows: list[dict]

    def cells(self) -> list[list[str]]:
        """Each row as display text, formatted as the chart's axes and tooltips format it."""
        return [[display(row.get(c.field), c) for c in self.columns] for row in self.rows]

    def body_html(self) -> str:
        """The rows of `cells` as escaped HTML table rows: a page provider may write hundreds of tables, and this
        is several times quicker than a template loop over every cell."""
        opens = ['<td class="numeric">' if c.numeric else "<td>" for c in self.columns]
        return "".join("<tr>" + "".join(f"{o}{escape(cell)}</td>" for o, cell in zip(opens, row))
                       + "</tr>\n" for row in self.cells())


def field_uses(spec: dict, label: str = "chart") -> tuple[dict[str, list], list[tuple[str, str, dict, str]]]:
    """The chart's datasets by name, and (dataset, channel, field definition, mark) for every field used."""
    datasets = dict(spec.get("datasets", {}))
    uses = []
    for data, mark, channel, definition in _field_uses(spec, None, None):
        key = _dataset_key(data, label, datasets)
        if key is not None:
            uses.append((key, channel, definition, mark))
    rows = {key: [row for row in values if isinstance(row, dict)] if isinstance(values, list) else []
            for key, values in datasets.items()}
    return rows, uses


def chart_tables(spec: dict, label: str = "chart") -> list[ChartTable]:
    """The chart's data, main table first (most rows), in the fields its marks draw.

    Left out: datasets only written as text labels, datasets whose rows another table holds, fields only
    used to place or word labels, stacking order, line grouping and literal colours. Datasets with the
    same columns are joined.
    """
    datasets, found = field_uses(spec, label)
    uses: dict[str, list[tuple[str, dict]]] = {}
    marks: dict[str, set] = {}
    for key, channel, definition, mark in found:
        if channel in HIDDEN_CHANNELS or channel in ("color", "fill", "stroke") and \
                "scale" in definition and definition["scale"] is None:
            continue  # stacking order, line grouping and literal colours show no value
        uses.setdefault(key, []).append((channel, definition, mark))
        marks.setdefault(key, set()).add(mark)
    keys = [key for key in uses if marks[key] - {"text"}] or list(uses)
    for key in keys:  # text placed on data repeats it (formatted labels and their positions)
        drawn = [use for use in uses[key] if use[2] != "text"]
        uses[key] = [(channel, definition) for channel, definition, _ in (drawn or uses[key])]
    tables = []
    for key in keys:
        columns = _columns(uses[key], datasets.get(key, []))
        if columns:
            tables.append(ChartTable(columns, [{c.field: row.get(c.field) for c in columns}
                                               for row in datasets.get(key, [])]))
    tables.sort(key=lambda t: -len(t.rows))
    kept: list[ChartTable] = []
    for table in tables:
        if any(_holds(other, table) for other in kept):
            continue
        same = next((t for t in kept if [c.field for c in t.columns] == [c.field for c in table.columns]), None)
        if same is not None:
            same.rows.extend(table.rows)
        else:
            kept.append(table)
    return kept


def _holds(big: ChartTable, small: ChartTable) -> bool:
    """Whether every row of `small` is in `big` (on `small`'s columns, all of which `big` has)."""
    fields = [c.field for c in small.columns]
    if not set(fields) <= {c.field for c in big.columns}:
        return False
    have = {tuple(repr(row.get(f)) for f in fields) for row in big.rows}
    return all(tuple(repr(row.get(f)) for f in fields) in have for row in small.rows)


def _field_uses(spec: dict, data, mark):
    """(data reference, mark type, channel, field definition) for every field an encoding or facet names."""
    data = spec.get("data", data)
    mark = spec.get("mark", mark)
    mark = mark.get("type") if isinstance(mark, dict) else mark
    for channel, value in (spec.get("encoding") or {}).items():
        for definition in value if isinstance(value, list) else [value]:
            for item in (definition, (definition or {}).get("condition")):
                if isinstance(item, dict) and isinstance(item.get("field"), str):
                    yield data, mark, channel, item
    facet = spec.get("facet")
    if isinstance(facet, dict):
        for channel, item in ([("facet", facet)] if "field" in facet else facet.items()):
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                yield data, mark, channel, item
    for key in VIEW_LISTS:
        for child in spec.get(key, []):
            yield from _field_uses(child, data, mark)
    if isinstance(spec.get("spec"), dict):
        yield from _field_uses(spec["spec"], data, mark)


def _dataset_key(data, label: str, datasets: dict) -> str | None:
    """The name of the rows a view draws; inline `values` are added to `datasets` under a new name."""
    if not isinstance(data, dict) or any(k in data for k in GENERATED):
        return None
    if "name" in data:
        if data["name"] not in datasets:
            raise ChartDataError(f"chart {label}: dataset {data['name']!r} is not in the spec")
        return data["name"]
    if "values" in data:
        key = f"values-{id(data['values'])}"
        datasets.setdefault(key, data["values"] if isinstance(data["values"], list) else [])
        return key
    raise ChartDataError(f"chart {label}: its data is not inline ({sorted(data)}); charts must carry "
                         "their rows so readers can download them")


def _columns(uses: list[tuple[str, dict]], rows: list[dict]) -> list[Column]:
    present = {name for row in rows for name in row}
    columns: dict[str, Column] = {}
    ranked = sorted(uses, key=lambda u: (u[1].get("type") == "quantitative" or u[0] in ("x2", "y2"),
                                         _rank(u[0])))
    for channel, definition in ranked:
        name = _field_name(definition["field"], present)
        if name is None:
            continue
        column = columns.setdefault(name, Column(name, name, kind=definition.get("type", "nominal")))
        _adopt_title(column, channel, definition)
        if column.format is None:
            column.format = definition.get("format") or _guide(definition).get("format")
            column.format_type = definition.get("formatType") or _guide(definition).get("formatType")
    return list(columns.values())


def _rank(channel: str) -> int:
    return CHANNELS.index(channel) if channel in CHANNELS else len(CHANNELS)


def _field_name(field: str, present: set[str]) -> str | None:
    """The dataset column a field names (Vega-Lite escapes dots and brackets with a backslash)."""
    for name in (field, field.replace("\\.", ".").replace("\\[", "[").replace("\\]", "]")):
        if name in present:
            return name
    return None


def _guide(definition: dict) -> dict:
    for key in ("axis", "legend", "header"):
        if isinstance(definition.get(key), dict):
            return definition[key]
    return {}


def _adopt_title(column: Column, channel: str, definition: dict) -> None:
    """Tooltip titles name a value best; then axis and legend titles; else the field name stays."""
    title = definition.get("title")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    if not title:
        return
    if column.title == column.field or channel == "tooltip":
        column.title = str(title)


def display(value, column: Column) -> str:
    """A cell as text: the chart's own d3 number or time format where it gives one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and column.format and column.format_type != "time":
        return number_format(value, column.format)
    if isinstance(value, str) and column.kind == "temporal":
        return time_format(value, column.format)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def number_format(value: float, spec: str) -> str:
    """d3-format's common cases in Python's format language ("," "d" ".1f" ",.0f" ".0%")."""
    match = D3_FORMAT.match(spec)
    if not match:
        return _plain(value)
    fill, align, sign, alt, zero, width, comma, precision, trim, kind = match.groups()
    if kind == "d":
        value, precision = round(value), None
    if kind == "" and precision:
        kind = "g"
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
