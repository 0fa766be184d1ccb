"""`report data fetch`: every locked file arrives with the bytes the lock names, from a mirror on 127.0.0.1."""

import hashlib
import json

import pytest

from report.data.sources import LOCK, SourceError, fetch, read_lock, read_paths
from tests.conftest import ROOT, run_report, serve

FILES = {"dfe-cla/a.csv": b"time_period,number\n2024,83630\n", "ofsted-la/deep/b.csv": b"urn,grade\n1,Good\n"}


def project_with_lock(tmp_path, files=FILES):
    """A project folder holding only a lock naming `files` (path, sha256, bytes)."""
    root = tmp_path / "project"
    root.mkdir()
    entries = [{"path": path, "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body), "url": None}
               for path, body in files.items()]
    (root / LOCK).write_text(json.dumps({"files": entries}), encoding="utf-8")
    return root


def mirror_of(tmp_path, files=FILES):
    mirror = tmp_path / "mirror"
    for path, body in files.items():
        (mirror / path).parent.mkdir(parents=True, exist_ok=True)
        (mirror / path).write_bytes(body)
    return mirror


def test_fetch_from_a_served_mirror_verifies_and_is_idempotent(tmp_path):
    root, sources = project_with_lock(tmp_path), tmp_path / "sources"
    with serve(mirror_of(tmp_path)) as url:
        assert fetch(root, sources, url) == (2, 0)
        assert fetch(root, sources, url) == (0, 2)
    assert {p: (sources / p).read_bytes() for p in FILES} == FILES


def test_a_changed_file_on_the_mirror_is_refused_and_not_written(tmp_path):
    root, sources = project_with_lock(tmp_path), tmp_path / "sources"
    mirror = mirror_of(tmp_path, {**FILES, "ofsted-la/deep/b.csv": b"urn,grade\n1,Outstanding\n"})
    with serve(mirror) as url, pytest.raises(SourceError, match="ofsted-la/deep/b.csv: sha256 .* does not match"):
        fetch(root, sources, url)
    assert not (sources / "ofsted-la/deep/b.csv").exists()
    assert not list(sources.rglob(".fetch-*"))


def test_cli_names_the_missing_file_and_exits_non_zero(tmp_path):
    root, sources = project_with_lock(tmp_path), tmp_path / "sources"
    (root / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    mirror = mirror_of(tmp_path, {"dfe-cla/a.csv": FILES["dfe-cla/a.csv"]})
    with serve(mirror) as url:
        done = run_report(root, "data", "fetch", "--sources", str(sources), "--mirror", url)
    assert done.returncode != 0
    assert "ofsted-la/deep/b.csv" in done.stderr


def test_the_committed_lock_lists_every_file_the_scripts_read_with_its_bytes(raw_sources):
    """Recomputed from the files: the lock's sha256 and size of each, and no script reads an unlocked file."""
    entries = read_lock(ROOT)
    assert [e["path"] for e in entries] == read_paths(ROOT)
    for entry in entries:
        body = (raw_sources / entry["path"]).read_bytes()
        assert (hashlib.sha256(body).hexdigest(), len(body)) == (entry["sha256"], entry["bytes"]), entry["path"]
        assert entry["licence"]
