"""The cover, inside cover and Data sources section: from _quarto.yml and the packages, no raw field values."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from report.builder.frontmatter import package_sources
from tests.conftest import ROOT, require_tool

RELEASE = {"publisher": "Department for Education", "path": "https://www.gov.uk/collections/cla"}


def test_releases_of_one_publication_are_listed_once_with_their_versions():
    entry = package_sources({"name": "cla", "version": "1.0.0", "title": "Children looked after", "licenses": [
        {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}], "sources": [
        {**RELEASE, "title": "Children looked after - year ending 31 March 2010 (SFR27/2010)", "version": "SFR27/2010"},
        {**RELEASE, "title": "Children looked after - year ending 31 March 2011 (SFR21/2011)", "version": "SFR21/2011"},
        {"publisher": "Ofsted", "path": "https://github.com/o/r", "title": "Provider lists (commit)",
         "version": "commit 0d19b24aadc68dfae380e9b00d15209884e02c04"}]})
    assert entry["licence"] == "Open Government Licence v3.0"
    assert [(p["publisher"], p["title"], p["releases"]) for p in entry["publications"]] == [
        ("Department for Education", "Children looked after", ["SFR27/2010", "SFR21/2011"]),
        ("Ofsted", "Provider lists", ["commit 0d19b24"])]


def test_a_compilation_of_many_web_pages_is_summarised_and_no_licence_is_said_in_words():
    sources = [{"publisher": f"Council {i}", "path": f"https://c{i}.gov.uk/news", "title": "News"} for i in range(8)]
    entry = package_sources({"name": "models", "title": "Delivery models", "sources": sources,
                             "licenses": [{"name": "notspecified", "title": "No licence declared."}]})
    assert entry["publications"] == [] and entry["compiled"].startswith("Compiled from 8 public web pages of 8")
    assert "notspecified" not in json.dumps(entry) and entry["licence"].startswith("No licence declared")


@pytest.mark.slow
def test_the_pdf_front_matter_and_data_sources_come_from_the_project(built):
    require_tool("pdftotext", "poppler-utils")
    pdf = built / "_site" / "report.pdf"

    def text(first, last=None):
        args = ["pdftotext", "-f", str(first), "-l", str(last or first), str(pdf), "-"]
        return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.replace("’", "'").split())

    book = yaml.safe_load((ROOT / "_quarto.yml").read_text())["book"]
    licences = [item["text"] if isinstance(item, dict) else item for item in book["license"]]
    authors = [item["name"] if isinstance(item, dict) else item for item in book["author"]]
    cover, inside = text(1), text(2)
    for value in (book["title"], book["subtitle"], book["edition"], book["publisher"], *licences):
        assert " ".join(value.split()) in cover
    assert "How to cite this edition" in inside and all(name in inside for name in authors)
    manifest = json.loads((built / "_site" / "build-manifest.json").read_text())
    assert all(f"{p['name']} {p['version']}" in inside for p in manifest["packages"])
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                text=True).stdout.splitlines() if line.startswith("Pages:")))
    back = text(pages - 3, pages)
    assert "Data sources" in back and "notspecified" not in back
    for name in (p["name"] for p in manifest["packages"]):
        descriptor = json.loads((ROOT / "data" / name / "datapackage.json").read_text())
        assert " ".join(descriptor["title"].replace("’", "'").split()) in back, name
        publishers = {s["publisher"] for s in descriptor.get("sources", [])}
        if len(publishers) <= 5:
            assert all(publisher in back for publisher in publishers), name
