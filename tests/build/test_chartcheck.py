"""Charts are refused when marks or text lack contrast, colour is the only cue, or the runtime cannot draw them."""

from __future__ import annotations

from report.build.chartcheck import chart_problems, colour_only_fields, contrast_problems
from report.build.convert import Chart

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="white"/>'
       '<g class="mark-rect role-mark"><path d="M0,0h1v1h-1Z" fill="{mark}" opacity="{opacity}"/></g>'
       '<g class="mark-text role-axis"><text font-size="12px" fill="{text}">Label</text></g></svg>')


def svg(mark="#12436D", opacity="1", text="#3D3D3D") -> str:
    return SVG.format(mark=mark, opacity=opacity, text=text)


def test_house_colours_pass_and_pale_marks_or_text_fail():
    assert contrast_problems(svg()) == []
    assert contrast_problems(svg(mark="#F46A25")) == []  # orange: 3.03:1
    assert len(contrast_problems(svg(mark="#d9d9d9"))) == 1
    assert len(contrast_problems(svg(opacity="0.3"))) == 1  # dark blue at 30% is pale blue
    [problem] = contrast_problems(svg(text="#808080"))
    assert "Label" in problem and "4.5:1" in problem


def test_a_field_shown_only_by_colour_is_named():
    line = {"mark": "line", "encoding": {"x": {"field": "year"}, "y": {"field": "n"}, "color": {"field": "series"}}}
    assert colour_only_fields(line) == ["series"]
    labelled = {"layer": [line, {"mark": "text", "encoding": {"text": {"field": "series"}}}]}
    assert colour_only_fields(labelled) == []
    assert colour_only_fields({**line, "encoding": {**line["encoding"], "strokeDash": {"field": "series"}}}) == []


def test_a_chart_needing_a_left_out_module_is_refused_with_its_name():
    vega = {"data": [{"name": "d", "transform": [{"type": "geoshape"}]}]}
    chart = Chart("fig-map", "Map", {"description": "d"}, vega, svg())
    [problem] = chart_problems(chart, "chapter money")
    assert "chapter money: chart fig-map" in problem and "geoshape (vega-geo)" in problem
