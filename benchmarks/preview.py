"""`report preview` benchmarks, driven by a real browser (Debian's chromium) on the served page.

    prose    a sentence added to a chapter -> the browser shows it
    code     an inline expression added (the chapter re-runs on a kernel) -> the browser shows its value
    update   one value of children-looked-after corrected (re-versioned) -> the page has reloaded

Times run from the file write to the browser having the new page; medians of --repeat runs.
Usage: python benchmarks/preview.py [--repeat N]   (part of `make bench`)
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from scenarios import change_one_value, copy_project

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "chapters/02-rising-demand.qmd"
GOALS = {"prose": 0.5, "code": 1.5, "update": 2.0}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def start(project: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "report.cli", "preview", "--port", "0", "--no-explorer"],
                               cwd=project, env={**os.environ, "REPORT_PROJECT": str(project)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    for line in process.stdout:
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("report preview ended before serving")


def timed_reload(page, change) -> float:
    """Seconds from `change()` to the page having reloaded (a mark set on the old page is gone)."""
    page.evaluate("window.__benchMark = 1")
    started = time.perf_counter()
    change()
    page.wait_for_function("() => window.__benchMark === undefined && document.readyState === 'complete'",
                           timeout=120_000, polling=20)
    return time.perf_counter() - started


def measure(project: Path, url: str, repeat: int, browser) -> dict[str, list[float]]:
    chapter = project / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "rising-demand.html")
    runs: dict[str, list[float]] = {"prose": [], "code": [], "update": []}
    for step in range(1, repeat + 1):
        runs["prose"].append(timed_reload(page, lambda: chapter.write_text(
            original + f"\n\nA sentence added by the benchmark, number {step}.\n", encoding="utf-8")))
        runs["code"].append(timed_reload(page, lambda: chapter.write_text(
            original + f'\n\nThe benchmark\'s mark is `{{python}} "code-mark-{step}"`.\n', encoding="utf-8")))
        assert page.get_by_text(f"code-mark-{step}").count() == 1
        runs["update"].append(timed_reload(page, lambda: change_one_value(project, step)))
        print("  repetition {}/{}: ".format(step, repeat) + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in runs.items()))
    chapter.write_text(original, encoding="utf-8")
    return runs


def table(runs: dict[str, list[float]]) -> list[str]:
    labels = {"prose": "preview: prose edit -> refreshed page", "code": "preview: code edit -> refreshed page",
              "update": "preview: one package updated -> refreshed page"}
    lines = ["| scenario | median (s) | runs (s) | goal (s) | |", "|---|---:|---|---|---|"]
    for name, values in runs.items():
        median = statistics.median(values)
        verdict = "met" if median <= GOALS[name] else "**missed**"
        lines.append(f"| {labels[name]} | {median:.2f} | {' '.join(f'{v:.2f}' for v in values)} | "
                     f"≤ {GOALS[name]} | {verdict} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each scenario (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-bench-preview-") as folder:
        project = copy_project(ROOT, Path(folder) / "project")
        process, url = start(project)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                runs = measure(project, url, args.repeat, browser)
                browser.close()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    print("\n" + "\n".join(table(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
