"""Atomic publish: build into a staging folder beside `_site/`, then swap it in with one rename.

On Linux `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically, so a reader (or a killed build)
always sees the old site or the new one, never a mix. Stale staging folders of dead builds are removed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def staging_dir(site: Path) -> Path:
    return site.with_name(f"{site.name}.staging-{os.getpid()}")


def remove_stale(site: Path) -> None:
    """Staging folders left by builds that were killed (their process no longer exists)."""
    for folder in site.parent.glob(f"{site.name}.staging-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def publish(staging: Path, site: Path) -> None:
    """Make `staging` the site; the previous site is deleted only after the swap."""
    if site.exists() and not site.is_symlink():
        if _exchange(staging, site):
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = site.with_name(f"{site.name}.old-{os.getpid()}")
        os.rename(site, old)
        os.rename(staging, site)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, site)


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
