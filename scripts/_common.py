"""Shared helpers for the ingest scripts: read a publisher's file loudly, write a package deterministically.

Every script in this folder has the same shape:

    # Load     read the publisher's file(s) given on the command line
    # Check    assert the publisher's format (header, shape) and fail loudly if it changed
    # Tidy     reshape into long, tidy tables with the package's field names
    # Write    write_package(out_dir, descriptor, tables)

A script's descriptor metadata (titles, descriptions, fields, sources, licences, keywords) lives in
`scripts/<script>.meta.yml` beside it, read by `load_meta`; what is computed from the data (periods, hashes,
bytes) stays in Python and fills the `${name}` placeholders through `fill`.

`version` and `created` are release metadata: a script keeps them from the package already in
`--out` (so re-running it in place is byte-identical) and `report data update` sets them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fnmatch
import hashlib
import io
import json
import os
import re
from pathlib import Path

import pandas as pd
import yaml

PACKAGE_KEYS = "x-packageForeignKeys"  # the same name as report.data.packages.PACKAGE_KEYS
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# The publishers' markers, each with the meaning the publisher gives it.
MARKERS = {
    "c": "suppressed for confidentiality",
    "x": "not available",
    "z": "not applicable",
    "k": "rounds to zero but is not zero",
    "u": "low reliability",
    ":": "not available",
    "-": "no value (LAIT uses it for suppressed, unavailable and non-existent alike)",
    "[c]": "suppressed for confidentiality",
    "[x]": "not available",
    "[z]": "not applicable",
    "[n]": "no appropriate estimate",
}
FIRST_VERSION = "1.0.0"


class PublisherFormatError(SystemExit):
    """The publisher's file is not in the format this script was written for."""

    def __init__(self, message: str):
        super().__init__(f"error: {message}")


class MetadataError(SystemExit):
    """A script's `.meta.yml` is malformed or lacks a key the script needs."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"error: {path}: {message}")


# Metadata

PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def load_meta(script: str | Path, required: tuple[str, ...] = ()) -> dict:
    """`scripts/x.py` -> the mapping in `scripts/x.meta.yml`; each `required` dotted key must be there."""
    path = Path(script).with_suffix(".meta.yml")
    try:
        with path.open(encoding="utf-8") as stream:  # an open file: YAML errors name it, with line and column
            meta = yaml.safe_load(stream)
    except FileNotFoundError:
        raise MetadataError(path, "file not found") from None
    except yaml.YAMLError as error:
        raise MetadataError(path, f"malformed YAML: {error}") from None
    if not isinstance(meta, dict):
        raise MetadataError(path, "expected a mapping at the top level")
    for key in required:
        _dotted(meta, key, path)
    return meta


def _dotted(meta: dict, key: str, path: Path):
    node = meta
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MetadataError(path, f"missing key {key!r}")
        node = node[part]
    return node


def fill(meta, **values):
    """A copy of the metadata with each `${name}` in its strings replaced by `values[name]` (all must be given)."""
    if isinstance(meta, dict):
        return {key: fill(value, **values) for key, value in meta.items()}
    if isinstance(meta, list):
        return [fill(value, **values) for value in meta]
    if isinstance(meta, str):
        return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), meta)
    return meta


# Load + check

def parse_args(doc: str, argv: list[str] | None = None) -> argparse.Namespace:
    """The command line every ingest script shares: publisher files in, package folder out."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="the publisher's file(s)")
    parser.add_argument("--out", type=Path, required=True, help="package folder to write")
    return parser.parse_args(argv)


def classify_inputs(files: list[Path], inputs: dict[str, str]) -> dict[str, list[Path]]:
    """Sort the command line's files into the script's input roles by file-name pattern."""
    roles: dict[str, list[Path]] = {role: [] for role in inputs}
    for path in map(Path, files):
        matches = [role for role, pattern in inputs.items() if fnmatch.fnmatch(path.name, pattern)]
        if not matches:
            raise PublisherFormatError(
                f"{path.name}: not a file this script reads (expected names like {sorted(inputs.values())})")
        roles[matches[0]].append(path)
    missing = [inputs[role] for role, paths in roles.items() if not paths]
    if missing:
        raise PublisherFormatError(f"missing input file(s) matching {missing}")
    return {role: sorted(paths) for role, paths in roles.items()}


