"""`report data update` stopped midway: data/ untouched, its ingest script gone with it, and its staging
folder (data/.update-*) removed: at once after SIGTERM, by the next run after `kill -9`."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys

import pytest

from report.data.staging import remove_stale_updates
from tests.conftest import ROOT, SOURCES, copy_project, needs_sources, run_report
from tests.robustness.corpus import tree_hashes
from tests.robustness.processes import processes_of, survivors, wait_for

TIME_SERIES = SOURCES / "dfe-cla" / "cla_time_series_1994_2024.csv"
PACKAGE = "children-looked-after"


@pytest.fixture
def project(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return project


def _staged(project):
    """The update is at work: its staging folder exists and its ingest script runs."""
    return list((project / "data").glob(".update-*")) and processes_of(project, b"scripts/")


@needs_sources
@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_an_interrupted_update_leaves_data_and_no_staging_folder(project, tmp_path, signum):
    release = tmp_path / "cla_time_series_1994_2025.csv"
    release.write_bytes(TIME_SERIES.read_bytes())
    data = tree_hashes(project / "data")
    args = [sys.executable, "-m", "report.cli", "data", "update", PACKAGE, str(release), "--sources", str(SOURCES)]
    update = subprocess.Popen(args, cwd=project, env={**os.environ, "REPORT_PROJECT": str(project)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_for(lambda: _staged(project) or update.poll() is not None, seconds=120) and \
            update.poll() is None, "the update ended before its ingest script ran"
        update.send_signal(signum)
        update.wait(timeout=60)
        left = survivors(project, seconds=10)
    finally:
        for pid in processes_of(project):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert left == {}, "the ingest script outlived the update"
    assert tree_hashes(project / "data", skip=(".cache",) + tuple(
        p.name for p in (project / "data").glob(".update-*"))) == data
    staged = list((project / "data").glob(".update-*"))
    if signum == signal.SIGTERM:
        assert update.returncode == 143 and staged == []
    else:
        assert update.returncode == -signal.SIGKILL and staged, "kill -9 leaves the staging folder"
        run_report(project, "data", "update", PACKAGE, str(release), "--sources", str(SOURCES), "--dry-run",
                   check=True)  # the next run removes it
        assert list((project / "data").glob(".update-*")) == []


def test_stale_update_folders_go_and_a_running_update_keeps_its_own(tmp_path):
    data = tmp_path / "data"
    dead = subprocess.Popen(["true"])
    dead.wait()
    folders = {name: data / name for name in (f".update-widgets-{dead.pid}-abc123", ".update-widgets-x1y2z3",
                                              f".update-child-care-{os.getppid()}-k9j8")}
    for folder in folders.values():
        (folder / "widgets").mkdir(parents=True)
        (folder / "widgets" / "widgets.csv").write_text("a\n1\n")
        os.chmod(folder / "widgets", 0o500)  # read-only, as a copied package may be
    (data / "widgets").mkdir()
    removed = remove_stale_updates(data)
    assert sorted(p.name for p in removed) == sorted(list(folders)[:2])
    assert [p.name for p in data.iterdir() if p.name.startswith(".")] == [list(folders)[2]]
    assert (data / "widgets").is_dir()
