"""What changed between two releases of a data package, in words, and the semver bump it calls for.

MAJOR: a field or resource removed, a field added, renamed, retyped or reordered, a constraint, key or
missing-value list tightened, a unit changed, rows removed (readers relying on them would break).
MINOR: new rows or periods, a new resource, a constraint loosened.
PATCH: corrected values, descriptions and other metadata only. Nothing changed: no new version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from report.data.load import read_raw
from report.data.packages import PACKAGE_KEYS

MAJOR, MINOR, PATCH = "major", "minor", "patch"
RANK = {None: 0, PATCH: 1, MINOR: 2, MAJOR: 3}
EXAMPLES = 3
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
DESCRIPTIVE = ("title", "description", "example", "rdfType", "format")
RELEASE_KEYS = {"name", "version", "created", "resources"}  # compared elsewhere, or set by the release
RESOURCE_KEYS = {"name", "path", "schema", "hash", "bytes"}


@dataclass(frozen=True)
class Change:
    level: str
    kind: str
    text: str


@dataclass
class ResourceDiff:
    """Row counts by primary key, changed cells per field (with a few examples), new years, schema changes."""

    name: str
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    cells: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    new_periods: list[str] = field(default_factory=list)
    schema: list[Change] = field(default_factory=list)

    def changes(self) -> list[Change]:
        where = f"`{self.name}`"
        found = list(self.schema)
        if self.rows_added:
            periods = f" (new period{'s' * (len(self.new_periods) > 1)} {', '.join(self.new_periods)})" \
                if self.new_periods else ""
            found.append(Change(MINOR, "new periods" if periods else "new rows",
                                f"{where}: {_rows(self.rows_added)} added{periods}"))
        if self.rows_removed:
            found.append(Change(MAJOR, "rows removed", f"{where}: {_rows(self.rows_removed)} removed"))
        if self.rows_changed:
            counts = ", ".join(f"`{name}` {count:,}" for name, count in self.cells.items())
            found.append(Change(PATCH, "corrected values", f"{where}: {_rows(self.rows_changed)} changed "
                                f"({counts}); e.g. " + "; ".join(self.examples)))
        return found


@dataclass
class PackageDiff:
    name: str
    resources: list[ResourceDiff] = field(default_factory=list)
    metadata: list[Change] = field(default_factory=list)

    def changes(self) -> list[Change]:
        return self.metadata + [c for r in self.resources for c in r.changes()]

    @property
    def bump(self) -> str | None:
        """The largest level among the changes; None when nothing changed."""
        return max((c.level for c in self.changes()), key=RANK.get, default=None)

    def reasons(self) -> list[str]:
        """The kinds of change that set the bump, for the one-line verdict."""
        return sorted({c.kind for c in self.changes() if c.level == self.bump})

    def lines(self) -> list[str]:
        """Markdown bullets, most significant first."""
        changes = sorted(self.changes(), key=lambda c: -RANK[c.level])
        unchanged = [f"`{r.name}`" for r in self.resources if not r.changes()]
        tail = [f"Unchanged: {', '.join(unchanged)}."] if unchanged and changes else []
        return [f"- {c.text}" for c in changes] + [f"- {t}" for t in tail]


def next_version(version: str, bump: str | None) -> str:
    """Semver: 1.2.3 + minor -> 1.3.0; no bump keeps the version."""
    try:
        major, minor, patch = (int(part) for part in version.split("."))
    except ValueError:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH") from None
    if bump == MAJOR:
        return f"{major + 1}.0.0"
    if bump == MINOR:
        return f"{major}.{minor + 1}.0"
    if bump == PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def diff_packages(old_folder: Path, new_folder: Path) -> PackageDiff:
    """Compare two package folders: descriptors, then each resource's rows as the text in the CSV."""
    old, new = _descriptor(old_folder), _descriptor(new_folder)
    return diff(old, new, _tables(old_folder, old), _tables(new_folder, new))


def diff(old: dict, new: dict, old_tables: dict[str, pd.DataFrame],
         new_tables: dict[str, pd.DataFrame]) -> PackageDiff:
    """Compare descriptors and tables (resource name -> frame of text) of two releases."""
    result = PackageDiff(new.get("name", old.get("name", "?")))
    for key in sorted((old.keys() | new.keys()) - RELEASE_KEYS):
        if old.get(key) != new.get(key):
            result.metadata.append(Change(PATCH, "metadata changed",
                                          f"package {key} changed{_entries(old.get(key), new.get(key))}"))
    old_resources = {r["name"]: r for r in old.get("resources", [])}
    new_resources = {r["name"]: r for r in new.get("resources", [])}
    for name in old_resources.keys() - new_resources.keys():
        result.metadata.append(Change(MAJOR, "resource removed", f"resource `{name}` removed"))
    for name, resource in new_resources.items():
        if name not in old_resources:
            rows = len(new_tables.get(name, ()))
            result.metadata.append(Change(MINOR, "new resource", f"new resource `{name}` ({_rows(rows)})"))
            continue
        result.resources.append(diff_resource(old_resources[name], resource, old_tables.get(name),
                                              new_tables.get(name)))
    return result