def read_publisher_csv(path: Path, expected: list[str], *, encoding: str = "utf-8-sig",
                       skiprows: int = 0, exact: bool = True) -> pd.DataFrame:
    """Read a CSV as text after asserting its header; `exact=False` only requires `expected` to be present."""
    path = Path(path)
    if not path.is_file():
        raise PublisherFormatError(f"{path}: file not found")
    try:
        text = path.read_bytes().decode(encoding)
    except UnicodeDecodeError as error:
        label = "UTF-8" if encoding.lower().startswith("utf-8") else encoding
        raise PublisherFormatError(f"{path.name} is not valid {label} (invalid byte at offset {error.start}): "
                                   "the publisher's encoding changed") from None
    rows = csv.reader(io.StringIO(text))
    for _ in range(skiprows):
        next(rows, None)
    header = [h.strip() for h in next(rows, [])]
    check_header(path, header, expected, exact=exact)
    for number, row in enumerate(rows, start=skiprows + 2):
        if row and len(row) != len(header):
            raise PublisherFormatError(f"{path.name}, line {number}: {len(row)} fields where the header has "
                                       f"{len(header)} (a row cut short, or the file truncated mid-row?)")
    frame = pd.read_csv(io.StringIO(text), skiprows=skiprows, dtype=str, keep_default_na=False,
                        encoding=None)
    frame.columns = [c.strip() for c in frame.columns]
    return frame


# The geography columns every DfE explore-education-statistics (EES) file opens with, and the LA columns after.
EES_GEOGRAPHY = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name"]
EES_LA = ["region_code", "region_name", "old_la_code", "new_la_code", "la_name"]
EES_LEVELS = ("National", "Regional", "Local authority")


def check_ees(raw: pd.DataFrame, path: Path, levels=EES_LEVELS, time_identifier: str | None = None) -> None:
    """The EES checks every script makes: only the geographic levels it understands, one kind of period."""
    unknown = sorted(set(raw["geographic_level"]) - set(levels))
    require(not unknown, path, f"unexpected geographic_level {unknown} (expected only {list(levels)})")
    if time_identifier is not None:
        require(set(raw["time_identifier"]) == {time_identifier}, path,
                f"expected time_identifier {time_identifier!r}, got {sorted(set(raw['time_identifier']))}")


def check_header(path: Path, header: list[str], expected: list[str], *, exact: bool = True) -> None:
    """Fail loudly when the publisher's header is not the one this script understands."""
    missing = [c for c in expected if c not in header]
    if missing or (exact and header != expected):
        raise PublisherFormatError(
            f"publisher header changed in {Path(path).name}: expected {expected}, got {header}"
            + (f" (missing {missing})" if missing else ""))


def require(condition: bool, path: Path, message: str) -> None:
    """Assert something about the publisher's file, naming the file when it does not hold."""
    if not condition:
        raise PublisherFormatError(f"{Path(path).name}: {message}")


def to_number(series: pd.Series, markers: tuple[str, ...] = ()) -> pd.Series:
    """Publisher text -> numbers; markers become missing; anything else unparseable fails loudly."""
    text = series.astype("string").str.strip()
    is_marker = text.isin(markers) | text.eq("")
    values = pd.to_numeric(text.where(~is_marker), errors="coerce")
    bad = values.isna() & ~is_marker
    if bad.any():
        raise PublisherFormatError(
            f"unexpected value {text[bad].iloc[0]!r} in column {series.name!r} (row {bad.idxmax()})")
    return values


# Write

def write_package(out_dir: Path, descriptor: dict, tables: dict[str, pd.DataFrame]) -> Path:
    """Write each table as CSV and the descriptor with hash and bytes; same input, same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _read_previous(out_dir)
    descriptor = {"$schema": PROFILE, **descriptor}
    descriptor["version"] = previous.get("version", FIRST_VERSION)
    descriptor["created"] = previous.get("created", _today())
    for resource in descriptor["resources"]:
        frame = tables[resource["name"]]
        data = frame_to_csv(frame, resource["schema"])
        (out_dir / resource["path"]).write_bytes(data)
        resource.update(_file_facts(data))
    text = json.dumps(_ordered(descriptor), indent=2, ensure_ascii=False) + "\n"
    (out_dir / "datapackage.json").write_text(text, encoding="utf-8")
    _ensure_changelog(out_dir, descriptor)
    return out_dir


def frame_to_csv(frame: pd.DataFrame, schema: dict) -> bytes:
    """Schema field order, primary-key sort, integers without `.0`, missing as empty: stable bytes."""
    names = [f["name"] for f in schema["fields"]]
    extra = set(frame.columns) - set(names)
    if extra or set(names) - set(frame.columns):
        raise ValueError(f"columns {sorted(frame.columns)} do not match schema fields {names}")
    frame = frame[names].copy()
    markers = [m for m in schema.get("missingValues", [""]) if m]
    for field in schema["fields"]:
        frame[field["name"]] = _format_column(frame[field["name"]], field, markers)
    key = schema.get("primaryKey") or names
    frame = frame.sort_values(key, kind="stable", key=_sort_key)
    duplicated = frame.duplicated(subset=key)
    if duplicated.any():
        raise ValueError(f"duplicate primary key {key}: {frame[duplicated].iloc[0][key].tolist()}")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _format_column(column: pd.Series, field: dict, markers: list[str]) -> pd.Series:
    """Numbers written canonically; the publisher's markers (declared `missingValues`) kept as written."""
    kind = field["type"]
    if kind not in ("integer", "year", "number"):
        return column.astype("string").fillna("")
    text = column.astype("string")
    is_marker = text.isin(markers).fillna(False)
    numbers = pd.to_numeric(column.where(~is_marker), errors="raise").astype("Float64")
    if kind == "number":
        formatted = numbers.map(lambda v: "" if pd.isna(v) else _number_text(v))
    else:
        if (numbers.dropna() % 1 != 0).any():
            raise ValueError(f"field {field['name']!r} is integer but has fractions")
        formatted = numbers.astype("Int64").astype("string")
    return formatted.astype("string").where(~is_marker, text).fillna("")


