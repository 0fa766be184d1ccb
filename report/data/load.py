"""Load a package resource into pandas with the dtypes its schema declares (never frictionless's Decimals)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from report.data import frames
from report.data.packages import Package, PackageError, read_package
from report.project import Project

if TYPE_CHECKING:  # pandas is imported where frames are made, so the builder's no-op path never loads it
    import pandas as pd

_declared: dict = {"chapter": None, "packages": None}


class Provenance(list):
    """`attrs["provenance"]`: never changed after loading, so shared rather than copied (pandas deep-copies
    `attrs` on every operation, which made provenance the biggest cost of small per-council charts)."""

    def __deepcopy__(self, memo) -> "Provenance":
        return self


def declare(chapter: str | None, packages: list[str] | None) -> None:
    """Limit `load` to the packages a chapter declares in its front matter (None lifts the limit)."""
    _declared["chapter"] = chapter
    _declared["packages"] = None if packages is None else list(packages)


def package(name: str, data_dir: Path | None = None) -> Package:
    """The named package, if the current chapter declared it."""
    allowed = _declared["packages"]
    if allowed is not None and name not in allowed:
        raise PackageError(
            f"chapter {_declared['chapter']} reads package {name!r} but does not declare it; add it to "
            f"`packages:` in the chapter's front matter (declared: {allowed})")
    folder = Path(data_dir or Project.find().data_dir) / name
    if not folder.is_dir():
        raise PackageError(f"package {name!r} not found in {folder.parent}")
    return read_package(folder)


def load(name: str, resource: str | None = None, data_dir: Path | None = None) -> pd.DataFrame:
    """A resource as a DataFrame; `df.attrs["provenance"]` credits the package and its version."""
    pkg = package(name, data_dir)
    spec = pkg.resource(resource)
    path = pkg.path_of(spec)
    key = (str(path), spec.get("hash"), pkg.version)
    frame = frames.MEMORY.get(key)
    if frame is None:
        frame = frames.parsed(path, spec, pkg.folder.parent,
                              lambda: read_table(path, spec.get("schema", {}), label=f"{name}/{spec['name']}"))
        frames.MEMORY.put(key, frame)
    frame = frame.copy()
    frame.attrs["provenance"] = Provenance([pkg.provenance() | {"resource": spec["name"]}])
    return frame


def read_raw(path: Path) -> pd.DataFrame:
    """A package's CSV as written: every value a string, markers kept, nothing parsed. The one place a
    package file is read with pandas (report/data/direct_reads.py keeps it so)."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="strict")


def read_table(path: Path, schema: dict, label: str = "") -> pd.DataFrame:
    """Parse CSV text with the schema: markers -> missing, each field to its declared type."""
    import pandas as pd

    raw = read_raw(path)
    markers = set(schema.get("missingValues", [""]))
    frame = pd.DataFrame(index=raw.index)
    for field in schema.get("fields", []):
        name = field["name"]
        if name not in raw:
            raise PackageError(f"{label}: field {name!r} is in the schema but not in {Path(path).name}")
        column = raw[name].where(~raw[name].isin(markers))
        frame[name] = convert(column, field, label)
    return frame


def convert(column: pd.Series, field: dict, label: str = "") -> pd.Series:
    import pandas as pd

    kind = field.get("type", "string")
    try:
        if kind in ("integer", "year"):
            return pd.to_numeric(column, errors="raise").astype("Int64")
        if kind == "number":
            numbers = pd.to_numeric(column, errors="raise").astype("float64")
            if numbers.isin([float("inf"), float("-inf")]).any() or (numbers.isna() & column.notna()).any():
                raise ValueError("inf and NaN are refused: every number must be finite")
            return numbers
        if kind == "boolean":
            truth = {"true": True, "false": False, "True": True, "False": False, "1": True, "0": False}
            return column.map(truth, na_action="ignore").astype("boolean")
        if kind in ("date", "datetime"):
            return pd.to_datetime(column, errors="raise")
    except (ValueError, TypeError) as error:
        raise PackageError(f"{label}: field {field['name']!r} is not {kind}: {error}") from None
    if field.get("categories"):
        categories = [c["value"] if isinstance(c, dict) else c for c in field["categories"]]
        return pd.Categorical(column, categories=categories, ordered=bool(field.get("categoriesOrdered")))
    return column.astype("string")
