"""Every chart's phone form (report/builder/narrow.py): no font under 11 px in its spec or its drawing, no wider
than the phone width, the same data as the desktop chart, and the desktop form untouched."""

from __future__ import annotations

import json
import re

import pytest

from report import theme
from report.builder.narrow import FONT_KEYS, for_width, svg_width, wrap_expression
from report.builder.render import draw, render_views
from tests.charts.test_charts import cases, make

DATETIME_MS = re.compile(r"datetime\(-?[\d.]+\)")
SVG_FONT = re.compile(r'font-size="([\d.]+)(?:px)?"')
LEAST = 11


@pytest.fixture(scope="module", autouse=True)
def house_theme():
    theme.enable()


def font_sizes(node) -> list[float]:
    """Every number given as a font size anywhere in a Vega-Lite or Vega spec ({"value": n} in Vega too)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FONT_KEYS:
                value = value.get("value") if isinstance(value, dict) else value
                if isinstance(value, (int, float)):
                    found.append(value)
            found += font_sizes(value)
    elif isinstance(node, list):
        for value in node:
            found += font_sizes(value)
    return found


@pytest.fixture(scope="module")
def forms() -> dict[str, tuple]:
    return {}


def phone_form(case: str, forms: dict) -> tuple:
    if case not in forms:
        spec = make(case).to_dict()
        forms[case] = (spec, *render_views(spec, png=False))
    return forms[case]


@pytest.mark.parametrize("case", cases())
def test_phone_form_has_no_text_under_11_px(case, forms):
    spec, _, _, _, narrow_vega, narrow_svg = phone_form(case, forms)
    assert min(font_sizes(narrow_vega)) >= LEAST
    drawn = [float(size) for size in SVG_FONT.findall(narrow_svg)]
    assert drawn and min(drawn) >= LEAST, f"smallest text in the phone drawing: {min(drawn)} px"
    assert min(font_sizes(for_width(spec, 200))) >= LEAST


@pytest.mark.parametrize("case", cases())
def test_phone_form_fits_the_phone_and_keeps_the_data(case, forms):
    spec, vega, svg, _, narrow_vega, narrow_svg = phone_form(case, forms)
    assert svg_width(narrow_svg) <= theme.PHONE["width"], f"phone drawing {svg_width(narrow_svg)} px wide"
    data = {d["name"]: d["values"] for d in vega["data"] if "values" in d}  # derived datasets may differ
    assert {d["name"]: d["values"] for d in narrow_vega["data"] if "values" in d} == data
    assert "<text" in narrow_svg
    for form in (vega, narrow_vega):  # the browser's interpreter reads datetime(ms) as a year: no date
        assert not DATETIME_MS.search(json.dumps(form))


def test_desktop_form_is_the_plain_compile():
    spec = make(cases()[0]).to_dict()
    assert render_views(spec, png=False)[:2] == draw(spec)


def test_side_by_side_views_are_stacked_and_facets_wrapped_in_one_column():
    unit = {"mark": "bar", "width": 300, "encoding": {"x": {"field": "a", "type": "nominal"}}}
    stacked = for_width({"hconcat": [unit, unit]}, 250)
    assert "hconcat" not in stacked and [v["width"] for v in stacked["vconcat"]] == [250, 250]
    faceted = for_width({"facet": {"column": {"field": "s", "type": "nominal"}}, "spec": unit}, 200)
    assert faceted["facet"] == {"field": "s", "type": "nominal"} and faceted["columns"] == 1
    assert faceted["spec"]["width"] == 200


def test_long_titles_and_labels_wrap():
    spec = {"mark": "bar", "title": {"text": "word " * 20, "subtitle": "longer words " * 10},
            "encoding": {"y": {"field": "name", "type": "nominal", "axis": {"labelLimit": 380}}}}
    narrow = for_width(spec, 200)
    assert all(len(line) <= theme.PHONE["title_chars"] for line in narrow["title"]["text"])
    assert len(narrow["title"]["subtitle"]) > 1
    axis = narrow["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == theme.PHONE["label_room"]
    assert axis["labelExpr"] == wrap_expression(theme.PHONE["label_chars"], lines=2)
