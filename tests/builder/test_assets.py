"""The chart runtime: Vega without the Vega-Lite compiler, measured against Altair's default scripts."""

from __future__ import annotations

import pytest

from report.builder.assets import (ALTAIR_DEFAULT_JS_BYTES, js_bundle, js_bytes_ratio, page_js_bytes, snippet,
                                 unsupported_transforms)


def test_the_bundle_imports_no_vega_lite_and_no_vega_embed():
    text = snippet()
    assert "vega-lite" not in text and "vega-embed" not in text
    assert "window.vega = {View, parse, Handler, expressionInterpreter}" in text  # no eval: CSP


def test_transforms_of_left_out_modules_are_found_at_any_depth():
    spec = {"data": [{"name": "a", "transform": [{"type": "filter"}]}],
            "marks": [{"type": "group", "marks": [{"type": "path", "transform": [{"type": "geopath"}]}],
                       "data": [{"name": "b", "transform": [{"type": "treemap"}]}]}]}
    assert unsupported_transforms(spec) == ["geopath (vega-geo)", "treemap (vega-hierarchy)"]
    assert unsupported_transforms({"marks": [{"type": "text"}]}) == []  # a text mark is not a transform


def test_js_bytes_count_local_scripts_and_inline_code_but_not_json(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.js").write_text("x" * 1000)
    (tmp_path / "chart.html").write_text(
        '<script src="assets/a.js" defer></script><script>var y=1;</script>'
        '<div class="chart"><script type="application/json" class="chart-spec">{"big": 1}</script></div>')
    (tmp_path / "text.html").write_text("<p>no charts</p>")
    assert page_js_bytes(tmp_path / "chart.html") == 1000 + len("var y=1;")
    assert js_bytes_ratio(tmp_path) == (1000 + 8) / ALTAIR_DEFAULT_JS_BYTES


@pytest.mark.slow
def test_the_runtime_is_under_seven_tenths_of_altairs_default(tmp_path):
    text = js_bundle(tmp_path)
    assert len(text.encode()) <= 0.7 * ALTAIR_DEFAULT_JS_BYTES
    assert "vega-lite" not in text and "vegaEmbed" not in text
    assert js_bundle(tmp_path) == text  # second call reads the cache
