"""A killed build, a hanging cell or a dying kernel never breaks `_site/` or leaves kernels behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_report, same_tree
from tests.robustness.corpus import CHAPTER

pytestmark = pytest.mark.slow



def kernels_of(project: Path) -> list[int]:
    """Live kernel processes started for this project (found by the REPORT_PROJECT in their environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline and f"REPORT_PROJECT={project}".encode() in environ:
            found.append(int(entry.name))
    return found


def wait_until_gone(project: Path, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while kernels_of(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    return kernels_of(project)


def slow_chapter(project: Path) -> None:
    """A chapter that takes long enough to be killed while its kernel runs."""
    (project / "index.qmd").write_text(CHAPTER + "\n```{python}\nimport time\ntime.sleep(30)\n```\n")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_build_midway_leaves_the_site_and_no_kernels(project, published, signum):  # noqa: F811
    slow_chapter(project)
    build = subprocess.Popen([sys.executable, "-m", "report.cli", "build"], cwd=project,
                             env={**os.environ, "REPORT_PROJECT": str(project)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not kernels_of(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert kernels_of(project), "the build never started a kernel"
    time.sleep(2)
    build.send_signal(signum)
    build.wait(timeout=60)
    assert build.returncode != 0
    assert same_tree(project / "_site", published / "_site")
    assert wait_until_gone(project) == []
    if signum == signal.SIGTERM:
        assert not list(project.glob("_site.staging-*")), "SIGTERM should clean its staging folder"
    done = run_report(project, "build", "--cell-timeout", "1")  # the next build cleans up after a SIGKILL
    assert not list(project.glob("_site.staging-*"))
    assert done.returncode != 0


def test_a_cell_past_the_timeout_fails_the_build_and_its_kernel_goes(project, published):  # noqa: F811
    slow_chapter(project)
    done = run_report(project, "build", "--cell-timeout", "3")
    assert done.returncode != 0
    assert "chapter index, cell at index.qmd:" in done.stderr and "timed out" in done.stderr, done.stderr
    assert same_tree(project / "_site", published / "_site")
    assert wait_until_gone(project) == []


def test_a_cell_that_kills_its_kernel_fails_the_build(project, published):  # noqa: F811
    (project / "index.qmd").write_text(CHAPTER + "\n```{python}\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n```\n")
    done = run_report(project, "build")
    assert done.returncode != 0
    assert "chapter index, cell at index.qmd:" in done.stderr and "kernel died" in done.stderr, done.stderr
    assert same_tree(project / "_site", published / "_site")
    assert wait_until_gone(project) == []
