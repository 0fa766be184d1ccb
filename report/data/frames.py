"""The caches of parsed resources, both bounded: in memory, the most recently used frames up to a number of
bytes (REPORT_FRAME_CACHE_MB, default 256, per process); on disk (`.cache/frames/`), one verified pickle per
resource as data/ holds it now, the others removed at the start of each build."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from report.data.packages import PackageError, discover, read_package

if TYPE_CHECKING:
    import pandas as pd

FRAME_FORMAT = 2  # bump when read_table's output changes, so older parsed frames are not reused
DEFAULT_MB = 256


class FrameCache:
    """Frames by key, least recently used dropped first once they hold more than `limit` bytes together
    (None: REPORT_FRAME_CACHE_MB, read at each insertion); a frame bigger than the limit is not kept."""

    def __init__(self, limit: int | None = None):
        self._limit = limit
        self._frames: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
        self.bytes = 0

    @property
    def limit(self) -> int:
        return self._limit if self._limit is not None else \
            int(float(os.environ.get("REPORT_FRAME_CACHE_MB", DEFAULT_MB)) * 1e6)

    def get(self, key: tuple) -> pd.DataFrame | None:
        if key not in self._frames:
            return None
        self._frames.move_to_end(key)
        return self._frames[key][0]

    def put(self, key: tuple, frame: pd.DataFrame) -> None:
        self.pop(key)
        size = int(frame.memory_usage(index=True, deep=True).sum())
        if size > self.limit:
            return
        self._frames[key] = (frame, size)
        self.bytes += size
        while self.bytes > self.limit:
            self.pop(next(iter(self._frames)))

    def pop(self, key: tuple) -> None:
        if key in self._frames:
            self.bytes -= self._frames.pop(key)[1]

    def keys(self) -> list[tuple]:
        return list(self._frames)


MEMORY = FrameCache()


def disk_key(path: Path, spec: dict) -> str:
    """A parsed frame's identity: the resource's declared hash, its file's size and mtime, and its schema."""
    stat = Path(path).stat()
    return hashlib.sha256(json.dumps([FRAME_FORMAT, spec.get("hash"), stat.st_size, stat.st_mtime_ns,
                                      spec.get("schema", {})], sort_keys=True).encode()).hexdigest()


def disk_folder(data_dir: Path) -> Path:
    return Path(data_dir).parent / ".cache" / "frames"


def parsed(path: Path, spec: dict, data_dir: Path, parse) -> pd.DataFrame:
    """`parse()`'s frame, kept as a pickle in `.cache/frames/` beside data/: every kernel of every build that
    reads an unchanged resource skips the CSV parse. Only an entry whose checksum matches is used, and
    `report build --force` (REPORT_FORCE) uses none."""
    key = disk_key(path, spec)
    cached = disk_folder(data_dir) / f"{key}.pkl"
    if not os.environ.get("REPORT_FORCE"):
        try:
            digest, _, body = cached.read_bytes().partition(b"\n")
            if hashlib.sha256(key.encode() + body).hexdigest().encode() == digest:
                return pickle.loads(body)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            pass
    frame = parse()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        body = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(handle, "wb") as file:
            file.write(hashlib.sha256(key.encode() + body).hexdigest().encode() + b"\n" + body)
        os.replace(temp, cached)
    except OSError:
        pass  # a read-only project still loads, just without the shortcut
    return frame


def prune_disk(data_dir: Path) -> list[Path]:
    """Remove the parsed frames no resource in data/ has now (and stray temporary files); what is kept is
    at most one frame per resource, so the folder never grows past the data's own size much."""
    folder = disk_folder(data_dir)
    if not folder.is_dir():
        return []
    wanted = set()
    for package_dir in discover(data_dir):
        try:
            package = read_package(package_dir)
            for spec in package.resources:
                path = package.path_of(spec)
                if path.is_file():
                    wanted.add(f"{disk_key(path, spec)}.pkl")
        except (PackageError, OSError, KeyError, TypeError):
            continue  # a broken package keeps nothing; validation says what is wrong with it
    removed = [p for p in folder.iterdir() if p.name not in wanted]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
