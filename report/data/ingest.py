"""Run a package's ingest script (scripts/<name>.py) on publisher files, into a folder of our choice."""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from report.builder.children import die_with_parent
from report.data.packages import PackageError


def script_path(root: Path, package: str) -> Path:
    path = Path(root) / "scripts" / f"{package.replace('-', '_')}.py"
    if not path.is_file():
        raise PackageError(f"package {package}: no ingest script {path.relative_to(root)}")
    return path


def script_module(root: Path, package: str) -> ModuleType:
    """The script as a module, to read its INPUTS and SOURCES (the scripts folder goes on sys.path)."""
    path = script_path(root, package)
    scripts = str(path.parent)
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    spec = importlib.util.spec_from_file_location(f"ingest_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_sources(root: Path, package: str, sources_dir: Path) -> list[Path]:
    """The publisher files the package is currently built from."""
    return [Path(sources_dir) / name for name in script_module(root, package).SOURCES]


def run_script(root: Path, package: str, files: list[Path], out: Path) -> None:
    """Run the script in its own process, as a person would; its error message becomes ours. The script dies
    with this process (report.builder.children), so a killed update leaves no script writing."""
    done = subprocess.run([sys.executable, str(script_path(root, package)), *map(str, files), "--out", str(out)],
                          capture_output=True, text=True, cwd=root,
                          preexec_fn=functools.partial(die_with_parent, os.getpid()))
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise PackageError(f"package {package}: ingest script failed: {message.removeprefix('error: ')}")