def _number_text(value: float) -> str:
    """Shortest text that round-trips, without binary artefacts like 38.799999999999997."""
    text = f"{round(float(value), 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _sort_key(column: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce")
    return numbers if numbers.notna().all() else column


def _file_facts(data: bytes) -> dict:
    return {"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _read_previous(out_dir: Path) -> dict:
    path = out_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT00:00:00Z")


def _ensure_changelog(out_dir: Path, descriptor: dict) -> None:
    path = out_dir / "CHANGELOG.md"
    if not path.exists():
        path.write_text(
            f"# Changelog: {descriptor['name']}\n\n"
            f"## {descriptor['version']} ({descriptor['created'][:10]})\n\n"
            "- First release of this package, built by its ingest script from the publisher's files.\n",
            encoding="utf-8")


_TOP_ORDER = ["$schema", "name", "title", "description", "version", "created", "licenses",
              "sources", "keywords", "resources"]


def _ordered(descriptor: dict) -> dict:
    """Top-level properties in a fixed reading order, the rest after them."""
    ordered = {k: descriptor[k] for k in _TOP_ORDER if k in descriptor}
    ordered.update({k: v for k, v in descriptor.items() if k not in ordered})
    return ordered


# Describe

def field(name: str, kind: str, description: str, **extra) -> dict:
    """A Table Schema field; keyword arguments become properties (`constraints`, `categories`, ...)."""
    return {"name": name, "type": kind, "description": description, **extra}


def markers_note(markers: tuple[str, ...]) -> str:
    """The sentence that explains each suppression marker, for a field or schema description."""
    return "Missing values stand for the publisher's markers: " + "; ".join(
        f"`{m}` = {MARKERS[m]}" for m in markers) + "."


def resource(name: str, title: str, description: str, fields: list[dict], primary_key: list[str],
             *, missing: tuple[str, ...] = ("",), foreign_keys: list[dict] | None = None) -> dict:
    """A tabular resource descriptor; `hash` and `bytes` are filled in by write_package."""
    schema = {"fields": fields, "primaryKey": primary_key, "missingValues": list(missing)}
    local = [key for key in foreign_keys or [] if "package" not in key["reference"]]
    into_packages = [key for key in foreign_keys or [] if "package" in key["reference"]]
    if local:
        schema["foreignKeys"] = local
    if into_packages:  # not `foreignKeys`: stock frictionless cannot resolve another package (docs)
        schema[PACKAGE_KEYS] = into_packages
    return {
        "name": name, "type": "table", "path": f"{name}.csv", "scheme": "file", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "title": title, "description": description,
        "schema": schema,
    }


def meta_resource(meta: dict, name: str, **options) -> dict:
    """The resource `name` from a script's metadata (`resources.<name>`: title, description, fields,
    primary_key, optional missing); `options` go to `resource` (computed fields, missing values, keys)."""
    spec = meta["resources"][name]
    options.setdefault("missing", tuple(spec.get("missing", ("",))))
    fields = with_enums(options.pop("fields", spec.get("fields", [])), options.pop("enums", {}))
    described = resource(name, spec["title"], spec["description"], fields, spec["primary_key"], **options)
    if "licenses" in spec:  # a resource under another licence than its package's
        described["licenses"] = spec["licenses"]
    return described


def with_enums(fields: list[dict], enums: dict[str, list]) -> list[dict]:
    """The fields, each named in `enums` given that list as `constraints.enum` (the YAML's `enum: ~` place)."""
    unknown = set(enums) - {f["name"] for f in fields}
    if unknown:
        raise ValueError(f"enums for fields not in the resource: {sorted(unknown)}")
    return [{**f, "constraints": {**f["constraints"], "enum": list(enums[f["name"]])}} if f["name"] in enums
            else f for f in fields]


def la_foreign_key(field_name: str = "la_code_old") -> dict:
    """A foreign key into the `local-authorities` package (checked by `report data validate`)."""
    return {"fields": [field_name],
            "reference": {"package": "local-authorities", "resource": "local-authorities",
                          "fields": ["la_code_old"]}}
