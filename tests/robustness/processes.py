"""Processes a run started, found through /proc: every child of `report` inherits REPORT_PROJECT=<project>."""

from __future__ import annotations

import time
from pathlib import Path


def processes_of(project: Path, word: bytes = b"") -> dict[int, str]:
    """{pid: command line} of live processes started for `project` (whose command line holds `word`)."""
    marker = f"REPORT_PROJECT={project}\0".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in environ and word in cmdline and state != "Z":  # a zombie has already ended
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return found


def wait_for(condition, seconds: float = 60, step: float = 0.02):
    """Poll `condition()` until it is truthy (returned) or `seconds` pass (None)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return None


def survivors(project: Path, seconds: float = 15) -> dict[int, str]:
    """What is still running for `project` after up to `seconds` (children get a moment to notice)."""
    deadline = time.monotonic() + seconds
    while (left := processes_of(project)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left
