"""`report data update`: take in a publisher's new release, with a diff, a new version and a changelog.

The new files replace the current files of the same input role (or join a role that holds one file per
release), the ingest script writes into a staging folder beside data/<package>/, the result is validated
and compared with the current package, and only then is the folder swapped in, in one rename.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from report.data.diff import PackageDiff, diff_packages, next_version
from report.data.ingest import run_script, script_module
from report.data.packages import PackageError, discover, read_package
from report.data.staging import STAGING, remove_stale_updates
from report.data.validate import validate_package

KEEP = ("datapackage.json", "CHANGELOG.md")


@dataclass
class Inputs:
    """The files the script will read, and what each new file did to the current list."""

    files: list[Path]
    replaced: list[tuple[Path | None, Path]] = field(default_factory=list)  # (current or None = added, new)
    sources_dir: Path | None = None

    def lines(self) -> list[str]:
        return [f"`{new.name}` replaces `{self.label(old)}`" if old else f"`{new.name}` added"
                for old, new in self.replaced]

    def label(self, path: Path) -> str:
        """A path as SOURCES writes it (relative to the sources folder) where possible."""
        try:
            return str(Path(path).resolve().relative_to(Path(self.sources_dir).resolve()))
        except (ValueError, TypeError):
            return str(path)


@dataclass
class Update:
    package: str
    old_version: str
    version: str
    diff: PackageDiff
    inputs: Inputs
    written: bool = False


def plan_inputs(root: Path, package: str, new_files: list[Path], sources_dir: Path) -> Inputs:
    """The package's current SOURCES with each new file in the place of the current file(s) of its role.

    A role with one current file (a time series, a LAIT extract) is replaced by the new file. A role with
    several (one file per release or year) gains the new file, unless one of the same name is there.
    """
    module = script_module(root, package)
    files = [Path(sources_dir) / name for name in module.SOURCES]
    original = {role: [p for p in files if _role(p, module.INPUTS) == role] for role in module.INPUTS}
    replaced = []
    for new in (Path(f).resolve() for f in new_files):
        if not new.is_file():
            raise PackageError(f"package {package}: {new} not found")
        role = _role(new, module.INPUTS)
        if role is None:
            raise PackageError(f"package {package}: {new.name} is not a file its script reads "
                               f"(expected names like {sorted(module.INPUTS.values())})")
        same = [p for p in files if p.name == new.name]
        single = original[role] if len(original[role]) == 1 and original[role][0] in files else []
        for old in same or single:
            files.remove(old)
            replaced.append((old, new))
        if not (same or single):
            replaced.append((None, new))
        files.append(new)
    return Inputs(files, replaced, sources_dir)


def update(data_dir: Path, root: Path, package: str, new_files: list[Path], sources_dir: Path, *,
           dry_run: bool = False, say=print) -> Update:
    """Ingest, validate, diff, version, changelog, swap; `dry_run` stops after the diff."""
    folder = Path(data_dir) / package
    if not folder.is_dir():
        raise PackageError(f"no package {package!r} in {data_dir}")
    remove_stale_updates(data_dir)
    current = read_package(folder)
    inputs = plan_inputs(root, package, new_files, sources_dir)
    work = Path(tempfile.mkdtemp(prefix=f"{STAGING}{package}-{os.getpid()}-", dir=data_dir))
    try:
        staged = stage(folder, work)
        run_script(root, package, inputs.files, staged)
        report = validate_package(staged)
        if not report.ok:
            raise PackageError(f"package {package}: the new release does not validate, so data/{package}/ "
                               "was left as it was:\n" + "\n".join(f"  {p}" for p in report.problems))
        changes = diff_packages(folder, staged)
        version = next_version(current.version, changes.bump)
        result = Update(package, current.version, version, changes, inputs)
        say_summary(result, say)
        if dry_run or changes.bump is None:
            say("dry run: nothing written" if dry_run else f"no changes: data/{package}/ stays at "
                f"{current.version}")
            return result
        created = now_utc()
        set_release(staged / "datapackage.json", result.version, created)
        prepend_changelog(staged / "CHANGELOG.md", changelog_entry(result, created))
        swap(staged, folder)
        result.written = True
        say(f"wrote data/{package}/ (version {result.version}) and its CHANGELOG.md")
        say_sources_note(root, package, inputs, say)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stage(folder: Path, work: Path) -> Path:
    """A folder named like the package, seeded with its descriptor and changelog, beside its neighbours.

    The neighbours are symlinked so that foreign keys into other packages resolve during validation.
    """
    staged = work / folder.name
    staged.mkdir()
    for name in KEEP:
        if (folder / name).is_file():
            shutil.copy2(folder / name, staged / name)
    for neighbour in discover(folder.parent):
        if neighbour.name != folder.name:
            (work / neighbour.name).symlink_to(neighbour.resolve(), target_is_directory=True)
    return staged


def set_release(path: Path, version: str, created: str) -> None:
    """Write version and created, keeping the descriptor's layout (the script's own JSON style)."""
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"], descriptor["created"] = version, created
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def changelog_entry(result: Update, created: str) -> str:
    verdict = f"{result.diff.bump.upper()}: {', '.join(result.diff.reasons())}."
    lines = [f"## {result.version} ({created[:10]})", "", verdict, "", *result.diff.lines()]
    if result.inputs.replaced:
        lines += ["", "Publisher files: " + "; ".join(result.inputs.lines()) + "."]
    return "\n".join(lines) + "\n"


def prepend_changelog(path: Path, entry: str) -> None:
    """Newest first, under the title; notes kept under `## Unreleased` join this release's entry."""
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Changelog: {path.parent.name}\n"
    head, _, rest = text.partition("\n## ")
    rest = "## " + rest if rest else ""
    if rest.startswith("## Unreleased"):
        notes, _, later = rest.removeprefix("## Unreleased").partition("\n## ")
        entry += "\nNoted before this release:\n\n" + notes.strip() + "\n"
        rest = "## " + later if later else ""
    parts = [head.rstrip("\n"), entry.rstrip("\n")] + ([rest.rstrip("\n")] if rest else [])
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def swap(staged: Path, folder: Path) -> None:
    """Replace `folder` by `staged` in one atomic exchange (two renames where the OS cannot)."""
    from report.builder.publish import _exchange

    if _exchange(staged, folder):
        return
    old = staged.with_name(staged.name + ".old")
    os.rename(folder, old)
    os.rename(staged, folder)


