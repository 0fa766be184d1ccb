"""`report data update` rejects a broken publisher file with one clear message and writes nothing."""

from __future__ import annotations

import filecmp
import shutil

import pytest

from tests.conftest import ROOT, SOURCES, copy_project, needs_sources, run_report

TIME_SERIES = SOURCES / "dfe-cla" / "cla_time_series_1994_2024.csv"
GOOD = TIME_SERIES.read_bytes() if TIME_SERIES.is_file() else b""
HEADER_END = GOOD.index(b"\n") + 1 if GOOD else 0
LINE_2 = GOOD[HEADER_END:GOOD.index(b"\n", HEADER_END) + 1] if GOOD else b""


def _replace_first_count(new: bytes) -> bytes:
    """The first data row with its count replaced (the count is the last field)."""
    row = LINE_2.rstrip(b"\r\n").rsplit(b",", 1)[0] + b"," + new + b"\r\n"
    return GOOD.replace(LINE_2, row, 1)


# (id, the broken publisher file's bytes, words the message must contain)
CASES = [
    ("wrong-header", GOOD.replace(b"population_count", b"population_type", 1), ["publisher header changed", "population_count"]),
    ("missing-header", GOOD[HEADER_END:], ["publisher header changed"]),
    ("extra-column", GOOD.replace(b",number", b",number,extra", 1), ["publisher header changed", "extra"]),
    ("non-numeric", _replace_first_count(b"lots"), ["'lots'", "number"]),
    ("negative-count", _replace_first_count(b"-5"), ["number", "minimum 0", "'-5'"]),
    ("duplicate-row", GOOD + LINE_2, ["duplicate primary key"]),
    ("empty-file", b"", ["publisher header changed"]),
    ("truncated-mid-row", GOOD[:HEADER_END + 40], ["children-looked-after", "line 2", "truncated"]),
    ("cp1252", GOOD.replace(b"England", b"Engl\xe2nd", 1), ["not valid UTF-8", "cla_time_series_1994_2025.csv"]),
]


@pytest.fixture
def project(tmp_path):
    if not GOOD:
        pytest.skip(f"{TIME_SERIES} is not on this machine: update rejections not checked")
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return project


@needs_sources
@pytest.mark.parametrize("case, data, words", CASES, ids=[c[0] for c in CASES])
def test_broken_release_is_rejected_and_nothing_is_written(project, tmp_path, case, data, words):
    release = tmp_path / "cla_time_series_1994_2025.csv"
    release.write_bytes(data)
    done = run_report(project, "data", "update", "children-looked-after", str(release), "--sources", str(SOURCES))
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output
    for word in words:
        assert word in output, f"{case}: {word!r} not in:\n{output}"
    package = "children-looked-after"
    files = sorted(p.name for p in (ROOT / "data" / package).iterdir())
    _, mismatch, errors = filecmp.cmpfiles(ROOT / "data" / package, project / "data" / package, files, shallow=False)
    assert not mismatch and not errors, "data/ must be untouched"
    assert not list((project / "data").glob(".update-*")), "no staging folder may be left behind"
