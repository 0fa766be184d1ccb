"""The data behind a chart, read from its Vega-Lite spec: the one rule for its table view and CSV.

What a mark means is what its tooltip says: a mark with a tooltip draws data, and its table holds the
tooltip's fields, titles and formats, plus any position (x, y) it is drawn at that no tooltip field names.
A mark without a tooltip (a band, a key, a label, a mark repeating another's rows) is layout, not data;
only a chart with no tooltip at all falls back to the fields its marks encode. Text marks are labels.
Where a colour, dash, shape, line or facet field splits the rows into series along a shared axis, the
table is wide: one row per position, one column per series. Values are written as the tooltip formats
them (report/builder/chartformat.py); full precision stays in the data packages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import escape

from report.builder.chartformat import display, machine

VIEW_LISTS = ("layer", "hconcat", "vconcat", "concat")
GENERATED = ("sequence", "sphere", "graticule")
HIDDEN_CHANNELS = {"order", "detail", "key", "href", "url", "description", "xOffset", "yOffset"}
POSITIONS = ("x", "y")
SERIES_CHANNELS = ("color", "fill", "stroke", "strokeDash", "shape", "detail", "column", "row", "facet")
MAX_SERIES = 12


class ChartDataError(Exception):
    """A chart whose data cannot be offered for download (not inline in the spec, or headers repeat)."""


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

    def text(self, value) -> str:
        """The value as the chart writes it (grouped digits, a true minus)."""
        return display(value, self.kind, self.format, self.format_type)

    def csv(self, value) -> str:
        """The value as the chart rounds it, in plain digits a spreadsheet reads as a number."""
        return machine(value, self.kind, self.format, self.format_type)


@dataclass
class ChartTable:
    """Rows (dicts by field) and the columns the chart shows, in reading order."""

    columns: list[Column]
    rows: list[dict]

    def cells(self) -> list[list[str]]:
        """Each row as display text, formatted as the chart's axes and tooltips format it."""
        return [[c.text(row.get(c.field)) for c in self.columns] for row in self.rows]

    def body_html(self) -> str:
        """The rows of `cells` as escaped HTML table rows: a page provider may write hundreds of tables, and this
        is several times quicker than a template loop over every cell."""
        opens = ['<td class="numeric">' if c.numeric else "<td>" for c in self.columns]
        return "".join("<tr>" + "".join(f"{o}{escape(cell)}</td>" for o, cell in zip(opens, row))
                       + "</tr>\n" for row in self.cells())


@dataclass
class View:
    """One mark and the rows it draws: its dataset's name and its encoding, channel by channel."""

    key: str
    mark: str | None
    encoding: dict[str, list[dict]]

    def fields(self, channels) -> list[tuple[str, dict]]:
        return [(c, d) for c in channels for d in self.encoding.get(c, [])]

    @property
    def tooltip(self) -> list[dict]:
        return self.encoding.get("tooltip", [])


@dataclass
class _Draft:
    """A table in the making: full dataset rows, the columns shown, and the views that draw them."""

    columns: list[Column]
    rows: list[dict]
    views: list[View] = field(default_factory=list)


def field_uses(spec: dict, label: str = "chart") -> tuple[dict[str, list], list[tuple[str, str, dict, str]]]:
    """The chart's datasets by name, and (dataset, channel, field definition, mark) for every field used."""
    datasets, views = chart_views(spec, label)
    uses = [(v.key, channel, d, v.mark) for v in views for channel, defs in v.encoding.items() for d in defs]
    return datasets, uses


def chart_views(spec: dict, label: str = "chart") -> tuple[dict[str, list[dict]], list[View]]:
    """The chart's datasets (rows by name) and every mark that draws fields from one of them."""
    datasets = dict(spec.get("datasets", {}))
    views = []
    for data, mark, encoding in _walk(spec, None, None, {}):
        key = _dataset_key(data, label, datasets)
        if key is not None and encoding:
            views.append(View(key, mark, encoding))
    rows = {key: [row for row in values if isinstance(row, dict)] if isinstance(values, list) else []
            for key, values in datasets.items()}
    return rows, views


def chart_tables(spec: dict, label: str = "chart") -> list[ChartTable]:
    """The chart's data tables, main table (most rows) first, by the rule in this module's docstring."""
    datasets, views = chart_views(spec, label)
    drawn = [v for v in views if v.mark != "text"]
    data_views = [v for v in drawn if v.tooltip] or drawn or views  # a chart of text alone offers its text
    titles = _tooltip_titles(views)
    drafts: dict[str, _Draft] = {}
    for view in data_views:
        draft = drafts.setdefault(view.key, _Draft([], datasets.get(view.key, [])))
        draft.views.append(view)
        _add_columns(draft, view, titles)
    tables = _merge([d for d in drafts.values() if d.columns])
    out = [_pivot(draft, titles) for draft in tables]
    for table in out:
        _check_headers(table, label)
    return out


