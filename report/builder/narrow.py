"""The phone form of a chart: the same Vega-Lite spec laid out for a narrow container, in one place.

A chart is drawn for the desktop column; on a phone that drawing would be scaled down to half its size and its
text with it. `for_width` rewrites a spec for a width instead (no chart has a copy of its own): every font
at least the house minimum (report.theme.PHONE), side-by-side views stacked in one column, long titles and
axis labels wrapped, fewer ticks, and every view's width set so that the whole drawing, axes and labels
included, is no wider than the target. That last needs the drawing measured, so `fit` compiles, measures
the SVG and narrows the views by what the drawing is too wide, a few times over.
"""

from __future__ import annotations

import copy
import json
import re
import textwrap
from typing import Callable

from report.theme import PHONE, PHONE_OMIT

FONT_KEYS = {"fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize"}
LIMIT_KEYS = {"labelLimit", "minExtent", "maxExtent"}
VIEW_KEYS = ("mark", "layer")
COMPOSITE_KEYS = ("hconcat", "vconcat", "concat")
SVG_WIDTH = re.compile(r'<svg[^>]*\swidth="([\d.]+)"')
TRIES = 5
PHONE_TEXT = "phone_text"  # the wrapped copy of a text mark's field


def for_width(spec: dict, view_width: float) -> dict:
    """`spec` laid out for a narrow container, each view `view_width` wide (before `fit` adjusts it)."""
    narrow = copy.deepcopy(spec)
    _omit(narrow)
    _stack(narrow)
    _fonts(narrow)
    _limits(narrow)
    _text_marks(narrow)
    _title(narrow)
    narrow["config"] = _config(narrow.get("config", {}))
    _set_widths(narrow, round(view_width))
    return narrow


def fit(spec: dict, draw: Callable[[dict], tuple[dict, str]], width: float = PHONE["width"]) -> tuple[dict, dict, str]:
    """The phone form of `spec` whose drawing (by `draw`: Vega-Lite -> (Vega, SVG)) is at most `width` wide:
    (Vega-Lite, Vega, SVG)."""
    view_width = width - 80
    for _ in range(TRIES):
        narrow = for_width(spec, view_width)
        vega, svg = draw(narrow)
        drawn = svg_width(svg)
        if drawn <= width or view_width <= PHONE["least_view"]:
            break
        views = max(1, _widest_row(narrow))
        view_width = max(PHONE["least_view"], view_width - (drawn - width) / views - 2)
    return narrow, vega, svg


def svg_width(svg: str) -> float:
    match = SVG_WIDTH.search(svg)
    return float(match.group(1)) if match else 0.0


def _walk(node, visit: Callable[[dict], None]) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _fonts(spec: dict) -> None:
    """Every font size at least the phone minimum, marks, axes, legends, headers, titles and config alike."""
    def raise_font(node: dict) -> None:
        for key in FONT_KEYS & node.keys():
            if isinstance(node[key], (int, float)) and node[key] < PHONE["font"]:
                node[key] = PHONE["font"]
    _walk(spec, raise_font)


def _limits(spec: dict) -> None:
    """Axis label room capped to a share of the width; long labels wrap onto two lines instead."""
    cap = PHONE["label_room"]

    def cap_limits(node: dict) -> None:
        for key in LIMIT_KEYS & node.keys():
            if isinstance(node[key], (int, float)) and node[key] > cap:
                node[key] = cap
    _walk(spec, cap_limits)

    def wrap_labels(node: dict) -> None:
        x = node.get("x")
        if isinstance(x, dict) and x.get("type") == "ordinal" and isinstance(x.get("axis", {}), dict):
            x.setdefault("axis", {}).setdefault("labelOverlap", "parity")  # every other year, not a smudge
        for channel in ("y", "row"):
            encoding = node.get(channel)
            if isinstance(encoding, dict) and encoding.get("type") in ("nominal", "ordinal") \
                    and isinstance(encoding.get("axis", {}), dict):
                axis = encoding.setdefault("axis", {})
                axis.setdefault("labelExpr", wrap_expression(PHONE["label_chars"], lines=2))
    _walk(spec, lambda node: wrap_labels(node["encoding"]) if isinstance(node.get("encoding"), dict) else None)


def wrap_expression(chars: int, text: str = "datum.label", lines: int = 3) -> str:
    """A Vega expression for `text` as lines of at most `chars` characters (broken at the last space that
    allows, at most `lines` lines, the last taking the rest). Plain string functions only: the CSP-safe
    interpreter has no regular expressions to offer."""
    return f"split({_broken(text, chars, lines)}, '\\n')"


def _broken(text: str, chars: int, lines: int) -> str:
    """`text` with newlines put in (see `wrap_expression`)."""
    if lines == 1:
        return text
    cut = f"lastindexof(slice({text}, 0, {chars + 1}), ' ')"
    rest = _broken(f"slice({text}, {cut} + 1)", chars, lines - 1)
    return f"(length({text}) <= {chars} || {cut} < 1 ? {text} : slice({text}, 0, {cut}) + '\\n' + {rest})"


