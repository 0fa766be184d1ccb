"""Find the data packages and read their descriptors, refusing any that could read outside their folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REQUIRED = ("name", "version", "resources")
# Foreign keys into another package live in this custom schema property (same shape as `foreignKeys`,
# with `reference.package`): the Data Package standard resolves keys only inside one package, so stock
# `frictionless validate` passes each package on its own, and `report data validate` checks these too.
PACKAGE_KEYS = "x-packageForeignKeys"
STANDARD_PROFILES = {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource",
                     *(f"https://datapackage.org/profiles/{v}/{name}.json" for v in ("1.0", "2.0")
                       for name in ("datapackage", "dataresource", "tableschema", "tabledialect"))}
# The only dialect the loader reads (pandas' defaults): a property may be given, but only with this value
HONOURED_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True,
                    "lineTerminator": "\n", "skipInitialSpace": False}


CHUNK = 1 << 20  # files are hashed a MiB at a time


def feed(digest, path: Path) -> None:
    """Add a file's bytes to a hashlib `digest` a chunk at a time: memory stays flat however big the file."""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)


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

    @staticmethod
    def package_keys(resource: dict) -> list[dict]:
        """Foreign keys into other packages (the custom property, or `foreignKeys` naming a package)."""
        return list(resource.get("schema", {}).get(PACKAGE_KEYS, []))

    def path_of(self, resource: dict) -> Path:
        """The resource's file; a symlink that leads outside the package folder is refused."""
        path = self.folder / safe_relative_path(self.name, resource)
        target = path.resolve()
        if not target.is_relative_to(self.folder.resolve()):
            raise PackageError(f"package {self.name}, resource {resource['name']}: {resource['path']} is a "
                                   f"symlink to {target}, outside the package folder; refused")
        return path

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
    if path.is_symlink():
        raise PackageError(f"package {Path(folder).name}: {label} is a symlink; refused (a package's files "
                           "must be its own)")
    package = Package(Path(folder), descriptor)
    _check_profile(package.name, label, descriptor)
    for resource in package.resources:
        safe_relative_path(package.name, resource)
        check_inline(package.name, resource)
    return package


def _check_profile(package: str, where: str, descriptor: dict) -> None:
    """A profile must be a standard one named by its URL or name: a custom profile would be fetched."""
    for key in ("$schema", "profile"):
        if key in descriptor and descriptor[key] not in STANDARD_PROFILES:
            raise PackageError(f"package {package}: {where}: `{key}` {descriptor[key]!r} is refused: only the "
                               "standard Data Package profiles are allowed (nothing is fetched)")


def check_inline(package: str, resource: dict) -> None:
    """`schema` and `dialect` inline (no URL or path: nothing is fetched), with only what the loader honours."""
    where = f"package {package}, resource {resource['name']}"
    _check_profile(package, f"resource {resource['name']}", resource)
    schema = resource.get("schema", {})
    if not isinstance(schema, dict):
        raise PackageError(f"{where}: `schema` must be written inline as a JSON object; {schema!r} is refused "
                           "(a schema given as a URL or path is never fetched)")
    _check_profile(package, f"resource {resource['name']}, schema", schema)
    if any("package" in fk.get("reference", {}) for fk in schema.get("foreignKeys", []) if isinstance(fk, dict)):
        raise PackageError(f"{where}: a foreign key into another package must be in `{PACKAGE_KEYS}`, not "
                           "`foreignKeys` (the standard validator cannot resolve another package; "
                           "docs/data-conventions.md)")
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        raise PackageError(f"{where}: `dialect` must be written inline as a JSON object; {dialect!r} is refused "
                           "(a dialect given as a URL or path is never fetched)")
    for key, value in dialect.items():
        if key in ("$schema", "profile"):
            continue
        if key == "lineTerminator" and value in ("\n", "\r\n"):
            continue
        if key not in HONOURED_DIALECT or HONOURED_DIALECT[key] != value:
            raise PackageError(f"{where}: dialect property {key}={value!r} is refused: the loader reads "
                               "comma-separated UTF-8 text with a header row and \" quotes, nothing else")


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
