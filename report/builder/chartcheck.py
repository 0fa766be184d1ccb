"""Checks on every chart before it is published: contrast of marks and text, colour never the only cue,
and a runtime that can draw it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from report.builder.assets import unsupported_transforms
from report.builder.chartdata import field_uses
from report.builder.convert import Chart

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


@dataclass(frozen=True)
class Finding:
    """A chart that falls short of WCAG 2.2 AA: what to fix (for authors) and what readers meet."""

    label: str
    where: str
    message: str
    reader: str


def runtime_problems(chart: Chart, where: str) -> list[str]:
    """What stops the chart drawing on the site at all (always fatal)."""
    return [f"{where}: chart {chart.label} uses {t}, which the site's chart runtime leaves out "
            "(report/builder/assets.py)" for t in unsupported_transforms(chart.vega)]


def accessibility_findings(chart: Chart, where: str) -> list[Finding]:
    """Low contrast of text or marks, and categories told apart by colour alone."""
    return contrast_findings(chart, where) + colour_findings(chart, where)


def contrast_findings(chart: Chart, where: str) -> list[Finding]:
    """Text or marks of the chart's static SVG below WCAG's contrast ratios."""
    return [Finding(chart.label, where, message, reader) for message, reader in sorted(_contrast(chart.svg))]


def colour_findings(chart: Chart, where: str) -> list[Finding]:
    """Categories of the Vega-Lite spec's data told apart by colour alone (needs no SVG)."""
    return [Finding(chart.label, where,
                    f"field {f!r} is told apart by colour alone (a legend is colour too); label the marks "
                    "directly with text, or also encode it as shape, strokeDash, an axis or a facet "
                    "(WCAG 1.4.1)", f"its {_noun(chart.vegalite, f)} are told apart by colour only")
            for f in colour_only_fields(chart.vegalite)]


NOUNS = {"line": "lines", "trail": "lines", "bar": "bars", "rect": "areas", "area": "areas", "arc": "slices",
         "point": "points", "circle": "points", "square": "points", "tick": "marks", "rule": "lines"}


def _noun(spec: dict, name: str) -> str:
    """What readers see coloured by a field: "lines", "bars"... (for the accessibility statement)."""
    _, uses = field_uses(spec)
    marks = sorted({NOUNS.get(mark, "marks") for _, channel, d, mark in uses
                    if channel in COLOUR_CHANNELS and d["field"] == name})
    return " and ".join(marks) or "marks"


def contrast_problems(svg: str) -> list[str]:
    """What `_contrast` finds, as messages for the chart's author."""
    return sorted(message for message, _ in _contrast(svg))


def _contrast(svg: str) -> set[tuple[str, str]]:
    """Marks below 3:1 and text below 4.5:1 (3:1 when large) against the chart's background.

    Text may sit on a mark (a count inside a bar), so it passes against any mark colour of the chart.
    Marks of a chart that labels them with text carry no information by their colour's contrast alone;
    marks declared decorative (`aria=False`, so hidden from assistive technology) are not checked.
    """
    root = ET.fromstring(svg)
    background = _background(root)
    marks, texts = [], []
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        for item in group:
            if item.tag == f"{SVG}text" and "".join(item.itertext()).strip():
                texts.append((item, "role-mark" in classes))
            elif item.tag != f"{SVG}g" and "role-mark" in classes and "background" not in item.get("class", ""):
                marks.append((item, classes[0], group.get("aria-hidden") == "true"))
    fills = [_main_paint(item, background) for item, _, _ in marks]
    surfaces = [background] + [colour for colour in fills if colour is not None]
    problems = set()
    for item, _ in texts:
        problems |= _text_problem(item, surfaces)
    if not any(labelled for _, labelled in texts):
        for (item, kind, decorative), colour in zip(marks, fills):
            if not decorative:
                problems |= _mark_problem(item, colour, background, kind)
    return problems


def _main_paint(item: ET.Element, background: tuple) -> tuple | None:
    """A mark's main paint blended over the background: its fill, else its stroke (lines, rules)."""
    attribute = "fill" if item.get("fill", "none").strip().lower() not in NO_PAINT else "stroke"
    colour = _paint(item.get(attribute, ""))
    alpha = _alpha(item, f"{attribute}-opacity")
    if colour is None or alpha == 0:
        return None
    return _blend(colour, alpha, background)


