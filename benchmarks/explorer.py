"""Council explorer benchmark: the time to draw and write every council page against one report chapter's.

Each repetition runs three `report build`s on a throwaway copy of the project, timed by the build record:
    cold      no _site/, no .cache/: every council's figures and charts drawn
    chapter   one chapter edited: the explorer's cache is reused, its pages written again
    ofsted    one value of ofsted-inspections changed: only the figures and the Ofsted timelines re-drawn
The explorer's time is its stage (load the data, compute every council's figures, draw and compile each kind
of chart once and put every council's parts in) plus writing its pages; a chapter's time is the kernel time
of the median chapter in the cold build. Goal: explorer ≤ 3 × one chapter. Also printed, for context: a
chapter's share of the whole cold build without the explorer.

Usage: python benchmarks/explorer.py [--repeat N] [--workers N] [--readme]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scenarios import GOALS, clean, copy_project, correct_resource, machine, run

ROOT = Path(__file__).resolve().parents[1]
GOAL = GOALS["explorer / chapter"]


def build(project: Path, workers: int | None, fresh: bool) -> tuple[float, dict]:
    """Wall-clock seconds of one `report build` (from nothing if `fresh`), and the build record it left."""
    if fresh:
        clean(project)
    return run(project, [sys.executable, "-m", "report.cli", "build"] + (["--workers", str(workers)] if workers else []))


def explorer_seconds(record: dict) -> float:
    return record["seconds"].get("explorer", 0.0) + record["seconds"].get("explorer_pages", 0.0)


def edit_chapter(project: Path, step: int) -> None:
    path = project / "chapters" / "07-international-examples.qmd"
    path.write_text(path.read_text(encoding="utf-8") + f"\n<!-- benchmark edit {step} -->\n", encoding="utf-8")


def change_inspection(project: Path, step: int) -> None:
    """A correction to one inspection's publication date (moved by `step` days)."""
    import pandas as pd

    def edit(frame: pd.DataFrame) -> None:
        day = pd.Timestamp(frame.at[0, "publication_date"]) + pd.Timedelta(days=step)
        frame.at[0, "publication_date"] = day.strftime("%Y-%m-%d")

    correct_resource(project, "ofsted-inspections", "inspections", edit)


def repetition(project: Path, step: int, workers: int | None) -> dict:
    """Cold, chapter-edited and Ofsted-updated builds: the figures each measured."""
    seconds, record = build(project, workers, fresh=True)
    chapters = record["chapter_seconds"]
    cold = explorer_seconds(record)
    figures = {"drawing": record["seconds"].get("explorer", 0.0), "pages": record["seconds"].get("explorer_pages", 0.0),
               "cold": cold, "chapter": statistics.median(chapters.values()),
               "slowest_chapter": max(chapters.values()), "share": (seconds - cold) / len(chapters), "build": seconds}
    edit_chapter(project, step)
    _, record = build(project, workers, fresh=False)
    assert record["pages"]["explorer"] == "reused", record["pages"]["explorer"]
    figures["reused"] = explorer_seconds(record)
    change_inspection(project, step)
    _, record = build(project, workers, fresh=False)
    assert record["pages"]["explorer"].startswith("built: figures") and "care:" not in record["pages"]["explorer"], record["pages"]["explorer"]
    figures["ofsted"] = explorer_seconds(record)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold builds to take the median of (default 3)")
    parser.add_argument("--workers", type=int, default=None, help="kernels (default: one per core)")
    parser.add_argument("--readme", action="store_true", help="write the figures into README.md (Performance)")
    args = parser.parse_args(argv)
    print(f"council explorer benchmark on {machine()}, {args.repeat} repetition(s)")
    runs = []
    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as folder:
        project = copy_project(ROOT, Path(folder) / "project")
        for step in range(1, args.repeat + 1):
            runs.append(repetition(project, step, args.workers))
            councils = len(list((project / "_site").glob("council-*.html")))
            print(f"  repetition {step}: explorer cold {runs[-1]['cold']:.1f} s, reused {runs[-1]['reused']:.1f} s, "
                  f"Ofsted update {runs[-1]['ofsted']:.1f} s ({councils} council pages); median chapter "
                  f"{runs[-1]['chapter']:.1f} s")
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    ratios = {name: median[name] / median["chapter"] for name in ("cold", "reused", "ofsted")}
    verdict = {name: "met" if ratio <= GOAL else "**missed**" for name, ratio in ratios.items()}
    lines = [
        "| council explorer (all pages) | median (s) | / one chapter | goal | |", "|---|---:|---:|---|---|",
        f"| cold: {councils} councils' figures and charts drawn, pages written | {median['cold']:.2f} | "
        f"{ratios['cold']:.1f} | ≤ {GOAL:g} | {verdict['cold']} |",
        f"| a chapter edited: drawings reused, pages written | {median['reused']:.2f} | {ratios['reused']:.1f} | "
        f"≤ {GOAL:g} | {verdict['reused']} |",
        f"| one Ofsted value changed: figures and timelines re-drawn | {median['ofsted']:.2f} | "
        f"{ratios['ofsted']:.1f} | ≤ {GOAL:g} | {verdict['ofsted']} |",
        "",
        f"One report chapter: {median['chapter']:.2f} s (median chapter's kernel time in the cold build; slowest "
        f"{median['slowest_chapter']:.2f} s; a chapter's share of the whole cold build without the explorer "
        f"{median['share']:.2f} s). Cold explorer: drawing {median['drawing']:.2f} s, pages {median['pages']:.2f} s, "
        f"{median['cold'] / max(councils, 1) * 1000:.0f} ms per council.",
    ]
    print("\n" + "\n".join(lines))
    if args.readme:
        readme = ROOT / "README.md"
        readme.write_text(readme_section(readme.read_text(encoding="utf-8"), lines, args.repeat), encoding="utf-8")
        print(f"\nwrote the figures into {readme}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"explorer-{stamp}.json").write_text(json.dumps({"machine": machine(), "median": median,
                                                                "ratios": ratios, "runs": runs}, indent=2))
    return 0


START, END = "<!-- explorer-bench:start -->", "<!-- explorer-bench:end -->"


def readme_section(text: str, lines: list[str], repeat: int) -> str:
    """Replace the figures between the explorer's markers in README.md."""
    body = "\n".join([START, "", f"Measured with `python benchmarks/explorer.py --repeat {repeat}` on {machine()}:",
                      "", *lines, "", END])
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, text, flags=re.S)


if __name__ == "__main__":
    sys.exit(main())
