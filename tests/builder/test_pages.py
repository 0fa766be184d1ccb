"""Site-wide pages: the data page's facts come from the served files; the citation names edition and data."""

from __future__ import annotations

import csv
import hashlib
import json

from report.builder.attribution import root_path
from report.builder.pages import cite, package_entries


def tiny_package(folder, changelog="# Changelog: tiny\n\n## 1.2.0 (2026-01-01)\n\n- Added <script>x</script> rows.\n"):
    rows = [["year", "n"], ["2019", "1"], ["2024", "2"], ["2021", "3"]]
    (folder / "tiny").mkdir(parents=True)
    with open(folder / "tiny" / "t.csv", "w", newline="") as file:
        csv.writer(file).writerows(rows)
    descriptor = {"name": "tiny", "title": "Tiny", "version": "1.2.0", "licenses": [],
                  "sources": [{"title": "Pub", "path": "https://example.org", "publisher": "Dept"}],
                  "resources": [{"name": "t", "path": "t.csv", "title": "T",
                                 "schema": {"fields": [{"name": "year", "type": "year"},
                                                       {"name": "n", "type": "integer"}]}}]}
    (folder / "tiny" / "datapackage.json").write_text(json.dumps(descriptor))
    (folder / "tiny" / "CHANGELOG.md").write_text(changelog)
    return rows


def test_data_entry_counts_rows_spans_years_and_hashes_the_served_file(tmp_path):
    rows = tiny_package(tmp_path)
    [entry] = package_entries(tmp_path, [{"name": "tiny", "version": "1.2.0"}])
    [resource] = entry.resources
    years = [int(r[0]) for r in rows[1:]]
    assert resource.rows == len(rows) - 1 == entry.rows
    assert resource.coverage == entry.coverage == f"{min(years)} to {max(years)}"
    assert resource.sha256 == hashlib.sha256((tmp_path / "tiny" / "t.csv").read_bytes()).hexdigest()
    assert entry.licences == [{"title": "No licence declared by the publisher", "path": ""}]
    assert entry.sources[0]["publisher"] == "Dept" and entry.sources[0]["version"] == ""
    assert [f["name"] for f in entry.files] == ["datapackage.json", "CHANGELOG.md"]


def test_changelog_is_rendered_without_its_title_and_raw_html_stays_text(tmp_path):
    tiny_package(tmp_path)
    [entry] = package_entries(tmp_path, [{"name": "tiny", "version": "1.2.0"}])
    assert "<h4>1.2.0 (2026-01-01)</h4>" in entry.changelog
    assert "Changelog: tiny" not in entry.changelog
    assert "<script>" not in entry.changelog and "&lt;script&gt;" in entry.changelog


def test_citation_names_edition_date_and_every_data_version_and_escapes_bibtex():
    book = {"title": "Costs & benefits_2", "subtitle": "", "author": "Team", "date": "2026-11-26",
            "edition": "2026 edition"}
    packages = [{"name": "a", "version": "1.0.0"}, {"name": "b", "version": "2.1.0"}]
    citation = cite(book, packages)
    assert citation["bibtex"].startswith("@misc{costs2026,")
    assert r"Costs \& benefits\_2" in citation["bibtex"] and "month     = {11}" in citation["bibtex"]
    assert "2026-11-26" in citation["bibtex"] and "a 1.0.0, b 2.1.0" in citation["bibtex"]
    assert "(2026, November 26)" in citation["reference"] and "a 1.0.0, b 2.1.0" in citation["reference"]


def test_the_404_page_resolves_links_from_the_sites_root():
    assert root_path("") == "/"
    assert root_path("https://example.org") == "/"
    assert root_path("https://example.org/reports/what-works") == "/reports/what-works/"