def _walk(spec: dict, data, mark, inherited: dict):
    """(data reference, mark type, encoding as channel -> field definitions) for every unit view. A layer's
    encoding passes to its views (theirs wins, channel by channel), and a facet's fields to each view it
    repeats."""
    data = spec.get("data", data)
    mark = spec.get("mark", mark)
    mark = mark.get("type") if isinstance(mark, dict) else mark
    encoding = dict(inherited)
    for channel, value in (spec.get("encoding") or {}).items():
        defs = [item for definition in (value if isinstance(value, list) else [value])
                for item in (definition, (definition or {}).get("condition"))
                if isinstance(item, dict) and isinstance(item.get("field"), str)]
        if defs:
            encoding[channel] = defs
        else:
            encoding.pop(channel, None)  # a value or a datum set here replaces the layer's field
    facet = spec.get("facet")
    if isinstance(facet, dict):
        for channel, item in ([("facet", facet)] if "field" in facet else facet.items()):
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                encoding[channel] = [item]
    children = [c for key in VIEW_LISTS for c in spec.get(key, [])]
    if isinstance(spec.get("spec"), dict):
        children.append(spec["spec"])
    if not children:
        if mark is not None:
            yield data, mark, encoding
        return
    passed = encoding if "layer" in spec or "facet" in spec else {}
    for child in children:
        yield from _walk(child, data, mark, passed)


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


def _tooltip_titles(views: list[View]) -> dict[str, dict]:
    """Each field's first tooltip definition in the chart: how the chart names and formats that value."""
    found: dict[str, dict] = {}
    for view in views:
        for definition in view.tooltip:
            found.setdefault(definition["field"], definition)
    return found


def _add_columns(draft: _Draft, view: View, titles: dict[str, dict]) -> None:
    """The view's tooltip fields, then the positions it is drawn at that no column already names."""
    present = {name for row in draft.rows for name in row}
    chosen = view.fields(["tooltip"]) if view.tooltip else \
        [(c, d) for c, d in view.fields(view.encoding) if c not in HIDDEN_CHANNELS and not _literal(c, d)]
    chosen += [(c, d) for c, d in view.fields(POSITIONS + ("row", "column", "facet"))]
    for channel, definition in chosen:
        name = _field_name(definition["field"], present)
        if name is None or any(c.field == name for c in draft.columns):
            continue
        if channel != "tooltip" and view.tooltip and _renamed(name, draft):
            continue  # drawn at a value a tooltip field already gives under another name (year, "2019-20")
        column = _column(name, definition, None if channel == "tooltip" else titles.get(name))
        first = channel != "tooltip" and not column.numeric and view.tooltip  # a row's name before its values
        draft.columns.insert(0 if first else len(draft.columns), column)


def _literal(channel: str, definition: dict) -> bool:
    return channel in ("color", "fill", "stroke") and "scale" in definition and definition["scale"] is None


def _renamed(name: str, draft: _Draft) -> bool:
    """Whether a label column names the same values one to one (a measure may happen to, so it does not)."""
    return any(_bijective(draft.rows, name, c.field) for c in draft.columns if not c.numeric)


def _column(name: str, definition: dict, tooltip: dict | None) -> Column:
    source = tooltip or definition
    guide = next((definition[k] for k in ("axis", "legend", "header") if isinstance(definition.get(k), dict)), {})
    title = source.get("title") or definition.get("title") or name
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return Column(name, str(title), source.get("format") or guide.get("format"),
                  source.get("formatType") or guide.get("formatType"), source.get("type", "nominal"))