def _text_problem(item: ET.Element, surfaces: list[tuple]) -> set[str]:
    colour = _paint(item.get("fill") or "#000000")
    if colour is None or _alpha(item, "fill-opacity") == 0:
        return set()
    size = float(re.sub(r"[^0-9.]", "", item.get("font-size", "11")) or 11)
    bold = item.get("font-weight", "normal") in ("bold", "700", "800", "900")
    needed = 3.0 if size >= 24 or (bold and size >= 18.66) else TEXT_CONTRAST
    ink = _blend(colour, _alpha(item, "fill-opacity"), surfaces[0])
    ratio = max(contrast(ink, surface) for surface in surfaces)
    if ratio < needed:
        text = "".join(item.itertext()).strip()[:40]
        return {(f"text {text!r} in {item.get('fill')} has contrast {ratio:.2f}:1, needs {needed}:1 (use a "
                 "darker colour, e.g. report.theme.TEXT, or bold text of at least 18.66 px)",
                 f"some of its text has a contrast of {ratio:.1f}:1, below {needed}:1")}
    return set()


def _mark_problem(item: ET.Element, colour: tuple | None, background: tuple, kind: str) -> set[str]:
    if colour is None or colour == background:
        return set()  # background-coloured marks only cut into other marks (a box plot's median)
    ratio = contrast(colour, background)
    if ratio < MARK_CONTRAST:
        paint = item.get("fill") if item.get("fill", "none").strip().lower() not in NO_PAINT else item.get("stroke")
        return {(f"{kind} in {paint} has contrast {ratio:.2f}:1 with the background, needs {MARK_CONTRAST}:1 "
                 "(darker or opaque marks; or label them with text; or, if purely decorative, aria=False)",
                 f"some of its marks have a contrast of {ratio:.1f}:1 with the background, below "
                 f"{MARK_CONTRAST:.0f}:1")}
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
    """Fields that only colour tells apart.

    A category coloured is also shown if another channel encodes it, or the chart writes every one of
    its values or as many word labels as it has values (direct labels, perhaps reworded: "own_la" ->
    "Own provision 43%"); a coloured quantity is also shown by any text labels.
    Colours given literally by a field (`scale: null`) map no data.
    """
    datasets, uses = field_uses(spec)
    other = {d["field"] for _, channel, d, _ in uses if channel in OTHER_CHANNELS}
    texts = _texts(spec, datasets, uses)
    words = " ".join(texts).lower()
    names = {t for t in texts if re.search(r"[^\W\d_]", t)}  # labels with letters, not bare numbers
    has_text = bool(words.strip())
    flagged = set()
    for key, channel, definition, _ in uses:
        name = definition["field"]
        if channel not in COLOUR_CHANNELS or "scale" in definition and definition["scale"] is None:
            continue
        if name in other:
            continue
        if definition.get("type") in ("quantitative", "temporal"):
            if not has_text:
                flagged.add(name)
            continue
        values = {str(row[name]).lower() for row in datasets.get(key, []) if row.get(name) is not None}
        if any(value not in words for value in values) and len(names) < len(values):
            flagged.add(name)  # neither every value written nor as many word labels as values
    return sorted(flagged)


def _texts(spec: dict, datasets: dict, uses: list) -> list[str]:
    """Every piece of text the chart writes: text channels' values and literal text marks."""
    found = [str(row.get(d["field"], "")) for key, channel, d, _ in uses if channel == "text"
             for row in datasets.get(key, [])]
    return found + list(_literal_texts(spec))


def _literal_texts(spec):
    mark = spec.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text" and isinstance(mark.get("text"), (str, list)):
        yield " ".join(mark["text"]) if isinstance(mark["text"], list) else mark["text"]
    text = (spec.get("encoding") or {}).get("text")
    if isinstance(text, dict) and isinstance(text.get("value"), str):
        yield text["value"]
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from _literal_texts(child)
    if isinstance(spec.get("spec"), dict):
        yield from _literal_texts(spec["spec"])
