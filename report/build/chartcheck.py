"""Checks on every chart before it is published: contrast of marks and text, colour never the only cue,
and a runtime that can draw it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from report.build.assets import unsupported_transforms
from report.build.convert import Chart

MARK_CONTRAST = 3.0  # WCAG 1.4.11 non-text contrast
TEXT_CONTRAST = 4.5  # WCAG 1.4.3; 3.0 for large text
NAMED = {"white": "#ffffff", "black": "#000000", "grey": "#808080", "gray": "#808080",
         "steelblue": "#4682b4", "red": "#ff0000", "blue": "#0000ff", "green": "#008000",
         "orange": "#ffa500", "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3", "darkgray": "#a9a9a9"}
NO_PAINT = {"", "none", "transparent"}
COLOUR_CHANNELS = {"color", "fill", "stroke"}
OTHER_CHANNELS = {"x", "y", "x2", "y2", "text", "shape", "strokeDash", "row", "column", "facet",
                  "theta", "radius", "size", "angle"}
SVG = "{http://www.w3.org/2000/svg}"


def chart_problems(chart: Chart, where: str) -> list[str]:
    """Everything that stops this chart being published, each naming the chart."""
    name = f"{where}: chart {chart.label}"
    problems = [f"{name} uses {t}, which the site's chart runtime leaves out (report/build/assets.py)"
                for t in unsupported_transforms(chart.vega)]
    problems += [f"{name}: {p}" for p in contrast_problems(chart.svg)]
    problems += [f"{name}: field {f!r} is shown by colour alone; also encode it as a direct label "
                 "(text), shape, strokeDash or facet (WCAG 1.4.1)" for f in colour_only_fields(chart.vegalite)]
    return problems


def contrast_problems(svg: str) -> list[str]:
    """Marks below 3:1 and text below 4.5:1 (3:1 when large) against the chart's background."""
    root = ET.fromstring(svg)
    background = _background(root)
    problems = set()
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        in_mark = "role-mark" in classes
        for item in group:
            if item.tag == f"{SVG}g":
                continue
            if item.tag == f"{SVG}text":
                problems |= _text_problem(item, background)
            elif in_mark:
                problems |= _mark_problem(item, background, classes[0] if classes else "mark")
    return sorted(problems)


def _text_problem(item: ET.Element, background: tuple) -> set[str]:
    colour = _paint(item.get("fill") or "#000000")
    if colour is None or _alpha(item, "fill-opacity") == 0:
        return set()
    size = float(re.sub(r"[^0-9.]", "", item.get("font-size", "11")) or 11)
    bold = item.get("font-weight", "normal") in ("bold", "700", "800", "900")
    needed = 3.0 if size >= 24 or (bold and size >= 18.66) else TEXT_CONTRAST
    ratio = contrast(_blend(colour, _alpha(item, "fill-opacity"), background), background)
    if ratio < needed:
        text = "".join(item.itertext()).strip()[:40]
        return {f"text {text!r} in {item.get('fill')} has contrast {ratio:.2f}:1, needs {needed}:1"}
    return set()


def _mark_problem(item: ET.Element, background: tuple, kind: str) -> set[str]:
    """A mark's main paint: its fill, or its stroke when it has no fill (lines, rules, hollow points)."""
    attribute = "fill" if item.get("fill", "none").strip().lower() not in NO_PAINT else "stroke"
    colour = _paint(item.get(attribute, ""))
    alpha = _alpha(item, f"{attribute}-opacity")
    if colour is None or alpha == 0 or colour == background:
        return set()  # background-coloured marks only cut into other marks (a box plot's median)
    ratio = contrast(_blend(colour, alpha, background), background)
    if ratio < MARK_CONTRAST:
        return {f"{kind} in {item.get(attribute)} has contrast {ratio:.2f}:1 with the background, "
                f"needs {MARK_CONTRAST}:1"}
    return set()


def _background(root: ET.Element) -> tuple:
    first = root.find(f"{SVG}rect")
    colour = _paint(first.get("fill", "")) if first is not None else None
    return colour or (1.0, 1.0, 1.0)


def _alpha(item: ET.Element, attribute: str) -> float:
    value = 1.0
    for name in ("opacity", attribute):
        try:
            value *= float(item.get(name, "1"))
        except ValueError:
            pass
    return value


def _paint(value: str) -> tuple | None:
    """An SVG colour as 0-1 RGB; None for no paint or gradients. Unknown names fail loudly."""
    text = value.strip().lower()
    if text in NO_PAINT or text.startswith("url("):
        return None
    text = NAMED.get(text, text)
    if re.fullmatch(r"#[0-9a-f]{3}", text):
        text = "#" + "".join(c * 2 for c in text[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", text):
        return tuple(int(text[i:i + 2], 16) / 255 for i in (1, 3, 5))
    match = re.fullmatch(r"rgba?\(([^)]*)\)", text)
    if match:
        parts = [float(p) for p in re.split(r"[\s,/]+", match.group(1).strip()) if p]
        return tuple(p / 255 for p in parts[:3])
    raise ValueError(f"cannot check the contrast of colour {value!r}: use hex colours in charts")


def _blend(colour: tuple, alpha: float, background: tuple) -> tuple:
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour, background))


def luminance(colour: tuple) -> float:
    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple, b: tuple) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_only_fields(spec: dict) -> list[str]:
    """Fields encoded by colour in some view and by no other visible channel anywhere in the chart."""
    coloured, other = set(), set()
    for channel, item in _encodings(spec):
        if channel in COLOUR_CHANNELS:
            coloured.add(item)
        elif channel in OTHER_CHANNELS:
            other.add(item)
    return sorted(coloured - other)


def _encodings(spec: dict):
    for channel, value in (spec.get("encoding") or {}).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                yield channel, item["field"]
    facet = spec.get("facet")
    if isinstance(facet, dict):
        for channel, item in ([("facet", facet)] if "field" in facet else facet.items()):
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                yield "facet", item["field"]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from _encodings(child)
    if isinstance(spec.get("spec"), dict):
        yield from _encodings(spec["spec"])
