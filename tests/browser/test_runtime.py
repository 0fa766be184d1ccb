"""The trimmed chart runtime (Vega view + parser + our transforms, no Vega-Lite) draws every common kind of
Altair chart: if a chart kind needs a module the bundle leaves out, this fails before a chapter does."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from report import theme
from report.builder.assets import js_bundle, unsupported_transforms
from report.builder.site import ASSETS, environment, script_json
from report.display import CHART_MIME, chart_bundle
from tests.browser.conftest import PageVisit
from tests.conftest import serve

pytestmark = pytest.mark.slow


def sample_charts() -> dict[str, alt.TopLevelMixin]:
    theme.enable()
    years = pd.DataFrame({"year": list(range(2010, 2020)) * 2, "series": ["a"] * 10 + ["b"] * 10,
                          "value": [float(v) for v in range(20)]})
    dated = years.assign(date=pd.to_datetime(years["year"].astype(str) + "-03-31"))
    base = alt.Chart(years)
    hover = alt.selection_point(fields=["series"], on="pointerover", nearest=True)
    labels = base.transform_filter("datum.year == 2019").mark_text(align="left", dx=4).encode(
        x="year:Q", y="value:Q", text="series:N")
    return {
        "line-direct-labels": base.mark_line().encode(x="year:Q", y="value:Q", color="series:N") + labels,
        "stacked-bar": base.mark_bar().encode(x="year:O", y="value:Q", color="series:N"),
        "sum-bar-horizontal": base.mark_bar().encode(y="series:N", x="sum(value):Q"),
        "area-temporal": alt.Chart(dated).mark_area().encode(x="yearmonth(date):T", y="value:Q",
                                                                 color="series:N"),
        "facet": base.mark_line().encode(x="year:Q", y="value:Q").facet(row="series:N"),
        "mean-rule": base.mark_point().encode(x="year:Q", y="value:Q")
        + base.mark_rule().encode(y="mean(value):Q"),
        "regression-loess": base.mark_point().encode(x="year:Q", y="value:Q")
        + base.transform_regression("year", "value").mark_line().encode(x="year:Q", y="value:Q")
        + base.transform_loess("year", "value").mark_line(strokeDash=[4, 2]).encode(x="year:Q", y="value:Q"),
        "histogram": base.mark_bar().encode(x=alt.X("value:Q", bin=True), y="count()"),
        "concat-fold-window": alt.hconcat(
            base.transform_fold(["value"]).mark_line().encode(x="year:Q", y="value:Q"),
            base.transform_window(rank="rank(value)").mark_point().encode(x="rank:Q", y="value:Q")),
        "pie": base.mark_arc().encode(theta="sum(value):Q", color="series:N"),
        "density": base.transform_density("value", groupby=["series"]).mark_line().encode(
            x="value:Q", y="density:Q", color="series:N"),
        "hover-selection": base.mark_line().encode(
            x="year:Q", y="value:Q", color="series:N",
            opacity=alt.condition(hover, alt.value(1), alt.value(0.4))).add_params(hover),
        "boxplot": base.mark_boxplot().encode(x="series:N", y="value:Q"),
        "tooltip-points": base.mark_point(shape="diamond").encode(
            x="year:Q", y="value:Q", shape="series:N", tooltip=["year:Q", "value:Q"]),
    }


@pytest.fixture(scope="module")
def runtime_site(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("runtime")
    (folder / "assets").mkdir()
    (folder / "assets" / "vega.js").write_text(js_bundle(built / ".cache"), encoding="utf-8")
    (folder / "assets" / "charts.js").write_text((ASSETS / "charts.js").read_text(), encoding="utf-8")
    specs = {name: chart_bundle(chart.to_dict())[CHART_MIME]["vega"] for name, chart in sample_charts().items()}
    env = environment()
    template = env.from_string(
        '<!DOCTYPE html><html lang="en"><head><title>runtime</title>'
        '<script src="assets/vega.js" defer></script><script src="assets/charts.js" defer></script></head>'
        '<body><main>{% for name, spec in specs.items() %}<div class="chart" id="{{ name }}" role="img" '
        'aria-label="{{ name }}"><script type="application/json" class="chart-spec">{{ spec | safe }}</script>'
        '</div>{% endfor %}</main></body></html>')
    (folder / "index.html").write_text(template.render(specs={n: script_json(s) for n, s in specs.items()}))
    with serve(folder) as url:
        yield url, specs


def test_the_runtime_draws_every_common_chart_kind(browser, runtime_site):
    url, specs = runtime_site
    assert {name: unsupported_transforms(spec) for name, spec in specs.items() if unsupported_transforms(spec)} == {}
    visit = PageVisit(browser, f"{url}/index.html")
    warnings = []
    visit.page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    try:
        visit.page.wait_for_function(
            "n => document.querySelectorAll('div.chart .chart-live svg').length === n", arg=len(specs),
            timeout=20000)
    except Exception:
        pass
    drawn = visit.page.locator("div.chart.chart-interactive").evaluate_all("els => els.map(e => e.id)")
    visit.close()
    assert sorted(drawn) == sorted(specs), f"not drawn: {sorted(set(specs) - set(drawn))}; {warnings}"
    assert visit.errors == [] and visit.outside == []