def _field_name(name: str, present: set[str]) -> str | None:
    """The dataset column a field names (Vega-Lite escapes dots and brackets with a backslash)."""
    for candidate in (name, name.replace("\\.", ".").replace("\\[", "[").replace("\\]", "]")):
        if candidate in present:
            return candidate
    return None


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Tables with the same columns joined (one chart split into panels); a table whose rows another holds
    left out."""
    drafts = sorted(drafts, key=lambda d: -len(d.rows))
    kept: list[_Draft] = []
    for draft in drafts:
        fields = [c.field for c in draft.columns]
        if any(_holds(other, draft) for other in kept):
            continue
        same = next((k for k in kept if [c.field for c in k.columns] == fields), None)
        if same is not None:
            same.rows = same.rows + draft.rows
            same.views += draft.views
        else:
            kept.append(draft)
    return kept


def _holds(big: _Draft, small: _Draft) -> bool:
    """Whether every row of `small` is in `big` (on `small`'s columns, all of which `big` has)."""
    fields = [c.field for c in small.columns]
    if not set(fields) <= {c.field for c in big.columns}:
        return False
    have = {tuple(repr(row.get(f)) for f in fields) for row in big.rows}
    return all(tuple(repr(row.get(f)) for f in fields) in have for row in small.rows)


def _pivot(draft: _Draft, titles: dict[str, dict]) -> ChartTable:
    """One column per series where a series field splits the rows along a shared position, else as drawn."""
    plan = _pivot_plan(draft)
    if plan is None:
        return ChartTable(draft.columns, [{c.field: row.get(c.field) for c in draft.columns} for row in draft.rows])
    series, shown, key, order = plan
    groups: dict = {}
    for row in _by_position(draft.rows, key):
        groups.setdefault(repr(row.get(key)), []).append(row)
    constant = [c for c in draft.columns if c.field not in (series, shown)
                and all(len({repr(r.get(c.field)) for r in g}) == 1 for g in groups.values())]
    varying = [c for c in draft.columns if c.field not in (series, shown) and c not in constant]
    if not varying:  # the series draw the same values: the rows as drawn say which is which
        return ChartTable(draft.columns, [{c.field: row.get(c.field) for c in draft.columns} for row in draft.rows])
    columns: list[Column] = []
    for column in draft.columns:
        if column in constant:
            columns.append(column)
        elif column is (varying[0] if varying else None):
            columns += [Column(f"{c.field}\x1f{s}", f"{s}: {c.title}", c.format, c.format_type, c.kind)
                        for s in order for c in varying]
    if len({tuple(repr(g[0].get(c.field)) for c in constant) for g in groups.values()}) < len(groups):
        definition = next(d for v in draft.views for _, d in v.fields(POSITIONS) if d["field"] == key)
        columns.insert(0, _column(key, definition, titles.get(key)))  # the rows need their position named
        constant.insert(0, columns[0])
    rows = []
    for group in groups.values():
        row = {c.field: group[0].get(c.field) for c in constant}
        for member in group:
            row |= {f"{c.field}\x1f{member.get(shown)}": member.get(c.field) for c in varying}
        rows.append(row)
    return ChartTable(columns, rows)


def _by_position(rows: list[dict], key: str) -> list[dict]:
    """Rows in the order of a numeric or dated position (years, as the axis runs), else as they come."""
    values = [r.get(key) for r in rows]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) or \
            all(isinstance(v, str) and v[:4].isdigit() for v in values):
        return sorted(rows, key=lambda r: r.get(key))
    return rows


def _pivot_plan(draft: _Draft) -> tuple[str, str, str, list] | None:
    """(series field, the column that names each series, key position field, series in order), or None."""
    fields = {c.field for c in draft.columns}
    positions = [d["field"] for v in draft.views for _, d in v.fields(POSITIONS)]
    for view in draft.views:
        for _, definition in view.fields(SERIES_CHANNELS):
            series = definition["field"]
            if definition.get("type") == "quantitative" or series in positions:
                continue
            shown = series if series in fields else next(
                (c.field for c in draft.columns if _bijective(draft.rows, series, c.field)), None)
            key = _key(draft.rows, series, [p for p in positions if p != shown])
            if shown is None or key is None:
                continue
            order = _series_order(draft.rows, series, shown, view)
            if 2 <= len(order) <= MAX_SERIES:
                return series, shown, key, order
    return None


def _key(rows: list[dict], series: str, positions: list[str]) -> str | None:
    """The position shared by the series: the field with fewest values that, with the series, names one row."""
    best = None
    for name in dict.fromkeys(positions):
        pairs = [(repr(r.get(name)), repr(r.get(series))) for r in rows]
        values = {p[0] for p in pairs}
        if len(set(pairs)) == len(rows) and len(values) < len(rows) and (best is None or len(values) < best[1]):
            best = (name, len(values))
    return best[0] if best else None


def _series_order(rows: list[dict], series: str, shown: str, view: View) -> list:
    """Series names in the order of a colour, dash or shape scale's domain (the series field's own, or that
    of a field each series has one value of), else as the rows meet them."""
    names = {repr(r.get(series)): r.get(shown) for r in rows}
    for _, definition in view.fields(SERIES_CHANNELS):
        domain = (definition.get("scale") or {}).get("domain")
        by = definition["field"]
        if not isinstance(domain, list) or not _function(rows, series, by):
            continue
        rank = {repr(v): i for i, v in enumerate(domain)}
        first = {}
        for r in rows:
            first.setdefault(repr(r.get(series)), rank.get(repr(r.get(by)), len(rank)))
        return [names[k] for k in sorted(names, key=lambda k: first[k])]  # stable: ties keep row order
    return list(dict.fromkeys(names.values()))


def _function(rows: list[dict], a: str, b: str) -> bool:
    """Whether each value of field `a` goes with one value of field `b`."""
    pairs = {(repr(r.get(a)), repr(r.get(b))) for r in rows}
    return len(pairs) == len({p[0] for p in pairs})


def _bijective(rows: list[dict], a: str, b: str) -> bool:
    """Whether fields `a` and `b` name each other one to one across `rows` (both present)."""
    if a == b or not rows or any(a not in r or b not in r for r in rows):
        return False
    pairs = {(repr(r[a]), repr(r[b])) for r in rows}
    return len(pairs) == len({p[0] for p in pairs}) == len({p[1] for p in pairs})


def _check_headers(table: ChartTable, label: str) -> None:
    seen = [c.title for c in table.columns]
    repeated = sorted({t for t in seen if seen.count(t) > 1})
    if repeated:
        raise ChartDataError(f"chart {label}: two table columns are headed {repeated}; give their tooltips "
                             "distinct titles")
