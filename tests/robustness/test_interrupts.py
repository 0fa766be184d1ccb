"""A build stopped by SIGTERM or `kill -9` at any stage: the site and data untouched, no process left running,
the lock free, no staging folder left (a killed build's is removed by the next build)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import run_report, same_tree
from tests.robustness.corpus import INTERRUPTS, leftovers, tree_hashes
from tests.robustness.processes import processes_of, survivors, wait_for

pytestmark = pytest.mark.slow



def lock_is_free(project) -> bool:
    with open(project / ".cache" / "writer.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


@pytest.mark.parametrize("case, setup, moment, signum", INTERRUPTS, ids=[c[0] for c in INTERRUPTS])
def test_an_interrupted_build_leaves_nothing_behind(project, published, case, setup, moment, signum):  # noqa: F811
    setup(project)
    data = tree_hashes(project / "data")
    log = project.parent / "stderr.txt"
    with open(log, "w") as stderr_file:  # a file, not a pipe: a surviving child cannot hold the test up
        build = subprocess.Popen([sys.executable, "-m", "report.cli", "build"], cwd=project, text=True,
                                 env={**os.environ, "REPORT_PROJECT": str(project)}, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=stderr_file)
    try:
        reached = wait_for(lambda: moment(project) or build.poll() is not None, seconds=240)
        assert reached and build.poll() is None, f"the build ended before the moment to signal it: {build.poll()}"
        build.send_signal(signum)  # the builder alone, as `kill` does; not its process group
        build.wait(timeout=120)
        left = survivors(project)
    finally:
        for pid in processes_of(project):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    stderr = log.read_text()
    assert build.returncode == (143 if signum == signal.SIGTERM else -signal.SIGKILL), stderr
    if signum == signal.SIGTERM:
        assert "terminated (SIGTERM)" in stderr and "Traceback" not in stderr, stderr
        assert leftovers(project) == []
    assert left == {}, "processes of the build outlived it"
    assert lock_is_free(project)
    assert same_tree(project / "_site", published / "_site")
    assert tree_hashes(project / "data") == data
    run_report(project, "build", "--cell-timeout", "1")  # the next build removes what a killed one left
    assert leftovers(project) == []
    assert survivors(project) == {}


POOLS = """
import os, sys, time
from pathlib import Path
from report.builder.render import ChartRenderer
from report.explorer.pages import PagePool

if __name__ == "__main__":
    renderer = ChartRenderer(Path(sys.argv[1]))
    renderer.executor().submit(os.getpid).result()
    pages = PagePool(2)
    for future in [pages.submit(time.sleep, 0.5) for _ in range(4)]:
        future.result()
    print("ready", flush=True)
    time.sleep(600)
"""


def test_the_build_workers_die_with_a_builder_killed_by_sigkill(tmp_path):
    """The chart worker and the council page pool (with its fork server) end when their builder is killed."""
    script = tmp_path / "pools.py"
    script.write_text(POOLS)
    builder = subprocess.Popen([sys.executable, str(script), str(tmp_path / "cache")], text=True,
                               env={**os.environ, "REPORT_PROJECT": str(tmp_path)}, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert builder.stdout.readline() == "ready\n", builder.stderr.read()
        workers = processes_of(tmp_path)
        kinds = " ".join(workers.values())
        assert "spawn_main" in kinds and "forkserver" in kinds and len(workers) >= 5, workers
        builder.kill()
        builder.wait(timeout=30)
        assert survivors(tmp_path, seconds=10) == {}, "workers outlived their builder"
    finally:
        for pid in processes_of(tmp_path):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
