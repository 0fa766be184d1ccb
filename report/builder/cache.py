"""Content-addressed cache of executed chapters: re-run a chapter only when something it depends on changed.

A chapter's key covers its code (cells, inline code, declared packages; not its prose), the hashes of the packages it declares, the report code that runs in
the kernel and the versions of the tools that shape its output. Entries carry a checksum of their payload;
a corrupted or partial entry is detected, reported and rebuilt, never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

KERNEL_TOOLS = ("pandas", "numpy", "altair", "vl-convert-python", "ipykernel", "frictionless")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_hash(paths: list[Path], base: Path) -> str:
    """One hash over the names and bytes of many files."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_hash(package_dir: Path) -> str:
    """Every Python file of a package, as one hash."""
    files = [p for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts]
    return tree_hash(files, package_dir)


def module_hashes(root: Path, files: list[str]) -> dict[str, str]:
    """The project's own source files among `files` (those a kernel had imported), by path under `root`,
    with their hashes: a chapter re-runs when one of these changes, and only then (installed packages are
    in the key by version)."""
    hashes = {}
    for name in files:
        path = Path(name)
        if path.is_relative_to(root) and not {".venv", "site-packages"} & set(path.parts) and path.is_file():
            hashes[str(path.relative_to(root))] = sha256(path.read_bytes())
    return dict(sorted(hashes.items()))


def stale_modules(root: Path, hashes: dict[str, str]) -> list[str]:
    """The files of `hashes` that changed or went since they were hashed."""
    return [name for name, digest in hashes.items()
            if not (root / name).is_file() or sha256((root / name).read_bytes()) != digest]


def tool_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in KERNEL_TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


@dataclass(frozen=True)
class Key:
    """Why a chapter's result is what it is: the parts, and their hash."""

    parts: dict

    @property
    def digest(self) -> str:
        return sha256(json.dumps(self.parts, sort_keys=True))


def chapter_key(source: bytes, packages: dict[str, dict], tools: dict[str, str]) -> Key:
    """`packages` maps each declared name to {"version", "hash"} (hash of its descriptor and files). The
    project code the chapter ran is checked apart, file by file (`ChapterCache.lookup`)."""
    return Key({"source": sha256(source), "packages": packages, "tools": tools})


def explain_change(old: dict | None, new: dict, chapter: str) -> str:
    """Say in words why a chapter re-runs: "chapter money: package spending 1.2.0 → 1.3.0"."""
    if old is None:
        return f"chapter {chapter}: not built before"
    reasons = []
    if old.get("source") != new["source"]:
        reasons.append("its code changed")
    for name, info in new["packages"].items():
        before = old.get("packages", {}).get(name)
        if before is None:
            reasons.append(f"package {name} newly declared")
        elif before != info:
            change = (f"{before['version']} → {info['version']}" if before["version"] != info["version"]
                      else f"{info['version']} (data changed)")
            reasons.append(f"package {name} {change}")
    reasons += [f"package {n} no longer declared" for n in old.get("packages", {}) if n not in new["packages"]]
    for tool, version in new["tools"].items():
        if old.get("tools", {}).get(tool) != version:
            reasons.append(f"{tool} {old.get('tools', {}).get(tool)} → {version}")
    return f"chapter {chapter}: " + (", ".join(reasons) or "cache entry unusable")


class ChapterCache:
    """`.cache/chapters/<name>.json`: the latest result of each chapter with the key it was built for."""

    def __init__(self, folder: Path, root: Path):
        self.folder, self.root = folder / "chapters", root

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def read(self, name: str) -> tuple[dict | None, str | None]:
        """(entry, problem): entry is None when missing or unusable; problem says why it is unusable."""
        path = self._path(name)
        if not path.exists():
            return None, None
        try:
            entry = json.loads(path.read_bytes())
            payload = json.dumps(entry["payload"], sort_keys=True)
            if sha256(payload) != entry["payload_sha256"]:
                return None, f"chapter {name}: cache entry corrupted (checksum mismatch), rebuilding"
            return entry, None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None, f"chapter {name}: cache entry unreadable (truncated or corrupted), rebuilding"

    def lookup(self, name: str, key: Key) -> tuple[dict | None, str]:
        """(payload, reason): the payload when the key matches, else None and why it must re-run."""
        entry, problem = self.read(name)
        if entry is not None and entry.get("key") == key.digest:
            if "modules" not in entry:
                return None, f"chapter {name}: cache entry from an older builder"
            changed = stale_modules(self.root, entry["modules"])
            if not changed:
                return entry["payload"], "cached"
            more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
            return None, f"chapter {name}: {changed[0]}{more} changed"
        if problem:
            return None, problem
        return None, explain_change(entry.get("parts") if entry else None, key.parts, name)

    def store(self, name: str, key: Key, payload: dict, modules: dict[str, str]) -> None:
        """Write atomically: a killed build leaves the old entry or the new one, never half of one.
        `modules`: the project's source files the kernel had imported, with their hashes (`module_hashes`)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key.digest, "parts": key.parts, "payload": payload, "modules": modules,
                           "payload_sha256": sha256(json.dumps(payload, sort_keys=True))})
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, self._path(name))
