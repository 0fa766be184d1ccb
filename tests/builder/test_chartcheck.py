"""Charts are refused when marks or text lack contrast, colour is the only cue, or the runtime cannot draw them."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.builder.chartcheck import (accessibility_findings, colour_only_fields, contrast_problems,
                                     runtime_problems)
from report.builder.convert import Chart

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


def test_a_category_shown_only_by_colour_is_named_unless_every_value_is_written():
    data = pd.DataFrame({"year": [1, 2, 1, 2], "series": ["North", "North", "South", "South"], "n": [1, 2, 3, 4]})
    line = alt.Chart(data).mark_line().encode(x="year:Q", y="n:Q", color="series:N")
    assert colour_only_fields(line.to_dict()) == ["series"]
    ends = data[data["year"] == 2].assign(label=lambda d: d["series"] + " " + d["n"].astype(str) + "%")
    labelled = line + alt.Chart(ends).mark_text().encode(x="year:Q", y="n:Q", text="label:N")
    assert colour_only_fields(labelled.to_dict()) == []
    counts_only = line + alt.Chart(data).mark_text().encode(x="year:Q", y="n:Q", text="n:Q")
    assert colour_only_fields(counts_only.to_dict()) == ["series"]  # numbers do not name the series
    dashed = line.encode(strokeDash="series:N")
    assert colour_only_fields(dashed.to_dict()) == []


def test_a_coloured_quantity_with_text_labels_and_literal_colours_pass():
    grid = pd.DataFrame({"a": ["x", "y"], "b": ["p", "q"], "n": [3, 30], "ink": ["#0b0c0c", "white"]})
    base = alt.Chart(grid).encode(x="a:N", y="b:N")
    cells = base.mark_rect().encode(color="n:Q")
    assert colour_only_fields(cells.to_dict()) == ["n"]
    text = base.mark_text().encode(text="n:Q", color=alt.Color("ink:N", scale=None))
    assert colour_only_fields((cells + text).to_dict()) == []


def test_white_text_passes_on_a_dark_mark_and_labelled_marks_need_no_contrast():
    assert contrast_problems(svg(text="white")) == []  # the label sits on the dark blue mark
    assert len(contrast_problems(svg(mark="#d9d9d9", text="white"))) == 2  # pale mark, invisible text
    labelled = svg(mark="#d9d9d9").replace('class="mark-text role-axis"', 'class="mark-text role-mark"')
    assert contrast_problems(labelled) == []
    decorative = svg(mark="#d9d9d9").replace('role-mark"', 'role-mark" aria-hidden="true"')
    assert contrast_problems(decorative) == []


def test_a_chart_needing_a_left_out_module_is_refused_with_its_name():
    vega = {"data": [{"name": "d", "transform": [{"type": "geoshape"}]}]}
    chart = Chart("fig-map", "Map", {"description": "d"}, vega, svg())
    [problem] = runtime_problems(chart, "chapter money")
    assert "chapter money: chart fig-map" in problem and "geoshape (vega-geo)" in problem


def test_findings_say_what_to_fix_and_what_readers_meet():
    data = pd.DataFrame({"year": [1, 2, 1, 2], "series": ["N", "N", "S", "S"], "n": [1, 2, 3, 4]})
    spec = alt.Chart(data).mark_line().encode(x="year:Q", y="n:Q", color="series:N").to_dict()
    chart = Chart("fig-a", "A", spec, {}, svg(mark="#d9d9d9"))
    findings = accessibility_findings(chart, "chapter x")
    assert [(f.label, f.where) for f in findings] == [("fig-a", "chapter x")] * 2
    assert "1.41:1" in findings[0].message and "contrast of 1.4:1" in findings[0].reader
    assert "strokeDash" in findings[1].message and findings[1].reader == "its lines are told apart by colour only"
