"""Descriptor metadata in scripts/<script>.meta.yml: every file loads; a broken one is named with its key."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from _common import MetadataError, fill, load_meta  # noqa: E402

SCRIPTS = sorted(ROOT.glob("scripts/[a-z]*.py"))
META_FILES = sorted(ROOT.glob("scripts/*.meta.yml"))


def test_every_script_has_its_metadata_file():
    assert [p.name.removesuffix(".py") for p in SCRIPTS] == [p.name.removesuffix(".meta.yml") for p in META_FILES]


@pytest.mark.parametrize("path", META_FILES, ids=lambda p: p.name)
def test_metadata_loads_with_a_package_and_resources(path):
    meta = load_meta(path.with_name(path.name.replace(".meta.yml", ".py")),
                     required=("package.name", "package.title", "package.description", "package.licenses",
                               "resources"))
    assert meta["package"]["name"] == path.name.removesuffix(".meta.yml").replace("_", "-")
    for name, spec in meta["resources"].items():
        assert spec["title"] and spec["description"] and spec["primary_key"], name
        assert all(f["name"] and f["type"] and f["description"] for f in spec.get("fields", [])), name


def write_script_and_meta(tmp_path, text: str) -> Path:
    script = tmp_path / "example.py"
    script.write_text("")
    (tmp_path / "example.meta.yml").write_text(text, encoding="utf-8")
    return script


def test_missing_key_names_the_file_and_the_key(tmp_path):
    script = write_script_and_meta(tmp_path, "package:\n  name: example\nresources:\n  things: {}\n")
    with pytest.raises(MetadataError) as error:
        load_meta(script, required=("package.name", "resources.things.title"))
    assert str(tmp_path / "example.meta.yml") in str(error.value.code)
    assert "missing key 'resources.things.title'" in str(error.value.code)


def test_malformed_yaml_names_the_file_and_the_line(tmp_path):
    script = write_script_and_meta(tmp_path, "package:\n  name: example\n  title: [unclosed\nresources: {}\n")
    with pytest.raises(MetadataError) as error:
        load_meta(script)
    message = str(error.value.code)
    assert str(tmp_path / "example.meta.yml") in message and "malformed YAML" in message
    assert "line" in message


def test_missing_file_and_non_mapping_are_named(tmp_path):
    with pytest.raises(MetadataError, match=r"example\.meta\.yml: file not found"):
        load_meta(tmp_path / "example.py")
    script = write_script_and_meta(tmp_path, "- just\n- a list\n")
    with pytest.raises(MetadataError, match="expected a mapping"):
        load_meta(script)


def test_fill_replaces_placeholders_and_leaves_other_dollars_and_braces():
    meta = {"d": "From ${first} to ${last}.", "p": [r"^E\d{8}$", "E[0-9]{8}"], "n": 3}
    assert fill(meta, first=2010, last="2024") == {"d": "From 2010 to 2024.", "p": [r"^E\d{8}$", "E[0-9]{8}"],
                                                   "n": 3}
    with pytest.raises(KeyError, match="last"):
        fill(meta, first=2010)
