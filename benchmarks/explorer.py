"""Council explorer benchmark: the time to draw and write every council page against one report chapter's.

Each repetition is a cold `report build` (no _site/, no .cache/) of a throwaway copy of the project, timed by
the build record: the explorer's time is its stage (load the data, compute every council's figures, draw
every council's charts and chart files on the worker pool) plus writing its pages; a chapter's time is the
kernel time of one chapter in the same build (the median chapter). Goal: explorer ≤ 3 × one chapter.
Also printed, for context: a chapter's share of the whole cold build without the explorer.

Usage: python benchmarks/explorer.py [--repeat N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = ["_quarto.yml", "index.qmd", "references.bib", "chapters", "data"]
GOAL = 3.0


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def cold_build(project: Path, workers: int | None) -> tuple[float, dict]:
    """Wall-clock seconds of one cold `report build`, and the build record it left."""
    for path in (project / "_site", project / ".cache"):
        shutil.rmtree(path, ignore_errors=True)
    command = [sys.executable, "-m", "report.cli", "build"] + (["--workers", str(workers)] if workers else [])
    started = time.perf_counter()
    done = subprocess.run(command, cwd=project, capture_output=True, text=True,
                          env={**os.environ, "REPORT_PROJECT": str(project)})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"report build failed:\n{done.stdout}\n{done.stderr}")
    return seconds, json.loads((project / ".cache" / "last-build.json").read_text(encoding="utf-8"))


def figures(seconds: float, record: dict) -> dict:
    """What one repetition measured."""
    stages = record["seconds"]
    explorer = stages.get("explorer", 0.0) + stages.get("explorer_pages", 0.0)
    chapters = record["chapter_seconds"]
    return {"explorer": explorer, "drawing": stages.get("explorer", 0.0),
            "pages": stages.get("explorer_pages", 0.0), "chapter": statistics.median(chapters.values()),
            "slowest_chapter": max(chapters.values()), "share": (seconds - explorer) / len(chapters),
            "build": seconds}


def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold builds to take the median of (default 3)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    print(f"council explorer benchmark on {machine()}, {args.repeat} cold build(s)")
    runs = []
    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as folder:
        project = copy_project(Path(folder) / "project")
        for step in range(1, args.repeat + 1):
            seconds, record = cold_build(project, args.workers)
            runs.append(figures(seconds, record))
            councils = len(list((project / "_site").glob("council-*.html")))
            print(f"  build {step}: explorer {runs[-1]['explorer']:.1f} s ({councils} council pages), "
                  f"median chapter {runs[-1]['chapter']:.1f} s, whole build {seconds:.1f} s")
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    ratio = median["explorer"] / median["chapter"]
    lines = [
        "| measure | median (s) |", "|---|---:|",
        f"| council explorer: drawing (data, figures, {councils} councils' charts and files) | {median['drawing']:.2f} |",
        f"| council explorer: writing its pages | {median['pages']:.2f} |",
        f"| council explorer, all pages | {median['explorer']:.2f} |",
        f"| one report chapter (median chapter's kernel time) | {median['chapter']:.2f} |",
        f"| one report chapter (slowest chapter's kernel time) | {median['slowest_chapter']:.2f} |",
        f"| a chapter's share of the cold build without the explorer | {median['share']:.2f} |",
        "",
        f"explorer / one chapter = {ratio:.1f} (goal ≤ {GOAL:g}: {'met' if ratio <= GOAL else 'missed'}); "
        f"explorer / a chapter's share of the build = {median['explorer'] / median['share']:.1f}; "
        f"per council {median['explorer'] / max(councils, 1) * 1000:.0f} ms.",
    ]
    print("\n" + "\n".join(lines))
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"explorer-{stamp}.json").write_text(json.dumps({"machine": machine(), "median": median,
                                                                "ratio": ratio, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
