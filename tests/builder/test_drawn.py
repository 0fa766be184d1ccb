"""The post-build check that charts draw: a chart with no marks (empty or unusable data) stops the build."""

from __future__ import annotations

import json
from types import SimpleNamespace

import vl_convert

from report.builder.checks import check_drawn, draws_marks


def vega(values: list[dict]) -> dict:
    return vl_convert.vegalite_to_vega({"mark": "bar", "data": {"values": values},
                                        "encoding": {"x": {"field": "x", "type": "ordinal"},
                                                     "y": {"field": "y", "type": "quantitative"}}})


def page(spec: dict) -> str:
    return (f'<div class="chart" id="chart-fig-a"><script type="application/json" class="chart-spec">'
            f'{json.dumps(spec)}</script></div>')


def test_marks_are_told_from_an_empty_chart():
    assert draws_marks(vl_convert.vega_to_svg(vega([{"x": "a", "y": 2}])))
    assert not draws_marks(vl_convert.vega_to_svg(vega([])))  # axes and a frame, but nothing drawn
    assert not draws_marks("<svg")


def test_the_published_spec_is_drawn_from_the_page(tmp_path):
    (tmp_path / "index.html").write_text(page(vega([{"x": "a", "y": 2}])))  # the one chapter's page
    (tmp_path / "council-b.html").write_text(page(vega([])))  # a page provider's
    chapters = [SimpleNamespace(name="index", charts=[])]
    assert check_drawn(tmp_path, chapters) == [
        "council-b.html: its first chart, drawn from the spec in the page, has no marks"]
