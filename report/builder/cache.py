"""The builder's cache: one store (`Store`) for every kind of entry, and the keys that say when to rebuild.

A chapter's key covers its code (cells, inline code, declared packages; not its prose), the hashes of the
packages it declares and the versions of the tools that shape its output; the project's source files its
kernel imported are checked file by file. Entries carry a checksum of their payload; a corrupted or
partial entry is detected, reported and rebuilt, never used.
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


def code_hash(package_dir: Path, skip: tuple[str, ...] = ()) -> str:
    """Every Python file of a package, as one hash; `skip` names sub-packages left out."""
    files = [p for p in package_dir.rglob("*.py")
             if "__pycache__" not in p.parts and p.relative_to(package_dir).parts[0] not in skip]
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


class Store:
    """`<folder>/<name>.json`: a header line (the key's digest and parts, the body's checksum), then the
    payload as JSON. Written atomically; a damaged entry is reported and rebuilt, never used. The one cache
    store of the builder: chapters, chart views and page providers' parts all keep their entries here."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def read(self, name: str) -> tuple[dict | None, str | None]:
        """(entry, problem): entry (header fields and "payload") is None when missing or unusable; problem
        says why it is unusable."""
        try:
            header, _, body = self._path(name).read_bytes().partition(b"\n")
        except FileNotFoundError:
            return None, None
        except OSError as error:
            return None, f"cache entry unreadable ({error.strerror})"
        try:
            entry = json.loads(header)
            if sha256(body) != entry["sha256"]:
                return None, "cache entry truncated or corrupted (checksum mismatch)"
            return entry | {"payload": json.loads(body)}, None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None, "cache entry unreadable (truncated or corrupted)"

    def lookup(self, name: str, key: Key, explain=None) -> tuple[object | None, str]:
        """(payload, "cached") when the entry was made for `key`, else (None, why not): `explain(old parts,
        new parts)` says in words what changed."""
        entry, problem = self.read(name)
        if entry is not None and entry.get("key") == key.digest:
            return entry["payload"], "cached"
        if problem:
            return None, problem
        if entry is None:
            return None, "not built before"
        return None, (explain or _changed_parts)(entry.get("parts"), key.parts)

    def write(self, name: str, key: Key, payload, **extra) -> None:
        """`extra` fields go in the header (a chapter's imported modules, say)."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        header = json.dumps({"key": key.digest, "parts": key.parts, "sha256": sha256(body), **extra},
                            sort_keys=True).encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n" + body)
            os.replace(temp, self._path(name))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _changed_parts(old: dict | None, new: dict) -> str:
    """The key parts that differ, by name: the generic explanation."""
    old = old or {}
    return ", ".join(f"{part} changed" for part in sorted(set(old) | set(new)) if old.get(part) != new.get(part)) \
        or "cache entry unusable"


class ChapterCache:
    """`.cache/chapters/<name>`: each chapter's latest result, with the key it was built for and the
    project's source files its kernel had imported (a chapter re-runs when one of those changes)."""

    def __init__(self, folder: Path, root: Path):
        self.entries, self.root = Store(folder / "chapters"), root

    def lookup(self, name: str, key: Key) -> tuple[dict | None, str]:
        """(payload, reason): the payload when the key and the imported files match, else None and why."""
        entry, problem = self.entries.read(name)
        if entry is None or entry.get("key") != key.digest:
            reason = problem or explain_change(entry.get("parts") if entry else None, key.parts, name)
            return None, reason if reason.startswith("chapter ") else f"chapter {name}: {reason}"
        if "modules" not in entry:
            return None, f"chapter {name}: cache entry from an older builder"
        changed = stale_modules(self.root, entry["modules"])
        if changed:
            more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
            return None, f"chapter {name}: {changed[0]}{more} changed"
        return entry["payload"], "cached"

    def store(self, name: str, key: Key, payload: dict, modules: dict[str, str]) -> None:
        """`modules`: the project's source files the kernel had imported, with their hashes (`module_hashes`)."""
        self.entries.write(name, key, payload, modules=modules)
