"""Validate packages: our checks first (paths, bytes, hash, encoding, header), then frictionless for rows."""

from __future__ import annotations

import codecs
import os
import re
import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

import frictionless

from report.data.load import read_table
from report.data.packages import PACKAGE_KEYS, Package, PackageError, discover, read_package
from report.data.periods import period_problems
from report.data.values import value_problems

MAX_ROW_ERRORS = 5
DEFAULT_MAX_BYTES = 500_000_000  # a resource bigger than this is refused before it is read


def max_bytes() -> int:
    return int(os.environ.get("REPORT_MAX_RESOURCE_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Problem:
    package: str
    message: str
    resource: str | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        if self.message.startswith(f"package {self.package}"):
            return self.message
        where = [f"package {self.package}"]
        where += [f"resource {self.resource}"] if self.resource else []
        where += [f"line {self.row}"] if self.row else []
        where += [f"field {self.field}"] if self.field else []
        return ", ".join(where) + f": {self.message}"


@dataclass(frozen=True)
class Report:
    name: str
    version: str
    rows: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_all(data_dir: Path, names: list[str] | None = None) -> list[Report]:
    folders = discover(data_dir)
    if names:
        unknown = sorted(set(names) - {f.name for f in folders})
        if unknown:
            return [Report(n, "?", 0, [Problem(n, f"no package folder {n} in {data_dir}")]) for n in unknown]
        folders = [f for f in folders if f.name in names]
    return [validate_package(folder) for folder in folders]


def validate_package(folder: Path, only: set[str] | None = None) -> Report:
    """Every check on every resource; with `only`, rows and keys are checked for those resources alone
    (the build passes the resources whose bytes changed since they were last found valid)."""
    try:
        package = read_package(folder)
    except PackageError as error:
        return Report(Path(folder).name, "?", 0, [Problem(Path(folder).name, str(error))])
    try:
        problems = [p for resource in package.resources for p in check_file(package, resource)]
    except PackageError as error:
        return Report(package.name, package.version, 0, [Problem(package.name, str(error))])
    rows = 0
    if not problems:
        problems = check_values(package, only)
    if not problems:
        problems, rows = check_rows(package, only)
    if not problems:
        problems += check_foreign_packages(package, only)
    return Report(package.name, package.version, rows, problems)


def check_file(package: Package, resource: dict) -> list[Problem]:
    """Byte-level checks: exists, bytes, hash, UTF-8 without BOM, header = schema fields."""
    def problem(message, **where):
        return [Problem(package.name, message, resource["name"], **where)]

    path = package.path_of(resource)
    if not path.is_file():
        return problem(f"file {resource['path']} not found in {package.folder.name}/")
    if path.stat().st_size > max_bytes():
        return problem(f"{resource['path']} is {path.stat().st_size:,} bytes, over the limit of {max_bytes():,}; "
                       "refused before reading (set REPORT_MAX_RESOURCE_BYTES to raise the limit)")
    size, digest, first_line, bad_offset, last_byte = _scan(path)
    if size == 0:
        return problem(f"{resource['path']} is empty: expected a header row and data")
    if first_line.startswith(codecs.BOM_UTF8):
        return problem(f"{resource['path']} starts with a byte-order mark: save it as UTF-8 without BOM")
    if bad_offset is not None:
        return problem(f"{resource['path']} is not UTF-8 (invalid byte at offset {bad_offset}, e.g. a cp1252 "
                       "£ sign): re-save it as UTF-8")
    if "bytes" in resource and resource["bytes"] != size:
        return problem(f"`bytes` is {resource['bytes']} but {resource['path']} has {size} bytes; the file "
                       "changed without its descriptor (re-run the ingest script)")
    if "hash" in resource and resource["hash"].removeprefix("sha256:") != digest:
        return problem(f"`hash` does not match {resource['path']} (expected {resource['hash']}, file has "
                       f"sha256:{digest}); the file changed without its descriptor")
    if last_byte != b"\n":
        return problem(f"{resource['path']} does not end with a newline: the file was probably cut short "
                       "(download it again)")
    header = first_line.decode("utf-8").rstrip("\r\n").split(",")
    expected = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
    if header != expected:
        extra = [h for h in header if h not in expected]
        missing = [e for e in expected if e not in header]
        detail = (f"; extra column(s) {extra}" if extra else "") + (f"; missing {missing}" if missing else "")
        return problem(f"header is {header}, expected {expected}{detail}", row=1)
    return []


def check_values(package: Package, only: set[str] | None = None) -> list[Problem]:
    """Finite numbers, plausible years, no formulas, at least one row (report/data/values.py); the periods a
    resource declares, no more and no fewer (report/data/periods.py)."""
    return [Problem(package.name, message, resource["name"], line, field)
            for resource in package.resources if only is None or resource["name"] in only
            for line, field, message in value_problems(package.path_of(resource), resource.get("schema", {}))
            + period_problems(package.path_of(resource), resource)]


def check_rows(package: Package, only: set[str] | None = None) -> tuple[list[Problem], int]:
    """Types, constraints, enums, primary and in-package foreign keys, row by row, with frictionless."""
    descriptor = copy.deepcopy(package.descriptor)
    if only is not None:
        needed = set(only) | {fk["reference"].get("resource") for r in descriptor["resources"] if r["name"] in only
                              for fk in r.get("schema", {}).get("foreignKeys", []) if "package" not in fk["reference"]}
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in needed]
        if not descriptor["resources"]:
            return [], 0
    for resource in descriptor["resources"]:
        schema = resource.get("schema", {})
        keys = [fk for fk in schema.get("foreignKeys", []) if "package" not in fk.get("reference", {})]
        schema.pop("foreignKeys", None)
        schema.pop(PACKAGE_KEYS, None)
        if keys:
            schema["foreignKeys"] = keys
        for key in ("hash", "bytes"):
            resource.pop(key, None)
    try:
        with frictionless.system.use_context(trusted=False):
            target = frictionless.Package(descriptor, basepath=str(package.folder))
            report = target.validate(limit_errors=MAX_ROW_ERRORS)
    except frictionless.FrictionlessException as error:
        return [Problem(package.name, error.error.message)], 0
    problems, rows = [], 0
    for task in report.tasks:
        rows += task.stats.get("rows", 0) or 0
        problems += [Problem(package.name, _explain(error), task.name,
                             getattr(error, "row_number", None), getattr(error, "field_name", None))
                     for error in task.errors]
    problems += [Problem(package.name, _explain(error)) for error in report.errors]
    return problems, rows


def check_foreign_packages(package: Package, only: set[str] | None = None) -> list[Problem]:
    """Foreign keys into other packages (frictionless resolves only keys inside one package)."""
    problems = []
    for resource in package.resources:
        if only is not None and resource["name"] not in only:
            continue
        for fk in package.package_keys(resource):
            problems += _check_one_key(package, resource, fk, fk["reference"])
    return problems


def _check_one_key(package: Package, resource: dict, fk: dict, ref: dict) -> list[Problem]:
    fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
    ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
    try:
        target = read_package(package.folder.parent / ref["package"])
        spec = target.resource(ref.get("resource"))
        known = read_table(target.path_of(spec), spec["schema"])[ref_fields].astype(str)
        table = read_table(package.path_of(resource), resource["schema"])
    except PackageError as error:
        return [Problem(package.name, f"foreign key into {ref['package']}: {error}", resource["name"])]
    keys = set(map(tuple, known.itertuples(index=False)))
    values = table[fields].dropna().astype(str)
    for index, row in zip(values.index, values.itertuples(index=False)):
        if tuple(row) not in keys:
            return [Problem(package.name, f"{tuple(row)[0] if len(row) == 1 else tuple(row)!r} is not in "
                            f"package {ref['package']} ({', '.join(ref_fields)})", resource["name"],
                            int(index) + 2, ", ".join(fields))]
    return []


def _scan(path: Path) -> tuple[int, str, bytes, int | None, bytes]:
    """Size, sha256, first line, the offset of the first invalid UTF-8 byte and the last byte, in one pass."""
    digest, size, bad, last = hashlib.sha256(), 0, None, b""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        first_line = handle.readline()
        handle.seek(0)
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            last = chunk[-1:]
            if bad is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    bad = size + error.start
            size += len(chunk)
    if bad is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad = size
    return size, digest.hexdigest(), first_line, bad, last


def _explain(error) -> str:
    """Frictionless's finding as one sentence: what is wrong and what the schema expected."""
    cell = getattr(error, "cell", None)
    value = f" (value {cell!r})" if cell not in (None, "") else ""
    note = getattr(error, "note", "") or ""
    kind = error.type
    if kind == "type-error":
        expected = re.search(r'"(\w+)', note)
        return f"not a valid {expected.group(1) if expected else 'value'}{value}"
    if kind == "constraint-error":
        found = re.search(r'constraint "(\w+)" is "(.*)"', note)
        rule = f"{found.group(1)} {found.group(2)}" if found else note
        return f"expected {'one of ' + found.group(2) if found and found.group(1) == 'enum' else rule}{value}"
    if kind == "primary-key":
        position = re.search(r"position (\d+)", note)
        return "duplicate primary key" + (f": same values as line {position.group(1)}" if position else "")
    if kind == "missing-cell":
        return "row ends early: a value is missing (file truncated mid-row?)"
    if kind == "extra-cell":
        return f"row has more values than the header{value}"
    if kind == "foreign-key":
        return f"foreign key does not resolve: {note}"
    return f"{error.title.lower()}: {note or error.message}{value}"