def diff_resource(old: dict, new: dict, old_frame: pd.DataFrame | None,
                  new_frame: pd.DataFrame | None) -> ResourceDiff:
    result = ResourceDiff(new["name"])
    where = f"`{new['name']}`"
    for key in sorted((old.keys() | new.keys()) - RESOURCE_KEYS):
        if old.get(key) != new.get(key):
            result.schema.append(Change(PATCH, "descriptions changed", f"{where}: resource {key} changed"))
    if old.get("path") != new.get("path"):
        result.schema.append(Change(MAJOR, "file renamed",
                                    f"{where}: file renamed {old.get('path')} → {new.get('path')}"))
    old_schema, new_schema = old.get("schema", {}), new.get("schema", {})
    renames = find_renames(old_schema, new_schema, old_frame, new_frame)
    result.schema += schema_changes(where, old_schema, new_schema, renames)
    if old_frame is not None and new_frame is not None:
        compare_rows(result, old_frame, new_frame, _row_key(old_schema, new_schema, old_frame, new_frame))
    return result


def schema_changes(where: str, old: dict, new: dict, renames: dict[str, str]) -> list[Change]:
    """Fields added, removed, renamed, retyped, reordered; constraints, keys and markers compared."""
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    found = [Change(MAJOR, "field renamed", f"{where}: field `{a}` renamed to `{b}`")
             for a, b in renames.items()]
    found += [Change(MAJOR, "field removed", f"{where}: field `{n}` removed")
              for n in old_fields if n not in new_fields and n not in renames]
    found += [Change(MAJOR, "field added", f"{where}: field `{n}` added")
              for n in new_fields if n not in old_fields and n not in renames.values()]
    pairs = [(n, n) for n in old_fields if n in new_fields] + list(renames.items())
    order_old = [renames.get(n, n) for n in old_fields if renames.get(n, n) in new_fields]
    if order_old != [n for n in new_fields if n in order_old]:
        found.append(Change(MAJOR, "fields reordered", f"{where}: fields reordered"))
    for old_name, new_name in pairs:
        found += field_changes(f"{where}: field `{new_name}`", old_fields[old_name], new_fields[new_name])
    if old.get("primaryKey") != new.get("primaryKey"):
        found.append(Change(MAJOR, "primary key changed",
                            f"{where}: primary key {old.get('primaryKey')} → {new.get('primaryKey')}"))
    found += _set_change(f"{where}: foreign keys", _keyset(_all_keys(old)), _keyset(_all_keys(new)),
                         more_is_tighter=True)
    found += _set_change(f"{where}: missing-value markers", set(old.get("missingValues", [""])),
                         set(new.get("missingValues", [""])), more_is_tighter=False)
    return found


def field_changes(where: str, old: dict, new: dict) -> list[Change]:
    found = []
    if old.get("type", "string") != new.get("type", "string"):
        found.append(Change(MAJOR, "field retyped",
                            f"{where} retyped {old.get('type', 'string')} → {new.get('type', 'string')}"))
    if old.get("unit") != new.get("unit"):
        found.append(Change(MAJOR, "unit changed", f"{where}: unit {old.get('unit')} → {new.get('unit')}"))
    for key in DESCRIPTIVE:
        if old.get(key) != new.get(key):
            found.append(Change(PATCH, "descriptions changed", f"{where}: {key} changed"))
    old_c, new_c = old.get("constraints", {}), new.get("constraints", {})
    for name in sorted(old_c.keys() | new_c.keys()):
        verdict = constraint_change(name, old_c.get(name), new_c.get(name))
        if verdict:
            level = MAJOR if verdict == "tightened" else MINOR
            found.append(Change(level, f"constraint {verdict}", f"{where}: constraint `{name}` {verdict} "
                                       f"({_show(old_c.get(name))} → {_show(new_c.get(name))})"))
    found += _set_change(f"{where}: categories", _categories(old), _categories(new), more_is_tighter=False)
    return found


def constraint_change(name: str, old, new) -> str | None:
    """'tightened' when some value valid before may now fail, 'loosened' for the reverse, else None."""
    if old == new:
        return None
    if new is None:
        return "loosened"
    if old is None:
        return None if new is False else "tightened"
    if name in ("required", "unique"):
        return "tightened" if new and not old else "loosened"
    if name in LOWER_BOUNDS + UPPER_BOUNDS:
        try:
            raised = new > old
        except TypeError:
            return "tightened"
        return "tightened" if raised == (name in LOWER_BOUNDS) else "loosened"
    if name == "enum":
        return "loosened" if set(map(str, new)) > set(map(str, old)) else "tightened"
    return "tightened"  # a new pattern or anything else we cannot order: assume the worst


