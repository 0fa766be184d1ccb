"""Staging folders of `report data update` (data/.update-<package>-<pid>-<random>/), and their removal once
the update that made them has ended: removed by its own `finally`, or by the next update or build after a
`kill -9`. Light on purpose: the builder's no-op path imports it."""

from __future__ import annotations

import os
from pathlib import Path

from report.builder.children import alive
from report.builder.publish import remove_tree

STAGING = ".update-"


def remove_stale_updates(data_dir: Path) -> list[Path]:
    """Remove staging folders whose update has ended (its process is gone, or the name holds no pid)."""
    removed = []
    for folder in Path(data_dir).glob(f"{STAGING}*"):
        pid = folder.name.rsplit("-", 2)[-2] if folder.name.count("-") >= 3 else ""
        if folder.is_dir() and not (pid.isdigit() and int(pid) != os.getpid() and alive(int(pid))):
            remove_tree(folder)
            removed.append(folder)
    return removed
