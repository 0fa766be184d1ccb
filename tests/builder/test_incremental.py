"""Incremental rebuilds on a three-chapter copy of the project: only what depends on a change re-runs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import textwrap

import pandas as pd
import pytest

from report.builder.cache import Store
from report.data.diff import PATCH, next_version
from report.fmt import number
from tests.conftest import copy_project, require_tool, run_report, same_tree

pytestmark = pytest.mark.slow

PACKAGE, RESOURCE = "children-looked-after", "england-series"
CHAPTERS = {
    "index.qmd": ("Summary", ["children-looked-after"], "The summary counts `{python} len(cla)` rows."),
    "chapters/in-care.qmd": ("In care", ["children-looked-after"],
                             "On 31 March `{python} int(latest['year'])`, `{python} fmt.number(latest['number'])` "
                             "children were looked after."),
    "chapters/prices.qmd": ("Prices", ["deflators"], "The deflator series has `{python} len(prices)` years."),
}
SETUP = {
    "children-looked-after": 'cla = load("children-looked-after", "england-series")\n'
                             'latest = cla[cla["measure"] == "looked_after_at_31_march"].sort_values("year").iloc[-1]',
    "deflators": 'prices = load("deflators")',
}


def chapter_text(title: str, packages: list[str], prose: str, setup: str | None = None) -> str:
    setup = setup or "\n".join(SETUP[p] for p in packages)
    return textwrap.dedent(f"""\
        ---
        title: "{title}"
        packages: {json.dumps(packages)}
        ---

        ```{{python}}
        #| include: false
        from report.chapter import *
        """) + setup + "\n```\n\n" + prose + "\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project's data with three small chapters of our own, built once with an empty cache."""
    require_tool("pdftotext", "poppler-utils")
    root = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    keep = {"children-looked-after", "deflators", "local-authorities"}  # what these chapters read (and keys into)
    for folder in (root / "data").iterdir():
        if folder.name not in keep:  # without the other packages the council explorer is skipped: faster
            shutil.rmtree(folder)
    for path, (title, packages, prose) in CHAPTERS.items():
        (root / path).write_text(chapter_text(title, packages, prose), encoding="utf-8")
    config = (root / "_quarto.yml").read_text(encoding="utf-8").split("  chapters:")[0]
    config += "  chapters:\n    - index.qmd\n    - chapters/in-care.qmd\n    - chapters/prices.qmd\n\n"
    config += "bibliography: references.bib\nlang: en-GB\n"
    (root / "_quarto.yml").write_text(config, encoding="utf-8")
    build(root)
    return root


def build(project, expect_ok: bool = True) -> dict:
    """Run `report build`; the record it saved in .cache/last-build.json, or its exit code and errors."""
    done = run_report(project, "build")
    if not expect_ok:
        return {"returncode": done.returncode, "stderr": done.stderr}
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((project / ".cache" / "last-build.json").read_text())


