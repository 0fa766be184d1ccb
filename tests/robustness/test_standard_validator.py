"""What we publish passes its own format's validator: stock `frictionless validate` (the pinned CLI), each
package on its own, in data/ and as downloaded from _site/data/; the council-code keys are still checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from tests.conftest import ROOT, run_report
from tests.robustness.corpus import good_data, replace_row, write_widgets, GOOD_CSV

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
PACKAGES = sorted(p.name for p in (ROOT / "data").iterdir() if (p / "datapackage.json").is_file())


def stock_validate(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", "datapackage.json"], cwd=folder, capture_output=True,
                          text=True, timeout=300)


def test_the_pinned_frictionless_is_the_one_run():
    assert frictionless.__version__.startswith("5.21")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_passes_the_stock_validator(name):
    done = stock_validate(ROOT / "data" / name)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_every_download_passes_the_stock_validator(built):
    downloads = sorted(p for p in (built / "_site" / "data").iterdir() if (p / "datapackage.json").is_file())
    assert [p.name for p in downloads] == PACKAGES
    for folder in downloads:
        done = stock_validate(folder)
        assert done.returncode == 0, f"{folder.name}:\n{done.stdout}{done.stderr}"


def test_council_codes_are_still_checked_by_our_validator(tmp_path):
    (tmp_path / "_quarto.yml").write_text("book:\n  title: T\n  chapters: [index.qmd]\n")
    good_data(tmp_path / "data")
    assert stock_validate(tmp_path / "data" / "widgets").returncode == 0
    write_widgets(tmp_path / "data", replace_row(GOOD_CSV, "202,2024", "999,2024").encode())
    assert stock_validate(tmp_path / "data" / "widgets").returncode == 0  # the standard cannot see it ...
    done = run_report(tmp_path, "data", "validate")
    assert done.returncode == 1 and "'999' is not in package local-authorities" in done.stdout  # ... we do


def test_declared_periods_pass_the_stock_validator(tmp_path):
    good_data(tmp_path / "data")
    write_widgets(tmp_path / "data", GOOD_CSV.encode(),
                  lambda r: r.update({"x-expectedPeriods": {"field": "year", "from": 2020, "to": 2024}}))
    assert stock_validate(tmp_path / "data" / "widgets").returncode == 0  # a custom property, ignored there
