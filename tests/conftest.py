"""Shared fixtures: the project root, a throwaway copy of the project, one full build per session."""

from __future__ import annotations

import contextlib
import filecmp
import functools
import http.server
import shutil
import subprocess
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The publishers' raw files: REPORT_SOURCES names the folder (default ../shared/sources, as CI has it;
# `report data fetch` fills one). Tests that read them use `needs_sources`; CI sets REQUIRE_SOURCES=1 so a
# missing folder fails them instead of skipping.
RAW_SOURCES = Path(os.environ.get("REPORT_SOURCES", ROOT.parent / "shared" / "sources")).resolve()
SOURCES = RAW_SOURCES


@pytest.fixture
def raw_sources() -> Path:
    """The publishers' files, or one clear skip (a failure under REQUIRE_SOURCES=1) when there are none."""
    if not (RAW_SOURCES.is_dir() and any(RAW_SOURCES.iterdir())):
        reason = (f"publishers' raw files not found at {RAW_SOURCES}: set REPORT_SOURCES or run "
                  f"`report data fetch` to get them")
        if os.environ.get("REQUIRE_SOURCES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return RAW_SOURCES


needs_sources = pytest.mark.usefixtures("raw_sources")
PROJECT_FILES = ["_quarto.yml", "index.qmd", "references.bib", "chapters", "data"]


def require_tool(command: str, package: str) -> str:
    """Fail (never skip) with the Debian package to install when a system tool is missing."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(f"{command} not found: install the Debian package {package} (apt-get install {package})")
    return path


def pdf_text(path) -> str:
    """A PDF's text as poppler reads it, whitespace collapsed and curly apostrophes straightened."""
    require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.replace("’", "'").split())


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path, handler_class=None):
    """Serve `folder` on 127.0.0.1 (a free port) for as long as the block runs; yields the base URL.
    `handler_class`: a SimpleHTTPRequestHandler of the test's own (QuietHandler by default)."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (Playwright allows one sync driver at a time)."""
    executable = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def copy_project(target: Path) -> Path:
    """The project's sources and data in a fresh folder; the report code is the installed package."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def run_report(project: Path, *args: str, check: bool = False, env: dict | None = None,
               timeout: float | None = 900) -> subprocess.CompletedProcess:
    """Run the real `report` command in `project`, as a person would."""
    done = subprocess.run([sys.executable, "-m", "report.cli", *args], cwd=project, capture_output=True,
                          text=True, env={**_env(), "REPORT_PROJECT": str(project), **(env or {})},
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"report {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _env() -> dict:
    import os

    return dict(os.environ)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The whole report built once, from a copy of the project, with an empty cache."""
    require_tool("pdftotext", "poppler-utils")
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    run_report(project, "build", check=True)
    return project


def tree(folder) -> list:
    """Every file under `folder`, as paths relative to it, sorted."""
    return sorted(p.relative_to(folder) for p in Path(folder).rglob("*") if p.is_file())


def same_tree(a, b) -> bool:
    """`a` and `b` hold the same files, byte for byte."""
    files = [str(p) for p in tree(a)]
    if files != [str(p) for p in tree(b)]:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return not mismatch and not errors
