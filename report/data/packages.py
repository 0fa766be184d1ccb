"""Find the data packages and read their descriptors, refusing any that could read outside their folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REQUIRED = ("name", "version", "resources")


class PackageError(Exception):
    """A package that cannot be used; the message names the package, resource, row and field."""


@dataclass(frozen=True)
class Package:
    folder: Path
    descriptor: dict

    @property
    def name(self) -> str:
        return self.descriptor["name"]

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    @property
    def resources(self) -> list[dict]:
        return self.descriptor["resources"]

    def resource(self, name: str | None = None) -> dict:
        """The named resource, or the only/first one when no name is given."""
        if name is None:
            return self.resources[0]
        for resource in self.resources:
            if resource["name"] == name:
                return resource
        names = [r["name"] for r in self.resources]
        raise PackageError(f"package {self.name}: no resource {name!r} (it has {names})")

    def path_of(self, resource: dict) -> Path:
        return self.folder / safe_relative_path(self.name, resource)

    def provenance(self) -> dict:
        """What a chart or page needs to credit the data: name, version, title, sources, licence."""
        return {
            "package": self.name,
            "version": self.version,
            "title": self.descriptor.get("title", self.name),
            "sources": self.descriptor.get("sources", []),
            "licenses": self.descriptor.get("licenses", []),
        }


def read_package(folder: Path) -> Package:
    """Read `datapackage.json` and check what every later step relies on."""
    path = Path(folder) / "datapackage.json"
    label = f"{Path(folder).name}/datapackage.json"
    if not path.is_file():
        raise PackageError(f"package {Path(folder).name}: {label} not found")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise PackageError(f"package {Path(folder).name}: {label} is not UTF-8") from None
    except json.JSONDecodeError as error:
        raise PackageError(f"package {Path(folder).name}: {label} is not valid JSON "
                           f"(line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(descriptor, dict):
        raise PackageError(f"package {Path(folder).name}: {label} must hold a JSON object")
    missing = [key for key in REQUIRED if key not in descriptor]
    if missing:
        raise PackageError(f"package {Path(folder).name}: {label} misses required properties {missing}")
    if descriptor["name"] != Path(folder).name:
        raise PackageError(f"package {Path(folder).name}: {label} has name {descriptor['name']!r}; "
                           "the folder name and the package name must agree")
    if not isinstance(descriptor["resources"], list) or not descriptor["resources"]:
        raise PackageError(f"package {descriptor['name']}: {label} has no resources")
    package = Package(Path(folder), descriptor)
    for resource in package.resources:
        safe_relative_path(package.name, resource)
    return package


def safe_relative_path(package: str, resource: dict) -> PurePosixPath:
    """A resource path must be a relative path inside the package folder: no URL, no `..`, no absolute."""
    if not isinstance(resource, dict) or "name" not in resource:
        raise PackageError(f"package {package}: every resource needs a name")
    raw = resource.get("path")
    where = f"package {package}, resource {resource['name']}"
    if not isinstance(raw, str) or not raw:
        raise PackageError(f"{where}: `path` must be one relative file path (got {raw!r})")
    path = PurePosixPath(raw)
    if "://" in raw or raw.startswith(("/", "\\")) or path.is_absolute() or ":" in path.parts[0]:
        raise PackageError(f"{where}: path {raw!r} is refused: a package may only read files inside its "
                           "own folder (no absolute paths or URLs)")
    if ".." in path.parts or "\\" in raw:
        raise PackageError(f"{where}: path {raw!r} is refused: `..` would leave the package folder")
    return path


def discover(data_dir: Path) -> list[Path]:
    """Package folders under `data/`, sorted by name."""
    return sorted(p for p in Path(data_dir).iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
