"""Helpers for the benchmarks: a project copy, a timed build, one changed value, the machine, the README section."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable

import pandas as pd

PROJECT_FILES = ["_quarto.yml", "index.qmd", "references.bib", "chapters", "data"]
GOALS = {"cold / naive": 0.5, "no-op / cold": 0.05, "update / cold": 0.35, "explorer / chapter": 3.0}
STAGES = ["validate", "execute", "convert", "pdf", "explorer", "site", "checks"]
PACKAGE, RESOURCE, MEASURE = "children-looked-after", "england-series", "looked_after_at_31_march"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def copy_project(root: Path, target: Path) -> Path:
    """The chapters and data in a fresh folder (the report code is the installed package)."""
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def run(project: Path, command: list[str]) -> tuple[float, dict]:
    """Wall-clock seconds of one command in `project`, and the build record it left."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=project, capture_output=True, text=True,
                          env={**os.environ, "REPORT_PROJECT": str(project)})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, json.loads((project / ".cache" / "last-build.json").read_text(encoding="utf-8"))


def clean(project: Path) -> None:
    for path in [project / "_site", project / ".cache", *project.glob("_site.*")]:
        shutil.rmtree(path, ignore_errors=True)


def correct_resource(project: Path, package: str, resource: str, edit: Callable[[pd.DataFrame], None]) -> None:
    """A publisher correction: `edit` changes the resource's rows in place; the file is written again and the
    descriptor's hash, bytes and patch version follow."""
    folder = project / "data" / package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    frame = pd.read_csv(folder / spec["path"], dtype=str, keep_default_na=False)
    edit(frame)
    data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    (folder / spec["path"]).write_bytes(data)
    spec.update({"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    major, minor, patch = map(int, descriptor["version"].split("."))
    descriptor["version"] = f"{major}.{minor}.{patch + 1}"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")


def change_one_value(project: Path, step: int) -> None:
    """One publisher correction: the latest count looked after goes up by `step`."""
    def edit(frame: pd.DataFrame) -> None:
        row = frame.loc[frame["measure"] == MEASURE, "year"].astype(int).idxmax()
        frame.at[row, "number"] = str(int(frame.at[row, "number"]) + step)

    correct_resource(project, PACKAGE, RESOURCE, edit)


def machine() -> str:
    """Cores (`nproc`), CPU model and Python: what the figures depend on."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores (nproc), {model}, Python {platform.python_version()}"


def readme_section(text: str, lines: list[str], machine_text: str, chapters: int) -> str:
    """Replace the figures between the bench markers in README.md's Performance section."""
    body = "\n".join([START, "", f"Measured with `make bench` on {machine_text}, {chapters} chapters:", "",
                      *lines, "", END])
    if START in text and END in text:
        return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, text, flags=re.S)
    return text.rstrip("\n") + "\n\n## Performance\n\n" + body + "\n"
