"""Build benchmarks on a throwaway copy of the project: medians of several runs and the ratios to the goals.

    cold     `report build` with no _site/ and no .cache/ (HTML + PDF, every chapter, every package checked)
    naive    the same stages as plain `quarto render` works: no cache, a fresh kernel per chapter, in turn
    no-op    `report build` again with nothing changed
    update   `report build` after one value of one package changed (children-looked-after, re-versioned)

Every run is a fresh `report build` process, timed from start to exit, as a person would run it.
Usage: python benchmarks/run.py [--repeat N] [--readme]   (`make bench`)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scenarios import GOALS, STAGES, change_one_value, clean, copy_project, machine, readme_section, run

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def measure(project: Path, repeat: int, explorer: bool = True, say=print) -> dict[str, list]:
    """Each repetition: cold, no-op, one-package update, then naive from clean again (the report alone, as the
    naive pipeline builds it: --no-explorer); then a full cold build with the council pages, for the explorer."""
    full = [sys.executable, "-m", "report.cli", "build"]
    build = full + ["--no-explorer"]
    naive = [sys.executable, str(Path(__file__).with_name("naive.py")), str(project)]
    runs: dict[str, list] = {name: [] for name in ("cold", "naive", "noop", "update", "full")}
    for step in range(1, repeat + 1):
        clean(project)
        runs["cold"].append(run(project, build))
        runs["noop"].append(run(project, build))
        if not runs["noop"][-1][1]["noop"]:
            raise SystemExit("the no-op rebuild was not a no-op: " + json.dumps(runs["noop"][-1][1]))
        change_one_value(project, step)
        runs["update"].append(run(project, build))
        clean(project)
        runs["naive"].append(run(project, naive))
        clean(project)
        if explorer:
            runs["full"].append(run(project, full))
        say(f"  repetition {step}/{repeat}: " + ", ".join(f"{k} {v[-1][0]:.1f} s" for k, v in runs.items() if v))
    return runs


def report(runs: dict[str, list]) -> tuple[list[str], dict]:
    """The table (Markdown) and the figures behind it."""
    median = {name: statistics.median(s for s, _ in values) for name, values in runs.items() if values}
    ratios = {"cold / naive": median["cold"] / median["naive"], "no-op / cold": median["noop"] / median["cold"],
              "update / cold": median["update"] / median["cold"]}
    lines = ["| scenario | median (s) | runs (s) | ratio | goal | |", "|---|---:|---|---|---|---|"]
    labels = {"cold": "cold full build (empty cache)", "naive": "naive: fresh kernel per chapter, no cache",
              "noop": "no-op rebuild", "update": "one package updated (children-looked-after)"}
    ratio_of = {"cold": "cold / naive", "noop": "no-op / cold", "update": "update / cold"}
    for name in ("naive", "cold", "noop", "update"):
        runs_text = " ".join(f"{s:.2f}" for s, _ in runs[name])
        ratio = ratio_of.get(name)
        goal = f"≤ {GOALS[ratio]:.2f}" if ratio else ""
        verdict = ("met" if ratios[ratio] <= GOALS[ratio] else "**missed**") if ratio else ""
        ratio_text = f"{ratio} = {ratios[ratio]:.3f}" if ratio else ""
        lines.append(f"| {labels[name]} | {median[name]:.2f} | {runs_text} | {ratio_text} | {goal} | {verdict} |")
    lines += ["", "Where the time goes (median seconds per stage, from the build record; `validate` runs while "
              "the kernels start, so `execute` includes it):", "",
              "| scenario | " + " | ".join(STAGES) + " | chapters run |", "|---|" + "---:|" * (len(STAGES) + 1)]
    for name in ("naive", "cold", "noop", "update"):
        stages = [statistics.median(r["seconds"].get(stage, 0.0) for _, r in runs[name]) for stage in STAGES]
        executed = statistics.median(len(r["executed"]) for _, r in runs[name])
        lines.append(f"| {name} | " + " | ".join(f"{s:.2f}" for s in stages) + f" | {executed:g} |")
    lines += explorer_lines(runs["full"], ratios) if runs["full"] else []
    return lines, {"median": median, "ratios": ratios}


def explorer_lines(cold: list, ratios: dict) -> list[str]:
    """The council explorer in the cold builds (drawing every council's charts, writing the pages) against
    one report chapter (the median chapter's kernel time); benchmarks/explorer.py has more scenarios."""
    explorer = [r["seconds"].get("explorer", 0.0) + r["seconds"].get("explorer_pages", 0.0) for _, r in cold]
    chapter = [statistics.median(r["chapter_seconds"].values()) for _, r in cold if r.get("chapter_seconds")]
    if not any(explorer) or not chapter:
        return []
    ratios["explorer / chapter"] = statistics.median(explorer) / statistics.median(chapter)
    goal = GOALS["explorer / chapter"]
    verdict = "met" if ratios["explorer / chapter"] <= goal else "**missed**"
    return ["", "| council explorer (cold) | median (s) | one chapter (s) | ratio | goal | |",
            "|---|---:|---:|---|---|---|",
            f"| every council page: figures, charts, files, pages | {statistics.median(explorer):.2f} | "
            f"{statistics.median(chapter):.2f} | explorer / chapter = {ratios['explorer / chapter']:.1f} | "
            f"≤ {goal:.0f} | {verdict} |"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each scenario (default 3)")
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md (Performance)")
    parser.add_argument("--no-explorer", action="store_true", help="skip the full build with the council pages")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
        project = copy_project(ROOT, Path(folder) / "project")
        chapters = len([line for line in (project / "_quarto.yml").read_text().splitlines()
                        if line.strip().startswith("- ")])
        print(f"benchmarking {chapters} chapters on {machine()}, {args.repeat} repetition(s)")
        load_before = os.getloadavg()[0]
        runs = measure(project, args.repeat, explorer=not args.no_explorer)
    lines, figures = report(runs)
    lines += ["", f"Load average (1 min) {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end "
                  "(other work on the machine makes the figures noisy)."]
    update = runs["update"][-1][1]["executed"]
    lines += ["", f"The update re-ran {len(update)} chapter(s): {', '.join(sorted(update))}."]
    print("\n" + "\n".join(lines))
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"bench-{stamp}.json").write_text(json.dumps(
        {"machine": machine(), "chapters": chapters, **figures,
         "runs": {k: [{"seconds": s, "record": r} for s, r in v] for k, v in runs.items()}}, indent=2))
    if args.readme:
        README.write_text(readme_section(README.read_text(encoding="utf-8"), lines, machine(), chapters),
                          encoding="utf-8")
        print(f"\nwrote the figures into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
