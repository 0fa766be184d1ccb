"""`report preview` in a real browser: edits show, a broken cell shows its error over the last good page."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import copy_project

CHAPTER = "10-recommendations.qmd"
BROKEN_CELL = '\n```{python}\nraise ValueError("preview-broken-cell")\n```\n'


def start_preview(project: Path, terminal: list[str]) -> tuple[subprocess.Popen, str]:
    """`report preview --port 0` in its own process group; its later output goes to `terminal`."""
    process = subprocess.Popen([sys.executable, "-m", "report.cli", "preview", "--port", "0", "--no-explorer"],
                               cwd=project, env={**os.environ, "REPORT_PROJECT": str(project)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    for line in process.stdout:
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        if found:
            threading.Thread(target=lambda: terminal.extend(process.stdout), daemon=True).start()
            return process, found.group(1)
    raise AssertionError(f"preview ended without serving (exit {process.wait()})")


def group_members(pgid: int) -> list[str]:
    """Processes still in the preview's process group (from /proc, not from the preview's own word)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(stat.parent.name)
    return members


@pytest.mark.slow
def test_preview_edit_break_fix_stop(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    chapter = project / "chapters" / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    terminal: list[str] = []
    process, url = start_preview(project, terminal)
    try:
        page_name = next(p.name for p in (project / "_site").glob("*.html") if "recommendations" in p.name)
        page = browser.new_page()
        page.goto(url + page_name)
        chapter.write_text(original + "\n\nPreview marker one.\n", encoding="utf-8")
        page.get_by_text("Preview marker one.").wait_for(timeout=120_000)

        chapter.write_text(original + "\n\nPreview marker one.\n" + BROKEN_CELL, encoding="utf-8")
        overlay = page.locator("#preview-error")
        overlay.wait_for(timeout=120_000)
        assert "preview-broken-cell" in overlay.inner_text()
        assert page.get_by_text("Preview marker one.").count() == 1  # the last good page stays
        assert any("preview-broken-cell" in line for line in terminal)
        assert "Preview marker one." in (project / "_site" / page_name).read_text(encoding="utf-8")

        chapter.write_text(original + "\n\nPreview marker two.\n", encoding="utf-8")
        page.get_by_text("Preview marker two.").wait_for(timeout=120_000)
        assert page.locator("#preview-error").count() == 0
        page.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_members(process.pid) == []
