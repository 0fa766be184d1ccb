"""Atomic publish: build into a staging folder beside `_site/`, then swap it in with one rename.

On Linux `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically, so a reader (or a killed build)
always sees the old site or the new one, never a mix. Stale staging folders of dead builds are removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import stat
from pathlib import Path

from report.builder.children import alive

AT_FDCWD = -100
RENAME_EXCHANGE = 2
MARKER = "build-manifest.json"  # every site this tool writes has one; nothing else may be replaced
SOURCES = ("data", "chapters", "report", "scripts", "tests", "docs", "benchmarks", "references.bib",
           "_quarto.yml", "index.qmd", "README.md", "pyproject.toml", "Makefile", ".git", ".cache", ".venv")


class TargetError(Exception):
    """An output path that would overwrite something this tool did not write."""


def check_site_target(site: Path, root: Path) -> Path:
    """The resolved site folder, or TargetError: never the project (or inside its sources), never a folder
    that exists and is not a site of ours (it would be deleted by the swap)."""
    site, root = Path(os.path.abspath(site)), Path(root).resolve()
    site = site.parent.resolve() / site.name if site.name else site.resolve()
    if root.is_relative_to(site):
        raise TargetError(f"--site-dir {site} is refused: it contains the project {root}, which the build "
                          "would replace")
    for name in SOURCES:
        if site.is_relative_to(root / name):
            raise TargetError(f"--site-dir {site} is refused: it lies inside the project's {name}")
    if site.is_symlink() or site.is_file():
        raise TargetError(f"--site-dir {site} is refused: it is not a folder this tool wrote")
    if site.is_dir() and any(site.iterdir()) and not (site / MARKER).is_file():
        raise TargetError(f"--site-dir {site} is refused: it exists and is not a site this tool wrote "
                          f"(no {MARKER}); choose a new or empty folder")
    return site


def check_output_file(output: Path, root: Path) -> Path:
    """A single PDF (`--output`) may only be written to a new file or over a PDF, never into the project's sources."""
    output, root = Path(os.path.abspath(output)), Path(root).resolve()
    output = output.parent.resolve() / output.name
    if output.suffix.lower() != ".pdf":
        raise TargetError(f"--output {output} is refused: the output is a PDF; name it *.pdf")
    for name in SOURCES:
        if output.is_relative_to(root / name):
            raise TargetError(f"--output {output} is refused: it lies inside the project's {name}")
    if output.exists() and (not output.is_file() or not _is_pdf(output)):
        raise TargetError(f"--output {output} is refused: it exists and is not a PDF this tool wrote")
    return output


def _is_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(5) == b"%PDF-"


@contextlib.contextmanager
def writer_lock(root: Path, what: str):
    """One writer of data/ and _site/ at a time: a second `report build` or `data update` is refused."""
    lock = Path(root) / ".cache" / "writer.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another report command"
            raise TargetError(f"{what} refused: {holder} is writing data/ or _site/ now; wait for it to "
                              "finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"`report {what}` (process {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_tree(folder: Path) -> None:
    """rmtree that also removes read-only folders (an old site copied read-only)."""
    def unlock(function, path, _):
        parent = os.path.dirname(path)
        for target in (parent, path):
            with contextlib.suppress(OSError):
                os.chmod(target, stat.S_IRWXU)
        with contextlib.suppress(OSError):
            function(path)
    shutil.rmtree(folder, onerror=unlock)


def staging_dir(site: Path) -> Path:
    return site.with_name(f"{site.name}.staging-{os.getpid()}")


def remove_stale(site: Path) -> None:
    """Staging folders left by builds that were killed (their process no longer exists)."""
    for folder in [*site.parent.glob(f"{site.name}.staging-*"), *site.parent.glob(f"{site.name}.old-*")]:
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not alive(int(pid)):
            with contextlib.suppress(OSError):
                remove_tree(folder)


def publish(staging: Path, site: Path) -> None:
    """Make `staging` the site; the previous site is deleted only after the swap."""
    if site.exists() and not site.is_symlink():
        if _exchange(staging, site):
            with contextlib.suppress(OSError):
                remove_tree(staging)
            return
        old = site.with_name(f"{site.name}.old-{os.getpid()}")
        os.rename(site, old)
        os.rename(staging, site)
        with contextlib.suppress(OSError):
            remove_tree(old)
    else:
        os.rename(staging, site)


def _exchange(a: Path, b: Path) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0

