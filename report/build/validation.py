"""Validate every package before a build, skipping packages whose bytes were validated before."""

from __future__ import annotations

import json

from report.build.cache import sha256
from report.data.packages import PackageError, discover, read_package
from report.data.validate import validate_package


def package_fingerprint(folder) -> str:
    """Hash of the descriptor and the actual bytes of every resource file (not the claimed hashes)."""
    package = read_package(folder)
    parts = [(folder / "datapackage.json").read_bytes()]
    for resource in package.resources:
        path = package.path_of(resource)
        parts.append(path.read_bytes() if path.is_file() else b"<missing>")
    for fk_target in sorted(_referenced_packages(package)):
        target = folder.parent / fk_target / "datapackage.json"
        parts.append(target.read_bytes() if target.is_file() else b"<missing>")
    return sha256(b"\0".join(parts))


def validate_cached(project, say=print) -> dict[str, dict]:
    """{name: {version, hash, title}} of valid packages, or BuildError listing every problem."""
    from report.build.pipeline import BuildError

    cache_path = project.cache_dir / "validated.json"
    try:
        known = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    valid, problems, checked = {}, [], 0
    for folder in discover(project.data_dir):
        try:
            fingerprint = package_fingerprint(folder)
        except PackageError as error:
            problems.append(str(error))
            continue
        if known.get(folder.name) != fingerprint:
            report = validate_package(folder)
            checked += 1
            if not report.ok:
                problems += [str(p) for p in report.problems]
                continue
            known[folder.name] = fingerprint
        package = read_package(folder)
        valid[package.name] = {"version": package.version, "hash": fingerprint,
                               "title": package.descriptor.get("title", package.name)}
    if problems:
        raise BuildError("data validation failed; nothing was built:\n" + "\n".join(problems))
    project.cache_dir.mkdir(parents=True, exist_ok=True)
    cache_path.write_text(json.dumps(known, indent=2, sort_keys=True), encoding="utf-8")
    say(f"validated {len(valid)} packages ({checked} checked, {len(valid) - checked} unchanged)")
    return valid


def _referenced_packages(package) -> set[str]:
    return {fk["reference"]["package"] for r in package.resources
            for fk in r.get("schema", {}).get("foreignKeys", []) if "package" in fk.get("reference", {})}
