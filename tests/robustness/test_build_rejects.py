"""`report build` rejects every broken input and leaves the published `_site/` byte for byte as it was."""

from __future__ import annotations

import pickle
import shutil

import pandas as pd
import pytest

from tests.conftest import run_report, same_tree
from tests.robustness.corpus import (CASES, CHAPTER, COMMAND_CASES, LARGE_FILE_LIMIT, leftovers,
                                    run_in_own_group, tree_hashes)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("case, breaker, words", CASES, ids=[c[0] for c in CASES])
def test_build_refuses_broken_data_and_keeps_the_site(project, published, case, breaker, words):
    breaker(project / "data")
    done = run_report(project, "build", env={"REPORT_MAX_RESOURCE_BYTES": LARGE_FILE_LIMIT})
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output
    assert all(word in output for word in words), output
    assert same_tree(project / "_site", published / "_site")


def test_a_declared_package_missing_from_data_stops_the_build(project, published):
    shutil.rmtree(project / "data" / "widgets")
    done = run_report(project, "build")
    assert done.returncode != 0
    assert "declares package 'widgets', which is not in data/" in done.stderr
    assert same_tree(project / "_site", published / "_site")


def test_a_failing_chapter_names_itself_and_keeps_the_site(project, published):
    text = CHAPTER + "\n```{python}\n1 / 0\n```\n"
    (project / "index.qmd").write_text(text)
    line = text.splitlines().index("1 / 0")  # the fence is the line before; lines count from 1
    done = run_report(project, "build")
    assert done.returncode != 0
    assert f"chapter index, cell at index.qmd:{line}: ZeroDivisionError" in done.stderr, done.stderr
    assert same_tree(project / "_site", published / "_site")


def test_debug_shows_the_traceback(project):
    shutil.rmtree(project / "data" / "widgets")
    done = run_report(project, "--debug", "build")
    assert done.returncode != 0 and "Traceback" in done.stderr


@pytest.mark.parametrize("case, setup, args, words", COMMAND_CASES, ids=[c[0] for c in COMMAND_CASES])
def test_unsafe_commands_are_refused_and_touch_nothing(project, case, setup, args, words):
    handle = setup(project) if setup else None
    before = tree_hashes(project)
    try:
        done, group_left = run_in_own_group(project, *args)
    finally:
        if handle:
            handle.close()
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output
    assert all(word in output for word in words), output
    assert tree_hashes(project) == before
    assert leftovers(project) == []
    assert not group_left, "a process of the command's group outlived it"


def test_a_relative_site_dir_builds_without_false_link_errors(project):
    done = run_report(project, "build", "--site-dir", "mysite")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (project / "mysite" / "index.html").is_file() and (project / "mysite" / "build-manifest.json").is_file()


def test_a_wrong_frame_in_the_cache_is_never_published(project):
    """A loadable pickle of another frame put in place of every cached frame: the build parses the CSV again."""
    wrong = pickle.dumps(pd.DataFrame({"la_code_old": ["x"] * 7}))
    frames = list((project / ".cache" / "frames").glob("*.pkl"))
    assert frames
    for path in frames:
        path.write_bytes(wrong)
    run_report(project, "build", "--force", check=True)
    page = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert "There are 2 widget rows" in page


def test_a_truncated_chart_runtime_in_the_cache_is_bundled_again(project, published):
    (runtime,) = (project / ".cache" / "js").glob("vega-runtime-*.js")
    runtime.write_text(runtime.read_text(encoding="utf-8")[:1000], encoding="utf-8")
    run_report(project, "build", "--force", check=True)
    (new,) = (project / "_site" / "assets").glob("vega-runtime.*.js")
    (old,) = (published / "_site" / "assets").glob("vega-runtime.*.js")
    assert new.read_bytes() == old.read_bytes() and new.stat().st_size > 100_000
