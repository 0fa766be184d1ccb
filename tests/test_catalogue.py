"""The appendix catalogue: generated from the packages, escaped where it carries data text."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from report import catalogue
from report.data import declare
from report.display import Markdown
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def no_chapter_limit():
    declare(None, None)
    yield
    declare(None, None)


def write_package(folder: Path, name: str, rows: list[dict], fields: list[dict], **extra) -> Path:
    """A one-resource package in `folder/name`, as small as a test needs."""
    target = folder / name
    target.mkdir(parents=True)
    with (target / "table.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f["name"] for f in fields])
        writer.writeheader()
        writer.writerows(rows)
    descriptor = {"name": name, "version": "2.1.0", "title": extra.get("title", name.title()),
                  "description": extra.get("description", "Counts *with* caveats."),
                  "licenses": extra.get("licenses", [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}]),
                  "sources": extra.get("sources", []),
                  "resources": [{"name": "table", "path": "table.csv", "description": "The table.",
                                 "schema": {"fields": fields, "missingValues": ["", "c", "x"]}}]}
    (target / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return target


YEARLY = [{"name": "geographic_level", "type": "string"}, {"name": "year", "type": "year"},
          {"name": "number", "type": "integer"}]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    rows = [{"geographic_level": level, "year": year, "number": 5}
            for year in (2010, 2011, 2014) for level in ("National", "Local authority")]
    write_package(tmp_path, "counts", rows, YEARLY, sources=[
        {"title": "Release [2024]", "path": "https://example.org/a (b)", "publisher": "DfE", "version": "v1"}])
    dated = [{"organisation": "Trust", "from_date": "2014-04-01"}, {"organisation": "Other", "from_date": "2019-10-01"}]
    write_package(tmp_path, "dated", dated, [{"name": "organisation", "type": "string"},
                                             {"name": "from_date", "type": "date"}],
                  licenses=[{"name": "notspecified", "title": "No licence declared."}])
    return tmp_path


def test_catalogue_row_counts_years_gaps_levels_and_licence(data_dir):
    frame = catalogue.catalogue_frame(["counts", "dated"], data_dir).set_index("Name and version")
    counts = frame.loc["counts 2.1.0"]
    assert counts["Years"] == "2010–2014 (not 2012, 2013)"
    assert counts["Geography"] == "national, local authority"
    assert counts["Rows"] == "6"
    assert counts["Licence"] == "OGL-UK-3.0"
    dated = frame.loc["dated 2.1.0"]
    assert dated["Years"] == "2014–2019"  # dates mark events: no gaps named
    assert dated["Geography"] == "" and dated["Licence"] == "not declared"  # never the raw "notspecified"


def test_notes_escape_data_text_and_link_sources_safely(data_dir):
    notes = catalogue.package_notes(["counts"], data_dir)
    assert isinstance(notes, Markdown)
    assert "### Counts {#sec-data-counts}" in notes
    assert r"Counts \*with\* caveats\." in notes
    assert "[Release \\[2024\\]](<https://example.org/a%20(b)>) (DfE; v1)" in notes


def test_markers_come_from_the_packages(data_dir):
    assert catalogue.markers(["counts"], data_dir) == ["c", "x"]


def test_catalogue_lists_every_package_in_data():
    names = catalogue.all_packages(ROOT / "data")
    assert names == sorted(p.name for p in (ROOT / "data").iterdir() if (p / "datapackage.json").is_file())
    frame = catalogue.catalogue_frame(names, ROOT / "data")
    for name in names:
        descriptor = json.loads((ROOT / "data" / name / "datapackage.json").read_text())
        rows = sum(_rows(ROOT / "data" / name / r["path"]) for r in descriptor["resources"])
        row = frame[frame["Name and version"] == f"{name} {descriptor['version']}"].iloc[0]
        assert row["Rows"] == f"{rows:,}"


def _rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1
