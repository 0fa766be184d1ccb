"""The builder as a bounded engine: a second, tiny book (no data, no councils) with a page provider of its
own builds to a site and a PDF; the engine's files name nothing of this report."""

from __future__ import annotations

import json
import re
from contextlib import nullcontext
from pathlib import Path

import pytest

from report.builder.cache import ChapterCache, chapter_key, module_hashes
from report.builder.providers import Link, PageJob, Prepared, ProviderError, entries, load
from report.builder.site import page_context
from tests.conftest import ROOT, pdf_text, require_tool, run_report

BUILDER = ROOT / "report" / "builder"
REPORT_WORDS = re.compile(r"\b(councils?|explorer|ofsted|children's)\b|report\.(charts|measures|explorer)", re.I)

CONFIG = """\
book:
  title: "Widgets: A Short Book"
  date: "2026-01-01"
  edition: "First edition"
  chapters: [index.qmd, chapters/sizes.qmd]
report:
  page-providers: ["tests.builder.test_tiny_book:WidgetPages"]
"""
INDEX = """\
---
title: "About widgets"
---

```{python}
#| include: false
SIZES = ["small", "medium", "large"]
```

Widgets come in `{python} len(SIZES)` sizes.
"""
SIZES = """\
---
title: "Sizes"
---

## Small and large

The largest widget is `{python} 6 * 7` millimetres long.
"""


class WidgetPages:
    """A page provider as small as one can be: one page, extending the site's base template."""

    name = "widgets"
    label = "widget catalogue"
    link = Link("catalogue", "catalogue.html", "Catalogue")
    templates = None
    assets = None
    accessibility = ["The catalogue page is a plain list."]
    search_group = None

    def missing(self, packages: dict) -> list[str]:
        return []

    def warm(self) -> None:
        pass

    def pool(self, processes: int):
        return nullcontext()

    def prepare(self, project, force: bool, say, compiler) -> Prepared:
        return Prepared(["red widget", "blue widget"], "built: always")

    def write(self, payload, job: PageJob) -> tuple[list[Path], list[dict]]:
        template = job.env.from_string('{% extends "base.html" %}{% block main %}<h1>Catalogue</h1><ul>'
                                       '{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% endblock %}')
        page = page_context(job.site, "catalogue", "Catalogue", "catalogue.html", "", job.card)
        page["card_url"] = page["card"].href
        path = job.out / "catalogue.html"
        path.write_text(template.render(page=page, items=payload, **job.common), encoding="utf-8")
        return [path], []


def test_engine_files_name_nothing_of_this_report():
    offenders = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in sorted(BUILDER.rglob("*")) if path.is_file() and "__pycache__" not in path.parts
                 for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
                 if REPORT_WORDS.search(line)]
    assert not offenders, "\n".join(offenders)