def _text_marks(spec: dict) -> None:
    """Text marks drawing a text field show it wrapped (a copy of the field, made in the view's transforms)."""
    def wrap(node: dict) -> None:
        mark = node.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        text = node.get("encoding", {}).get("text")
        if kind != "text" or not isinstance(text, dict) or "field" not in text or text.get("type") != "nominal" \
                or "format" in text:
            return
        accessor = f"datum[{json.dumps(text['field'])}]"
        node["transform"] = [*node.get("transform", []), {"calculate": wrap_expression(
            PHONE["text_chars"], f"('' + {accessor})", 3), "as": PHONE_TEXT}]
        node["encoding"]["text"] = {"field": PHONE_TEXT, "type": "nominal"}
    _walk(spec, wrap)


def _title(spec: dict) -> None:
    """The chart's title and subtitle broken into lines that fit the phone width."""
    if isinstance(spec.get("title"), dict):
        spec["title"] = spec["title"] | wrapped_title(spec["title"])


def wrapped_title(title: dict) -> dict:
    """`text` and `subtitle` of a title as lists of lines that fit the phone width."""
    wrapped = {}
    for key, chars in (("text", PHONE["title_chars"]), ("subtitle", PHONE["subtitle_chars"])):
        value = title.get(key)
        if value:
            lines = [value] if isinstance(value, str) else list(value)
            wrapped[key] = [part for line in lines for part in textwrap.wrap(line, chars)]
    return wrapped


def _config(config: dict) -> dict:
    """Phone config: fewer ticks, labels that may not overlap, the legend above the plot."""
    config = copy.deepcopy(config)
    for kind in ("axisQuantitative", "axisTemporal"):  # a band axis keeps every label (they wrap instead)
        config.setdefault(kind, {}).update({"labelOverlap": True, "tickCount": PHONE["ticks"]})
    legend = config.setdefault("legend", {})
    legend.update({"orient": "top", "direction": "horizontal", "columns": 1})
    view = config.setdefault("view", {})
    view.update({"continuousWidth": PHONE["width"] - 80, "discreteWidth": PHONE["width"] - 80})
    return config


def _stack(spec) -> None:
    """Side by side becomes one above another: hconcat to vconcat, wrapped concat and facets in one column,
    facet columns to wrapped rows (headers stay above each view)."""
    def stack(node: dict) -> None:
        if "hconcat" in node:
            node["vconcat"] = node.pop("hconcat")
        if "concat" in node or ("facet" in node and "columns" in node):
            node["columns"] = 1
        facet = node.get("facet")
        if isinstance(facet, dict) and "column" in facet and "row" not in facet:
            node["facet"] = facet.pop("column")
            node["columns"] = 1
        encoding = node.get("encoding")
        if isinstance(encoding, dict) and "column" in encoding and "row" not in encoding:
            encoding["facet"] = encoding.pop("column")
            node["columns"] = 1
    _walk(spec, stack)


def _set_widths(spec: dict, width: int, taller: float = PHONE["taller"]) -> None:
    """Each view `width` wide (and a plot of some height taller): a composite's parts, a facet's inner spec,
    a layer (not its members)."""
    if any(key in spec for key in COMPOSITE_KEYS):
        for part in next(spec[key] for key in COMPOSITE_KEYS if key in spec):
            _set_widths(part, width, taller)
    elif "spec" in spec:  # a facet's views, now one above another, each lower than it was side by side
        _set_widths(spec["spec"], width, PHONE["facet_height"])
    elif any(key in spec for key in VIEW_KEYS):
        if isinstance(spec.get("width"), (int, float)) and spec["width"] > width:
            _narrow_ticks(spec, width / spec["width"])
        spec["width"] = width
        if isinstance(spec.get("height"), (int, float)) and spec["height"] >= PHONE["tall_from"] \
                and _continuous_y(spec):
            spec["height"] = round(spec["height"] * taller)  # labels spread in data units get room
        for member in spec.get("layer", []):
            member.pop("width", None)


def _narrow_ticks(view: dict, ratio: float) -> None:
    """Ticks across the bands of an x axis (drawn a fixed length) shortened as the bands are."""
    for member in [view, *view.get("layer", [])]:
        mark, x = member.get("mark"), member.get("encoding", {}).get("x", {})
        if isinstance(mark, dict) and mark.get("type") == "tick" and isinstance(mark.get("size"), (int, float)) \
                and isinstance(x, dict) and x.get("type") in ("ordinal", "nominal"):
            mark["size"] = round(mark["size"] * ratio, 1)


def _continuous_y(view: dict) -> bool:
    """Whether a view's y is a continuous scale (a band scale's rows keep their step)."""
    return any(member.get("encoding", {}).get("y", {}).get("type") in ("quantitative", "temporal")
               for member in [view, *view.get("layer", [])] if isinstance(member.get("encoding", {}).get("y"), dict))


def _omit(spec: dict) -> None:
    """Layers named as detail the phone leaves out (report.theme.PHONE_OMIT) are dropped."""
    def drop(node: dict) -> None:
        if isinstance(node.get("layer"), list):
            node["layer"] = [m for m in node["layer"] if not str(m.get("name", "")).startswith(PHONE_OMIT)]
    _walk(spec, drop)


def _widest_row(spec: dict) -> int:
    """How many views sit side by side at most (1 once stacked; more for a concat that could not be)."""
    if "hconcat" in spec:
        return sum(_widest_row(part) for part in spec["hconcat"])
    if "vconcat" in spec or "concat" in spec:
        return max((_widest_row(part) for part in spec.get("vconcat", spec.get("concat", []))), default=1)
    return 1
