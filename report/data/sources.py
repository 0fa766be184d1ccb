"""The publishers' raw files as snapshots: a committed lock (path, URL, sha256, bytes, licence) and a fetch that
fills a sources folder from a mirror or the URLs, verifying every checksum (as owid/etl keeps its snapshots)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path

from report.data.ingest import script_module
from report.data.packages import PackageError, feed

LOCK = "sources.lock.json"
SHORTHAND = re.compile(r"\*\*(\w+)\*\* = `([\w.-]+/[\w.-]+)` @ `([0-9a-f]{40})`(?:,\s*paths under `([^`]+)`)?")
REPOSITORY = re.compile(r"`([\w.-]+/[\w.-]+)` @ `([0-9a-f]{40})`")


class SourceError(PackageError):
    """A raw file that is missing, or whose bytes are not the ones the lock names."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    feed(digest, path)
    return digest.hexdigest()


def read_paths(root: Path) -> list[str]:
    """Every publisher file an ingest script reads (each script's SOURCES), sorted, once each."""
    names = sorted(p.stem for p in (Path(root) / "scripts").glob("[a-z]*.py"))
    return sorted({path for name in names for path in script_module(root, name.replace("_", "-")).SOURCES})


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _obtained_via(text: str, filename: str) -> str | None:
    """The "obtained via" cell of the SOURCES.md table row naming the file, else the folder's own line."""
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = _cells(line)
        if not header:
            header = [c.lower() for c in cells]
        elif filename in cells[0]:
            column = next((i for i, name in enumerate(header) if name.startswith("obtained")), None)
            if column is not None and column < len(cells):
                return cells[column]
    folder = re.search(r"^\| Obtained (?:via|from) \| ([^|]+)\|", text, flags=re.M | re.I)
    return folder.group(1).strip() if folder else None


def _licence(text: str) -> str:
    match = re.search(r"^\| Licence \| ([^|.;(]+)", text, flags=re.M)
    return match.group(1).strip() if match else "see SOURCES.md"


def _origin(text: str, via: str | None, filename: str) -> dict:
    """Where a file was obtained, and its URL at the fixed commit when SOURCES.md names repository and path."""
    if not via:
        return {"obtained_via": None, "url": None}
    shorthands = {m.group(1): m.groups()[1:] for m in SHORTHAND.finditer(text)}
    url = None
    found = re.match(r"(\w+) `([^`]+)`", via)
    if found and found.group(1) in shorthands:
        repo, commit, under = shorthands[found.group(1)]
        path = found.group(2) if not under or found.group(2).startswith(under.split("/")[0]) else under + found.group(2)
        url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
    elif direct := REPOSITORY.search(via):
        rest = via[direct.end():].replace("<same file name>", filename)
        path = re.search(r"`([^`]+\.\w+)`", rest) or re.search(r"path ([\w./-]+\.\w+)", rest)
        if path:
            url = f"https://raw.githubusercontent.com/{direct.group(1)}/{direct.group(2)}/{path.group(1)}"
    return {"obtained_via": via.replace("`", ""), "url": url}


def lock_entry(sources: Path, relative: str) -> dict:
    path = Path(sources) / relative
    if not path.is_file():
        raise SourceError(f"{path}: a file an ingest script reads is missing")
    catalogue = path.parents[len(Path(relative).parts) - 2] / "SOURCES.md"
    text = catalogue.read_text(encoding="utf-8") if catalogue.is_file() else ""
    return {"path": relative, "sha256": sha256_of(path), "bytes": path.stat().st_size, "licence": _licence(text),
            **_origin(text, _obtained_via(text, path.name), path.name)}


def write_lock(root: Path, sources: Path) -> Path:
    """Write sources.lock.json at the project root from the files in `sources`."""
    entries = [lock_entry(sources, relative) for relative in read_paths(root)]
    target = Path(root) / LOCK
    lock = {"catalogue": "each folder's SOURCES.md in the sources folder", "files": entries}
    target.write_text(json.dumps(lock, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def read_lock(root: Path) -> list[dict]:
    path = Path(root) / LOCK
    if not path.is_file():
        raise SourceError(f"{path}: no sources lock (run `report data lock` with the publishers' files)")
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def _copy_from(mirror: str, entry: dict, target: Path) -> None:
    """Copy one file from a mirror folder, a mirror URL (path appended) or, without a mirror, its own URL."""
    if mirror and not re.match(r"https?://", mirror):
        shutil.copyfile(Path(mirror) / entry["path"], target)
        return
    url = f"{mirror.rstrip('/')}/{entry['path']}" if mirror else entry["url"]
    if not url:
        raise SourceError(f"{entry['path']}: the lock names no URL for it; use --mirror")
    with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:  # noqa: S310
        shutil.copyfileobj(response, out)


def fetch_one(entry: dict, sources: Path, mirror: str | None) -> bool:
    """Bring one file into `sources` unless it is already there with the right bytes; True when fetched."""
    final = Path(sources) / entry["path"]
    if final.is_file() and sha256_of(final) == entry["sha256"]:
        return False
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".fetch-")
    os.close(handle)
    try:
        try:
            _copy_from(mirror, entry, Path(temporary))
        except OSError as error:
            raise SourceError(f"{entry['path']}: could not fetch: {error}") from error
        got = sha256_of(Path(temporary))
        if got != entry["sha256"]:
            raise SourceError(f"{entry['path']}: sha256 {got[:12]}… does not match the lock's {entry['sha256'][:12]}…")
        os.replace(temporary, final)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return True


def fetch(root: Path, sources: Path, mirror: str | None = None) -> tuple[int, int]:
    """Fill `sources` with every locked file; returns (fetched, already present). Stops at the first bad file."""
    entries = read_lock(root)
    fetched = sum(fetch_one(entry, sources, mirror) for entry in entries)
    return fetched, len(entries) - fetched