def pdf_text(project) -> str:
    text = subprocess.run(["pdftotext", str(project / "_site" / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    return " ".join(text.split())


def change_latest_in_care(project) -> tuple[int, str]:
    """Edit one value in the package as a re-ingest would: CSV, hash, bytes and a PATCH version."""
    folder = project / "data" / PACKAGE
    descriptor = json.loads((folder / "datapackage.json").read_text())
    spec = next(r for r in descriptor["resources"] if r["name"] == RESOURCE)
    frame = pd.read_csv(folder / spec["path"], dtype=str, keep_default_na=False)
    rows = frame[frame["measure"] == "looked_after_at_31_march"]
    row = rows["year"].astype(int).idxmax()
    new_value = int(frame.at[row, "number"]) + 7
    frame.at[row, "number"] = str(new_value)
    data = frame.to_csv(index=False, lineterminator="\n").encode()
    (folder / spec["path"]).write_bytes(data)
    spec.update({"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    old_version = descriptor["version"]
    descriptor["version"] = next_version(old_version, PATCH)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return new_value, f"{old_version} → {descriptor['version']}"


def test_updating_a_package_reruns_exactly_the_chapters_that_declare_it(project):
    build(project)  # settled: everything cached
    new_value, versions = change_latest_in_care(project)
    record = build(project)
    assert set(record["executed"]) == {"index", "in-care"}
    assert all(f"package {PACKAGE} {versions}" in reason for reason in record["executed"].values())
    assert record["reused"] == ["prices"]
    page = (project / "_site" / "in-care.html").read_text(encoding="utf-8")
    assert number(new_value) in page
    assert number(new_value) in pdf_text(project)


def test_a_rebuild_with_nothing_changed_runs_nothing(project):
    build(project)
    published = (project / "_site" / "build-manifest.json").stat().st_mtime_ns
    record = build(project)
    assert record["noop"] is True and record["executed"] == {}
    assert sorted(record["reused"]) == ["in-care", "index", "prices"]
    assert (project / "_site" / "build-manifest.json").stat().st_mtime_ns == published


def test_a_truncated_cache_entry_is_rebuilt(project):
    build(project)
    entry = project / ".cache" / "chapters" / "prices.json"
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])
    record = build(project)
    assert list(record["executed"]) == ["prices"]
    assert "truncated or corrupted" in record["executed"]["prices"]
    assert Store(entry.parent).read("prices")[0]["payload"]  # whole again


def test_a_chapter_reading_an_undeclared_package_fails_clearly(project):
    build(project)
    path = project / "chapters" / "prices.qmd"
    before, site = path.read_text(encoding="utf-8"), (project / "_site" / "prices.html").read_bytes()
    path.write_text(chapter_text("Prices", ["deflators"], "Nothing yet.", setup='spend = load("spending")'))
    try:
        record = build(project, expect_ok=False)
        assert record["returncode"] == 1
        assert "chapter prices" in record["stderr"]
        assert "reads package 'spending' but does not declare it" in record["stderr"]
        assert (project / "_site" / "prices.html").read_bytes() == site  # the published site is untouched
    finally:
        path.write_text(before, encoding="utf-8")


def test_invalid_data_stops_the_build_before_any_chapter_runs(project):
    build(project)
    csv = project / "data" / "deflators" / "gdp-deflator.csv"
    before, entry = csv.read_bytes(), (project / ".cache" / "chapters" / "prices.json").read_bytes()
    csv.write_bytes(before + before.splitlines(keepends=True)[-1])  # a duplicated row, descriptor not updated
    try:
        record = build(project, expect_ok=False)
        assert record["returncode"] == 1
        assert "data validation failed" in record["stderr"] and "package deflators" in record["stderr"]
        assert (project / ".cache" / "chapters" / "prices.json").read_bytes() == entry  # prices never ran
    finally:
        csv.write_bytes(before)


def test_a_prose_edit_reuses_the_executed_notebook(project):
    build(project)
    path = project / "chapters" / "prices.qmd"
    before = path.read_text(encoding="utf-8")
    years = len(pd.read_csv(project / "data" / "deflators" / "gdp-deflator.csv"))
    try:
        prose = "A paragraph added above the inline code.\n\n" + CHAPTERS["chapters/prices.qmd"][2]
        path.write_text(chapter_text("Prices", ["deflators"], prose), encoding="utf-8")
        record = build(project)
        assert record["executed"] == {} and record["noop"] is False
        page = (project / "_site" / "prices.html").read_text(encoding="utf-8")
        assert "A paragraph added above the inline code." in page
        assert f"The deflator series has {years} years." in page  # the inline value found its moved block
    finally:
        path.write_text(before, encoding="utf-8")


def test_after_an_update_the_site_equals_a_build_from_nothing(project, tmp_path):
    build(project)
    change_latest_in_care(project)
    build(project)
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns(".cache", "_site", "_site.*"))
    run_report(fresh, "build", check=True)
    assert same_tree(project / "_site", fresh / "_site")
