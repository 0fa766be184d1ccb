"""Council charts: they name the council and the site's runtime draws them (test_charts.py runs every sample
through the accessibility checks), and a council with nothing to draw says so instead of drawing an empty chart."""

from __future__ import annotations

import pandas as pd
import pytest

from report import theme
from report.builder.chartcheck import runtime_problems
from report.builder.convert import Chart
from report.charts import CHARTS
from report.charts._council_parts import alternate
from report.charts.councils import NoChart
from report.data import load
from report.display import CHART_MIME, chart_bundle
from tests.conftest import ROOT

COUNCIL_CHARTS = sorted(name for name, entry in CHARTS.items() if "council" in entry.samples)


def draw(name: str, code: str):
    entry = CHARTS[name]
    inputs = {arg: load(*ref.split("/"), data_dir=ROOT / "data") for arg, ref in entry.inputs.items()}
    return entry.function(**inputs, council=code)


@pytest.fixture(scope="module", autouse=True)
def house_theme():
    theme.enable()


def test_there_are_four_council_charts_each_with_sample_councils():
    assert len(COUNCIL_CHARTS) == 4
    assert all(len(CHARTS[name].samples["council"]) >= 5 for name in COUNCIL_CHARTS)


@pytest.mark.parametrize("name", COUNCIL_CHARTS)
@pytest.mark.parametrize("code", ["942", "839"])  # created 2023 from a split; created 2019 from a merger
def test_council_charts_name_the_council_and_the_site_runtime_draws_them(name, code):
    spec = draw(name, code).to_dict()
    bundle = chart_bundle(spec)
    chart = Chart(f"fig-{code}", "caption", spec, bundle[CHART_MIME]["vega"], bundle["image/svg+xml"])
    assert runtime_problems(chart, "test") == []  # accessibility: every sample in tests/charts/test_charts.py
    authorities = load("local-authorities", "local-authorities", data_dir=ROOT / "data")
    name_of = authorities.set_index("la_code_old").loc[code, "la_name"]
    assert name_of in spec["description"] and name_of in spec["title"]["text"]


def test_a_council_with_no_child_in_care_gets_no_placement_chart():
    with pytest.raises(NoChart, match="no placement figures for Isles of Scilly"):
        draw("council_placements_by_provider", "420")


def test_predecessor_inspections_are_open_circles_named_in_the_subtitle():
    spec = draw("council_ofsted_judgements", "940").to_dict()
    assert "open circles: inspections of Northamptonshire" in " ".join(spec["title"]["subtitle"])
    assert "(Northamptonshire)" in spec["description"]


def test_labels_of_close_inspections_of_the_same_grade_alternate_above_and_below():
    rows = pd.DataFrame({"grade": ["Good", "Good", "Good", "Inadequate"],
                         "publication_date": pd.to_datetime(["2014-01-01", "2014-06-01", "2019-01-01",
                                                             "2014-02-01"])})
    assert alternate(rows) == [False, True, False, False]
