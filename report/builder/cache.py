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
BUILDER_ONLY = ("build/site.py", "build/pdf.py", "build/checks.py", "build/publish.py",
                "build/pipeline.py", "build/cache.py", "cli.py")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def tree_hash(paths: list[Path], base: Path) -> str:
    """One hash over the names and bytes of many files."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def kernel_code_hash(report_dir: Path) -> str:
    """The report code a chapter's kernel runs (charts, data, display, theme), not the site templates."""
    files = [p for p in report_dir.rglob("*.py")
             if str(p.relative_to(report_dir)) not in BUILDER_ONLY and "__pycache__" not in p.parts]
    return tree_hash(files, report_dir)


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


def chapter_key(source: bytes, packages: dict[str, dict], code: str, tools: dict[str, str]) -> Key:
    """`packages` maps each declared name to {"version", "hash"} (hash of its descriptor and files)."""
    return Key({"source": sha256(source), "packages": packages, "code": code, "tools": tools})


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
    if old.get("code") != new["code"]:
        reasons.append("report code changed")
    for tool, version in new["tools"].items():
        if old.get("tools", {}).get(tool) != version:
            reasons.append(f"{tool} {old.get('tools', {}).get(tool)} → {version}")
    return f"chapter {chapter}: " + (", ".join(reasons) or "cache entry unusable")


class ChapterCache:
    """`.cache/chapters/<name>.json`: the latest result of each chapter with the key it was built for."""

    def __init__(self, folder: Path):
        self.folder = folder / "chapters"

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
            return entry["payload"], "cached"
        if problem:
            return None, problem
        return None, explain_change(entry.get("parts") if entry else None, key.parts, name)

    def store(self, name: str, key: Key, payload: dict) -> None:
        """Write atomically: a killed build leaves the old entry or the new one, never half of one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key.digest, "parts": key.parts, "payload": payload,
                           "payload_sha256": sha256(json.dumps(payload, sort_keys=True))})
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, self._path(name))
