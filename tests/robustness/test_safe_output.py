"""Text from data is shown as text: escaped in the page, the chart tooltip and the table view; CSV cells
that a spreadsheet would run as formulas are neutralised; in Chromium no planted script ever runs."""

from __future__ import annotations

import csv
import re
import io

import pytest

from tests.conftest import run_report, serve
from tests.robustness.corpus import write_package, _resource

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(2)'
FORMULA = "=HYPERLINK(\"http://example.org\",\"x\")"
NAMES = [SCRIPT, ATTRIBUTE, FORMULA]

CHAPTER = """---
title: "Names"
packages: [councils]
---

```{python}
#| include: false
from report.chapter import *
from report.charts._base import finding
councils = load("councils")
# validation refuses formulas in data, so the chapter makes one: chart CSVs must still neutralise it
councils["la_name"] = councils["la_name"].where(councils["la_code_old"] != "203", "=" + councils["la_name"])
```

The first council is called `{python} councils["la_name"].iloc[0]` and the second
`{python} councils["la_name"].iloc[1]`.

```{python}
#| label: fig-names
#| fig-cap: "Children by council"
finding(
    alt.Chart(councils).mark_bar(color="#12436D").encode(
        x=alt.X("children:Q", title="Children"), y=alt.Y("la_name:N", title=None),
        tooltip=["la_name:N", "children:Q"]),
    title="Councils with planted names", subtitle="Children, test data, 2024",
    description="Bar chart of children by council, for three councils whose names carry markup.",
    data=councils)
```

```{python}
#| tbl-cap: "The councils"
table(councils)
```
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = tmp_path_factory.mktemp("safe") / "project"
    project.mkdir()
    (project / "_quarto.yml").write_text('book:\n  title: "Names"\n  date: "2026-01-01"\n  chapters: [index.qmd]\n')
    (project / "index.qmd").write_text(CHAPTER)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["la_code_old", "la_name", "children"])
    for code, name in zip(("201", "202", "203"), [SCRIPT, ATTRIBUTE, FORMULA.removeprefix("=")]):
        writer.writerow([code, name, int(code) - 190])
    data = buffer.getvalue().encode("utf-8")
    fields = [{"name": "la_code_old", "type": "string"}, {"name": "la_name", "type": "string"},
              {"name": "children", "type": "integer"}]
    write_package(project / "data" / "councils", "councils", _resource("councils", fields, ["la_code_old"], data), data)
    run_report(project, "build", check=True)
    return project / "_site"


def test_page_source_escapes_every_planted_name(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not [attr for attrs in _attributes(page) for attr in attrs if attr.startswith("on")], \
        "no element may carry an event-handler attribute"
    spec = page.split('class="chart-spec">', 1)[1].split("</script>", 1)[0]
    assert "<" not in spec, "the JSON spec must not contain a raw '<' that could close its script element"


def _attributes(page: str) -> list[list[str]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append([name for name, _ in attrs])

    Collect().feed(page)
    return found


def test_csv_download_neutralises_formulas_and_keeps_numbers(site):
    rows = list(csv.DictReader(io.StringIO((site / "charts" / "fig-names.csv").read_text(encoding="utf-8"))))
    names = {row["la_name"] for row in rows}
    assert "'" + FORMULA in names and FORMULA not in names
    assert SCRIPT in names and ATTRIBUTE in names  # text, not formulas: kept as they are
    assert sorted(int(row["children"]) for row in rows) == [11, 12, 13]


def test_no_planted_script_runs_in_chromium(site, browser):
    dialogs = []
    with serve(site) as url:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{url}/index.html", wait_until="networkidle")
        page.wait_for_selector("div.chart.chart-interactive .chart-live svg")
        bars = page.locator("div.chart .chart-live .mark-rect path")
        assert bars.count() == len(NAMES)
        seen = []
        for index in range(bars.count()):
            box = bars.nth(index).bounding_box()
            page.mouse.move(0, 0)  # away first: the last tooltip may cover the next bar
            page.mouse.move(box["x"] + 8, box["y"] + box["height"] / 2)
            page.wait_for_selector("#vg-tooltip-element.visible", state="attached", timeout=5000)
            seen.append(page.inner_text("#vg-tooltip-element"))
            assert "<script" not in page.inner_html("#vg-tooltip-element").replace("&lt;script", "")
        assert any(SCRIPT in text for text in seen), "the tooltip shows the name as text"
        page.locator("details").first.evaluate("d => d.open = true")
        assert SCRIPT in page.inner_text("main")
        page.close()
    assert dialogs == []


def test_every_page_forbids_inline_script_and_still_draws_in_chromium(site, browser):
    """A Content-Security-Policy on every page: scripts only from the site, none inline, no eval."""
    for page_path in site.rglob("*.html"):
        text = page_path.read_text(encoding="utf-8")
        policy = text.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'self'" in script_src and "unsafe-inline" not in script_src and "'unsafe-eval'" not in script_src
        assert not re.search(r"<script(?![^>]*\b(?:src|type)=)[^>]*>", text), f"{page_path.name}: inline script"
    violations = []
    with serve(site) as url:
        page = browser.new_page()
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(f"{url}/index.html", wait_until="networkidle")
        page.wait_for_selector("div.chart.chart-interactive .chart-live svg")
        page.close()
    assert violations == []
