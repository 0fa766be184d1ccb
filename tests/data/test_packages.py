"""Every package in data/ through the same checks: valid, honest hash/bytes, keys resolve, loads typed."""

from __future__ import annotations

import filecmp
import hashlib
import shutil

import pandas as pd
import pytest

from report.data import load, read_package
from report.data.ingest import default_sources, run_script
from report.data.packages import discover
from report.data.validate import validate_package
from tests.conftest import ROOT, SOURCES

PACKAGES = [folder.name for folder in discover(ROOT / "data")]
DTYPES = {"integer": "Int64", "year": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}


def test_all_ten_packages_are_present():
    expected = {"local-authorities", "children-looked-after", "children-in-need", "ofsted-inspections",
                "spending", "send", "placements", "childrens-homes", "delivery-models", "deflators"}
    assert expected <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_package_validates(name):
    report = validate_package(ROOT / "data" / name)
    assert report.ok, "\n".join(map(str, report.problems))
    assert report.rows > 0


@pytest.mark.parametrize("name", PACKAGES)
def test_hash_and_bytes_match_the_files(name):
    package = read_package(ROOT / "data" / name)
    for resource in package.resources:
        data = package.path_of(resource).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", PACKAGES)
def test_descriptor_has_what_readers_need(name):
    descriptor = read_package(ROOT / "data" / name).descriptor
    for key in ("name", "title", "description", "version", "created", "licenses", "sources"):
        assert descriptor.get(key), f"{name}: missing {key}"
    assert descriptor["version"].count(".") == 2
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        assert schema.get("primaryKey"), f"{name}/{resource['name']}: no primary key"
        assert all(f.get("description") for f in schema["fields"]), f"{name}/{resource['name']}: field without description"


@pytest.mark.parametrize("name", PACKAGES)
def test_loader_returns_the_schema_dtypes(name):
    package = read_package(ROOT / "data" / name)
    for resource in package.resources:
        frame = load(name, resource["name"], data_dir=ROOT / "data")
        for field in resource["schema"]["fields"]:
            dtype = frame[field["name"]].dtype
            if field.get("categories"):
                assert isinstance(dtype, pd.CategoricalDtype)
                assert dtype.ordered == bool(field.get("categoriesOrdered"))
            elif field["type"] in DTYPES:
                assert str(dtype) == DTYPES[field["type"]], f"{name}/{resource['name']}.{field['name']}"
            elif field["type"] in ("date", "datetime"):
                assert pd.api.types.is_datetime64_any_dtype(dtype)
        assert frame.attrs["provenance"][0]["version"] == package.version


@pytest.mark.parametrize("name", PACKAGES)
def test_la_codes_resolve_to_the_reference_list(name):
    known = set(load("local-authorities", data_dir=ROOT / "data")["la_code_old"].dropna())
    package = read_package(ROOT / "data" / name)
    for resource in package.resources:
        if "la_code_old" in [f["name"] for f in resource["schema"]["fields"]]:
            codes = set(load(name, resource["name"], data_dir=ROOT / "data")["la_code_old"].dropna())
            assert codes <= known, f"{name}/{resource['name']}: unknown {sorted(codes - known)[:5]}"


@pytest.mark.parametrize("name", PACKAGES)
def test_reingest_reproduces_the_package_byte_for_byte(name, tmp_path):
    if not SOURCES.is_dir():
        pytest.skip(f"the publishers' files are not at {SOURCES}: re-ingest not checked on this machine")
    out = tmp_path / name
    out.mkdir()
    # version and created are release metadata the script carries over from the existing package
    shutil.copy(ROOT / "data" / name / "datapackage.json", out / "datapackage.json")
    shutil.copy(ROOT / "data" / name / "CHANGELOG.md", out / "CHANGELOG.md")
    run_script(ROOT, name, default_sources(ROOT, name, SOURCES), out)
    committed = ROOT / "data" / name
    files = sorted(p.name for p in committed.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(committed, out, files, shallow=False)
    assert not mismatch and not errors, f"differs from the committed package: {mismatch + errors}"