def now_utc() -> str:
    """Now, UTC, ISO 8601 to the second; SOURCE_DATE_EPOCH fixes it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def say_summary(result: Update, say) -> None:
    if result.diff.bump is None:
        say(f"{result.package}: no changes against {result.old_version}")
        return
    say(f"{result.package}: {result.old_version} → {result.version} "
        f"({result.diff.bump.upper()}: {', '.join(result.diff.reasons())})")
    for line in result.diff.lines():
        say(f"  {line}")
    for line in result.inputs.lines():
        say(f"  input: {line}")


def say_sources_note(root: Path, package: str, inputs: Inputs, say) -> None:
    """SOURCES in the script stays the one record of the files a package is built from: say what to edit."""
    script = f"scripts/{package.replace('-', '_')}.py"
    for old, new in inputs.replaced:
        label = inputs.label(new)
        if old is not None and label == inputs.label(old):
            continue
        first = ""
        if label == str(new):  # outside the sources folder: say where it belongs
            label = str(Path(inputs.label(old)).parent / new.name) if old else new.name
            first = f"copy {new.name} to {Path(inputs.sources_dir) / label}, then "
        place = f"in place of {inputs.label(old)!r}" if old else "beside the others of its kind"
        say(f"note: {script} SOURCES is unchanged; if this release should be the default for `report data "
            f"ingest` and the re-ingest test, {first}list {label!r} there {place}")


def _role(path: Path, inputs: dict[str, str]) -> str | None:
    return next((role for role, pattern in inputs.items() if fnmatch.fnmatch(Path(path).name, pattern)), None)
