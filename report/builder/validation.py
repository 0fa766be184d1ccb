"""Validate every package before a build, skipping packages whose bytes were validated before."""

from __future__ import annotations

import hashlib
import json

from report.builder.errors import BuildError
from report.data.packages import PackageError, discover, feed, read_package


def package_fingerprint(folder) -> str:
    """Hash of the descriptor and the actual bytes of every resource file (not the claimed hashes), each file
    streamed a chunk at a time, never read whole."""
    package = read_package(folder)
    digest = hashlib.sha256((folder / "datapackage.json").read_bytes())
    for resource in package.resources:
        digest.update(b"\0")
        _feed(digest, package.path_of(resource))
    for fk_target in sorted(_referenced_packages(package)):
        digest.update(b"\0")
        _feed(digest, folder.parent / fk_target / "datapackage.json")
    return digest.hexdigest()


def resource_fingerprints(folder) -> dict[str, str]:
    """Per resource: its descriptor, its bytes (streamed) and the descriptors of the packages its keys point
    into."""
    package = read_package(folder)
    targets = b"".join((folder.parent / name / "datapackage.json").read_bytes()
                       for name in sorted(_referenced_packages(package))
                       if (folder.parent / name / "datapackage.json").is_file())
    prints = {}
    for resource in package.resources:
        digest = hashlib.sha256(json.dumps(resource, sort_keys=True).encode() + b"\0")
        _feed(digest, package.path_of(resource))
        digest.update(targets)
        prints[resource["name"]] = digest.hexdigest()
    return prints


def _feed(digest, path) -> None:
    """The file's bytes into `digest` (b"<missing>" for no file)."""
    if path.is_file():
        feed(digest, path)
    else:
        digest.update(b"<missing>")


class PackageCheck:
    """Every package's fingerprint at once (cheap); the row-by-row validation of changed ones in `run`.

    The build computes chapter keys from the fingerprints and starts its kernels while `run` works.
    """

    def __init__(self, project):
        self.path = project.cache_dir / "validated.json"
        try:
            self.known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.packages, self.pending, self.problems = {}, [], []
        for folder in discover(project.data_dir):
            try:
                fingerprint = package_fingerprint(folder)
                package = read_package(folder)
            except PackageError as error:
                self.problems.append(str(error))
                continue
            self.packages[package.name] = {"version": package.version, "hash": fingerprint,
                                           "title": package.descriptor.get("title", package.name)}
            if self.known.get(folder.name) != fingerprint:
                self.pending.append((folder, fingerprint))

    def run(self, say=print) -> None:
        """Validate what changed since the last valid build; BuildError listing every problem."""
        problems = list(self.problems)
        if self.pending:
            from report.data.validate import validate_package  # frictionless: only when something changed
        for folder, fingerprint in self.pending:
            resources = resource_fingerprints(folder)
            seen = self.known.get(f"{folder.name}/resources", {})
            changed = {name for name, value in resources.items() if seen.get(name) != value}
            report = validate_package(folder, only=changed)
            if report.ok:
                self.known[folder.name] = fingerprint
                self.known[f"{folder.name}/resources"] = resources
            problems += [str(p) for p in report.problems]
        if problems:
            raise BuildError("data validation failed; nothing was built:\n" + "\n".join(problems))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.known, indent=2, sort_keys=True), encoding="utf-8")
        checked, total = len(self.pending), len(self.packages)
        say(f"validated {total} packages ({checked} checked, {total - checked} unchanged)")


def validate_cached(project, say=print) -> dict[str, dict]:
    """{name: {version, hash, title}} of valid packages, or BuildError listing every problem."""
    check = PackageCheck(project)
    check.run(say)
    return check.packages


def _referenced_packages(package) -> set[str]:
    return {fk["reference"]["package"] for r in package.resources for fk in package.package_keys(r)}
