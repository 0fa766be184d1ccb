"""`report data validate` rejects every broken input with one clear line and a non-zero exit."""

from __future__ import annotations

import pytest

from tests.conftest import run_report
from tests.robustness.corpus import CASES, GOOD_CSV, LARGE_FILE_LIMIT, good_data, write_widgets


@pytest.fixture
def project(tmp_path):
    (tmp_path / "_quarto.yml").write_text("book:\n  title: T\n  chapters: [index.qmd]\n")
    good_data(tmp_path / "data")
    return tmp_path


def test_the_good_fixture_validates(project):
    done = run_report(project, "data", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "widgets" in done.stdout and "OK" in done.stdout


@pytest.mark.parametrize("case, breaker, words", CASES, ids=[c[0] for c in CASES])
def test_broken_input_is_rejected_clearly(project, case, breaker, words):
    breaker(project / "data")
    done = run_report(project, "data", "validate", env={"REPORT_MAX_RESOURCE_BYTES": LARGE_FILE_LIMIT})
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output
    for word in words:
        assert word in output, f"{case}: {word!r} not in:\n{output}"


@pytest.mark.parametrize("declared", [{"field": "year", "periods": ["2024"]},
                                      {"field": "year", "from": 2023, "to": 2024, "except": [2023]}])
def test_periods_as_declared_validate(project, declared):
    write_widgets(project / "data", GOOD_CSV.encode(), lambda r: r.update({"x-expectedPeriods": declared}))
    done = run_report(project, "data", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
