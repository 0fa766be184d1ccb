"""An edit to the engine re-runs no chapter and re-draws no council chart: the chapters' cache is keyed on
the modules their kernels imported, and the council charts on the report's code without the engine.

    full     `report build` with the council pages, from an empty cache
    template a comment added to a builder template (page.html), then `report build`
    module   a comment added to a builder module the kernels never import (pages.py), then `report build`

The edits are made to the installed source tree and always undone. Usage: python benchmarks/engine_edit.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from scenarios import copy_project, run

ROOT = Path(__file__).resolve().parents[1]
EDITS = {"template": ROOT / "report" / "builder" / "templates" / "page.html",
         "module": ROOT / "report" / "builder" / "pages.py"}
COMMENT = {".html": "\n{# benchmark edit #}\n", ".py": "\n# benchmark edit\n"}


def edited_build(project: Path, path: Path) -> tuple[float, dict]:
    original = path.read_bytes()
    try:
        path.write_bytes(original + COMMENT[path.suffix].encode())
        return run(project, [sys.executable, "-m", "report.cli", "build"])
    finally:
        path.write_bytes(original)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(ROOT, Path(folder) / "project")
        seconds, _ = run(project, [sys.executable, "-m", "report.cli", "build"])
        print(f"| edit | seconds | chapters re-run | council charts | noop |\n|---|---:|---:|---|---|\n"
              f"| none (full build, empty cache) | {seconds:.1f} | 13 | drawn | no |")
        failed = False
        for name, path in EDITS.items():
            seconds, record = edited_build(project, path)
            executed, explorer = record["executed"], record["pages"].get("explorer", "")
            print(f"| {name}: {path.relative_to(ROOT)} | {seconds:.1f} | {len(executed)} | {explorer} | "
                  f"{record['noop']} |")
            failed |= bool(executed) or explorer != "reused"
        print("goal (0 chapters, council charts reused):", "**missed**" if failed else "met")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