def find_renames(old: dict, new: dict, old_frame, new_frame) -> dict[str, str]:
    """A removed and an added field holding the same values, or the same type in the same place."""
    old_names = [f["name"] for f in old.get("fields", [])]
    new_names = [f["name"] for f in new.get("fields", [])]
    types = {**{("old", f["name"]): f.get("type") for f in old.get("fields", [])},
             **{("new", f["name"]): f.get("type") for f in new.get("fields", [])}}
    removed = [n for n in old_names if n not in new_names]
    added = [n for n in new_names if n not in old_names]
    renames = {}
    for name in removed:
        for candidate in added:
            if candidate in renames.values() or types[("old", name)] != types[("new", candidate)]:
                continue
            same_values = (old_frame is not None and new_frame is not None
                           and old_frame[name].tolist() == new_frame[candidate].tolist())
            same_place = old_names.index(name) == new_names.index(candidate)
            if same_values or same_place:
                renames[name] = candidate
                break
    return renames


def compare_rows(result: ResourceDiff, old: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> None:
    """Rows added, removed and changed by `key`; changed cells counted per field with examples."""
    old = old.astype("string").fillna("").drop_duplicates(key).set_index(key)
    new = new.astype("string").fillna("").drop_duplicates(key).set_index(key)
    result.rows_added = len(new.index.difference(old.index))
    result.rows_removed = len(old.index.difference(new.index))
    common = new.index.intersection(old.index)
    compared = [n for n in new.columns if n in old.columns]
    before, after = old.loc[common, compared], new.loc[common, compared]
    differs = before.ne(after)
    result.rows_changed = int(differs.any(axis=1).sum())
    for name in compared:
        rows = differs.index[differs[name].to_numpy()]
        if len(rows):
            result.cells[name] = len(rows)
        for row in rows[:max(0, EXAMPLES - len(result.examples))]:
            values = row if isinstance(row, tuple) else (row,)
            label = ", ".join(f"{k} {v}" for k, v in zip(key, values))
            result.examples.append(f"{label}: `{name}` {_show(before.at[row, name])} → "
                                   f"{_show(after.at[row, name])}")
    if "year" in new.reset_index().columns and "year" in old.reset_index().columns:
        periods = set(new.reset_index()["year"]) - set(old.reset_index()["year"]) - {""}
        result.new_periods = sorted(periods, key=lambda y: (len(y), y))


def _row_key(old: dict, new: dict, old_frame: pd.DataFrame, new_frame: pd.DataFrame) -> list[str]:
    """The new primary key if the old rows have it, else the old one, else every shared column."""
    for key in (new.get("primaryKey"), old.get("primaryKey")):
        key = [key] if isinstance(key, str) else key
        if key and all(k in old_frame.columns and k in new_frame.columns for k in key):
            return list(key)
    return [c for c in new_frame.columns if c in old_frame.columns]


def _set_change(where: str, old: set, new: set, *, more_is_tighter: bool) -> list[Change]:
    found = []
    if new - old:
        level = MAJOR if more_is_tighter else MINOR
        found.append(Change(level, _verdict(level), f"{where}: added {_listed(new - old)}"))
    if old - new:
        level = MINOR if more_is_tighter else MAJOR
        found.append(Change(level, _verdict(level), f"{where}: removed {_listed(old - new)}"))
    return found


def _all_keys(schema: dict) -> list[dict]:
    """In-package foreign keys and those into other packages (the custom property)."""
    return [*(schema.get("foreignKeys") or []), *(schema.get(PACKAGE_KEYS) or [])]


def _keyset(keys) -> set[str]:
    return {json.dumps(k, sort_keys=True) for k in keys or []}


def _categories(field_: dict) -> set[str]:
    return {str(c["value"] if isinstance(c, dict) else c) for c in field_.get("categories", [])}


def _entries(old, new) -> str:
    """For lists such as `sources`: which entries went and came, by title (or version)."""
    if not isinstance(old, list) or not isinstance(new, list):
        return ""
    name = lambda entry: entry.get("title", entry.get("version", "?")) if isinstance(entry, dict) \
        else str(entry)  # noqa: E731
    gone = [name(e) for e in old if e not in new]
    came = [name(e) for e in new if e not in old]
    return "".join([f"; removed: {'; '.join(gone)}" if gone else "", f"; added: {'; '.join(came)}" if came else ""])


def _listed(values: set) -> str:
    return ", ".join(sorted(map(str, values)))


def _verdict(level: str) -> str:
    return "constraint tightened" if level == MAJOR else "constraint loosened"


def _rows(count: int) -> str:
    return f"{count:,} row{'s' * (count != 1)}"


def _show(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return "(empty)" if value == "" else value
    return json.dumps(value, ensure_ascii=False)


def _descriptor(folder: Path) -> dict:
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def _tables(folder: Path, descriptor: dict) -> dict[str, pd.DataFrame]:
    """Each resource's CSV as text, exactly as written (markers kept, nothing parsed)."""
    tables = {}
    for resource in descriptor.get("resources", []):
        path = Path(folder) / resource["path"]
        if path.is_file():
            tables[resource["name"]] = read_raw(path)
    return tables
