"""Every registered chart through the same checks: finding title, subtitle, alt text, source, renders."""

from __future__ import annotations

import json

import altair as alt
import pytest

from report import theme
from report.builder.chartcheck import _paint, accessibility_findings, contrast
from report.builder.convert import Chart
from report.charts import CHARTS
from report.data import load
from report.display import chart_bundle
from report.fonts import FAMILY
from tests.conftest import ROOT


def cases() -> list[str]:
    """Each chart once; a chart with a parameter (a council's charts) once per sample value: "name[805]"."""
    found = []
    for name, entry in sorted(CHARTS.items()):
        values = [f"{p}={v}" for p, samples in entry.samples.items() for v in samples]
        found += [f"{name}[{v}]" for v in values] or [name]
    return found


def make(case: str) -> alt.TopLevelMixin:
    name, _, value = case.partition("[")
    entry = CHARTS[name]
    inputs = {arg: load(*ref.split("/"), data_dir=ROOT / "data") for arg, ref in entry.inputs.items()}
    if value:
        parameter, _, sample = value.rstrip("]").partition("=")
        inputs[parameter] = sample
    return entry.function(**inputs)


@pytest.fixture(scope="module", autouse=True)
def house_theme():
    theme.enable()


@pytest.mark.parametrize("name", cases())
def test_chart_states_its_finding_and_has_alt_text(name):
    spec = make(name).to_dict()
    title = spec["title"]
    assert title["text"] and title["subtitle"], "title and subtitle (measure, geography, period) expected"
    assert len(spec["description"]) > 40, "alt text should describe the chart"
    sources = spec["usermeta"]["report"]["sources"]
    assert sources and all(s["package"] and s["version"] for s in sources)
    assert spec["config"]["font"] == FAMILY


TOP_LEVEL = {"layer": alt.LayerChart, "vconcat": alt.VConcatChart, "hconcat": alt.HConcatChart,
             "concat": alt.ConcatChart, "facet": alt.FacetChart, "repeat": alt.RepeatChart}


@pytest.mark.parametrize("name", cases())
def test_chart_round_trips_and_renders_to_svg(name):
    spec = make(name).to_dict()
    kind = next((cls for key, cls in TOP_LEVEL.items() if key in spec), alt.Chart)
    assert kind.from_dict(json.loads(json.dumps(spec))).to_dict() == spec
    bundle = chart_bundle(spec)
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg") and "<text" in svg
    assert bundle["application/vnd.report.chart+json"]["vega"]["$schema"].startswith(
        "https://vega.github.io/schema/vega/")


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_inputs_name_real_resources(name):
    for ref in CHARTS[name].inputs.values():
        package, resource = ref.split("/")
        assert (ROOT / "data" / package / f"{resource}.csv").is_file(), ref


def test_theme_is_registered_once_and_sets_the_palette_and_font():
    theme.enable()
    theme.enable()
    assert alt.theme.names().count(theme.NAME) == 1
    config = alt.Chart({"values": [{"a": 1}]}).mark_point().encode(x="a:Q").to_dict()["config"]
    assert config["range"]["category"] == theme.PALETTE
    assert config["font"] == FAMILY


@pytest.mark.parametrize("name", cases())
def test_chart_meets_the_builds_contrast_and_colour_checks(name):
    spec = make(name).to_dict()
    bundle = chart_bundle(spec)
    chart = Chart(name, "", spec, bundle["application/vnd.report.chart+json"]["vega"], bundle["image/svg+xml"])
    assert [f.message for f in accessibility_findings(chart, "test")] == []


def test_palette_marks_reach_3_to_1_and_label_colours_4_5_to_1_on_white():
    white = (1.0, 1.0, 1.0)
    for colour in [*theme.PALETTE, *theme.GRADE_COLOURS.values(), theme.CONNECTOR]:
        assert contrast(_paint(colour), white) >= 3.0, colour
    for colour in [*theme.PALETTE, *theme.GRADE_COLOURS.values()]:
        assert contrast(_paint(theme.label_colour(colour)), white) >= 4.5, colour


def test_symbols_are_opaque_by_default():
    config = theme.config()["config"]
    assert all(config[mark]["opacity"] == 1 for mark in ("point", "circle", "square", "tick"))