def test_providers_are_named_in_the_config_and_bad_names_are_clear():
    assert entries({"book": {}}) == []
    assert entries({"report": {"page-providers": ["a.b:C"]}}) == ["a.b:C"]
    with pytest.raises(ProviderError, match="not 'module:Class'"):
        load(["report.explorer.plugin"])
    with pytest.raises(ProviderError, match="cannot load 'report.nothing:Here'"):
        load(["report.nothing:Here"])
    assert [p.name for p in load(["report.explorer.plugin:CouncilPages"])] == ["explorer"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    require_tool("pdftotext", "poppler-utils")
    root = tmp_path_factory.mktemp("tiny") / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_quarto.yml").write_text(CONFIG, encoding="utf-8")
    (root / "index.qmd").write_text(INDEX, encoding="utf-8")
    (root / "chapters" / "sizes.qmd").write_text(SIZES, encoding="utf-8")
    run_report(root, "build", check=True, env={"PYTHONPATH": str(ROOT)})
    return root


@pytest.mark.slow
def test_a_tiny_book_builds_with_its_own_provider(tiny):
    site = tiny / "_site"
    index, sizes = (site / "index.html").read_text(), (site / "sizes.html").read_text()
    assert "Widgets come in 3 sizes." in index and "42 millimetres" in sizes
    catalogue = (site / "catalogue.html").read_text()
    assert "<li>red widget</li>" in catalogue and 'href="assets/site.css"' in catalogue
    for page in (index, sizes, catalogue):  # the provider's link in header and footer; no report's link
        assert page.count('href="catalogue.html"') == 2 and "councils.html" not in page
    assert "The catalogue page is a plain list." in (site / "accessibility.html").read_text()
    text = pdf_text(next(site.glob("*.pdf")))
    assert "About widgets" in text and "42 millimetres" in text
    record = json.loads((tiny / ".cache" / "last-build.json").read_text())
    assert record["pages"] == {"widgets": "built: always"}
    assert not REPORT_WORDS.search(" ".join(p.read_text() for p in site.glob("*.html")))


PALE = """\
---
title: "Colours"
---

```{python}
#| label: fig-pale
#| fig-cap: "Widgets by size, in a colour too pale to see"
import altair as alt
import pandas as pd
from report.display import enable

enable()
alt.Chart(pd.DataFrame({"size": ["small", "large"], "n": [1, 3]})).mark_bar(color="#eeeeee").encode(
    x="size:N", y="n:Q", tooltip=["size:N", "n:Q"]).properties(title="Widgets by size", width=200, height=100,
                                                                description="Two bars: small 1, large 3.")
```
"""


@pytest.mark.slow
def test_a_chart_below_wcag_stops_the_build_unless_shortfalls_are_allowed(tiny, tmp_path):
    book = tmp_path / "book"
    (book / "chapters").mkdir(parents=True)
    (book / "data").mkdir()
    (book / "_quarto.yml").write_text(CONFIG.replace("chapters/sizes.qmd", "chapters/pale.qmd"), encoding="utf-8")
    (book / "index.qmd").write_text(INDEX, encoding="utf-8")
    (book / "chapters" / "pale.qmd").write_text(PALE, encoding="utf-8")
    refused = run_report(book, "build", env={"PYTHONPATH": str(ROOT)})
    assert refused.returncode != 0 and "chart fig-pale" in refused.stderr and "contrast" in refused.stderr
    assert not (book / "_site").exists()
    run_report(book, "build", "--allow-chart-shortfalls", check=True, env={"PYTHONPATH": str(ROOT)})
    statement = (book / "_site" / "accessibility.html").read_text(encoding="utf-8")
    listed = statement.split("Charts that do not yet meet these rules")[1]
    assert "Widgets by size, in a colour too pale to see" in listed and "pale.html#fig-pale" in listed


@pytest.mark.slow
def test_a_tiny_book_rebuilds_nothing_when_nothing_changed(tiny):
    done = run_report(tiny, "build", check=True, env={"PYTHONPATH": str(ROOT)})
    assert "nothing changed" in done.stdout
    config = (tiny / "_quarto.yml").read_text()
    (tiny / "_quarto.yml").write_text(config.replace("tests.builder.test_tiny_book:WidgetPages", "nope.nope:Nope"))
    try:
        failed = run_report(tiny, "build", env={"PYTHONPATH": str(ROOT)})
    finally:
        (tiny / "_quarto.yml").write_text(config)
    assert failed.returncode != 0 and "cannot load 'nope.nope:Nope'" in failed.stderr + failed.stdout
    assert (tiny / "_site" / "catalogue.html").is_file()  # nothing published over the good site


def test_a_chapter_cache_entry_names_the_module_that_changed(tmp_path):
    code = tmp_path / "helpers.py"
    code.write_text("X = 1\n")
    store = ChapterCache(tmp_path / ".cache", tmp_path)
    key = chapter_key(b"source", {}, {"python": "3"})
    store.store("sizes", key, {"cells": []}, module_hashes(tmp_path, [str(code), "/usr/lib/python3/os.py"]))
    assert store.lookup("sizes", key) == ({"cells": []}, "cached")
    code.write_text("X = 2\n")
    assert store.lookup("sizes", key) == (None, "chapter sizes: helpers.py changed")

