"""The naive pipeline, as plain `quarto render` works: the same stages, no cache, a fresh kernel per chapter.

Each chapter gets its own kernel (owned by nbclient, shut down immediately after), run one after another;
every package is validated and everything is rendered again. Usage: python benchmarks/naive.py PROJECT
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from report.builder.execute import to_notebook
from report.builder.pipeline import Build, BuildOptions, BuildRecord, _save_record, assemble, parse_all
from report.builder.publish import publish, staging_dir
from report.builder.render import ChartRenderer
from report.builder.validation import package_fingerprint
from report.data.packages import discover, read_package
from report.data.validate import validate_package
from report.project import Project


def validate_all(project: Project) -> dict[str, dict]:
    packages = {}
    for folder in discover(project.data_dir):
        report = validate_package(folder)
        if not report.ok:
            raise SystemExit(f"package {folder.name} does not validate: {report.problems[0]}")
        package = read_package(folder)
        packages[package.name] = {"version": package.version, "hash": package_fingerprint(folder),
                                  "title": package.descriptor.get("title", package.name)}
    return packages


def execute_one(chapter, root: Path) -> nbformat.NotebookNode:
    """A fresh kernel for one chapter, started, used and shut down by nbclient."""
    notebook = to_notebook(chapter, root, "report.chapter")  # as _quarto.yml report.kernel-setup says
    NotebookClient(notebook, kernel_name="python3", timeout=120, shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(root)}}).execute()
    return notebook


def naive_build(project: Project) -> BuildRecord:
    os.environ["REPORT_PROJECT"] = str(project.root)
    shutil.rmtree(project.cache_dir, ignore_errors=True)  # no cache of any kind: every chart drawn again
    run = Build(project, BuildOptions(extra_pages=False), say=lambda _: None)  # the report only: --no-extra-pages
    record, clock = run.record, run.clock
    run.packages = packages = validate_all(project)
    record.seconds["validate"] = clock.lap()
    chapters = parse_all(project, packages)
    payloads = {}
    for chapter in chapters:
        payloads[chapter.name] = execute_one(chapter, project.root)
        record.executed[chapter.name] = "naive: every chapter, fresh kernel"
    record.seconds["execute"] = clock.lap()
    site = project.site_dir
    staging = staging_dir(site)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with ChartRenderer(project.cache_dir) as run.renderer:
            run.site_key = "naive"
            assemble(run, chapters, payloads, staging)
        publish(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _save_record(project, record)
    return record


if __name__ == "__main__":
    done = naive_build(Project.find(sys.argv[1] if len(sys.argv) > 1 else None))
    print(json.dumps(done.seconds))
