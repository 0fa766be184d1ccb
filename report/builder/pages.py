"""The site-wide pages: data and downloads, citation, accessibility statement, search, 404; the social card."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import textwrap
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from report.builder.attribution import cite, root_path
from report.builder.convert import pandoc_path
from report.builder.downloads import chart_png, file_size
from report.builder.templating import Card, long_date, page_context, render
from report.fonts import FAMILY

CARD_SIZE = (1200, 630)
ENTRY_FORMAT = 1  # bump when PackageEntry changes shape, so old cache entries are ignored
NO_LICENCE = {"title": "No licence declared by the publisher", "path": ""}


@dataclass
class ResourceEntry:
    name: str
    title: str
    description: str
    href: str
    size: str
    rows: int
    coverage: str
    sha256: str
    licences: list[dict] = field(default_factory=list)


@dataclass
class PackageEntry:
    name: str
    title: str
    version: str
    description: str
    coverage: str
    licences: list[dict]
    sources: list[dict]
    resources: list[ResourceEntry] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    changelog: str = ""

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.resources)


def write_pages(out: Path, env, site, common: dict, card) -> list[Path]:
    """data.html, cite.html, accessibility.html, search.html and 404.html; returns their paths."""
    entries = package_entries(out / "data", site.packages, site.cache_dir)
    citation = cite(site.book, site.packages)
    for suffix, text in (("bib", citation["bibtex"] + "\n"), ("ris", citation["ris"])):
        (out / f"cite.{suffix}").write_text(text, encoding="utf-8")
        citation[f"{suffix}_size"] = file_size((out / f"cite.{suffix}").stat().st_size)
    specs = [
        ("data", "Data and downloads", {"entries": entries},
         "Every data package behind the report: versions, sources, licences, checksums and downloads."),
        ("cite", "Cite this edition", {"citation": citation},
         f"How to cite the {site.book['edition']} of the report, with its data versions."),
        ("accessibility", "Accessibility statement", {},
         "How the site and the PDF were tested for accessibility, and what is known not to work yet."),
        ("search", "Search", {}, "Search the whole report."),
        ("404", "Page not found", {}, "The page you asked for is not part of this report."),
    ]
    paths = []
    for name, title, extra, text in specs:
        page = page_context(site, name, title, f"{name}.html", "", card,
                            indexed=name not in ("search", "404"))
        page["description"] = text
        if name == "search":
            page["scripts"] = [{"src": "assets/search.js", "module": True}]
        paths.append(render(env, f"{name}.html", out / f"{name}.html", page, common | extra))
    from_root(out / "404.html", root_path(site.book.get("site_url", "")))
    return paths


RELATIVE_REF = re.compile(r'(\s(?:href|src|action)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]*)"')


def from_root(path: Path, root: str) -> None:
    """Every relative link, script, stylesheet and form of the page made absolute from the site's root path
    (as Quarto writes its 404 page); fragments (#main) stay on the page."""
    text = path.read_text(encoding="utf-8")
    path.write_text(RELATIVE_REF.sub(lambda m: f'{m.group(1)}{root}{m.group(2)}"', text), encoding="utf-8")


def licences(data_dir: Path, packages: list[dict]) -> list[dict]:
    """Each licence the packages declare, most used first, with how many packages use it (footer)."""
    found: dict[str, dict] = {}
    for package in packages:
        for item in _descriptor(data_dir, package["name"]).get("licenses", []) or [NO_LICENCE]:
            entry = found.setdefault(_licence(item)["title"], {**_licence(item), "count": 0})
            entry["count"] += 1
    return sorted(found.values(), key=lambda item: -item["count"])


def package_entries(data_dir: Path, packages: list[dict], cache_dir: Path | None = None) -> list[PackageEntry]:
    """What the data page says about each package; unchanged packages come from `cache_dir`."""
    return [_cached_entry(data_dir, package, cache_dir) for package in packages]


def _cached_entry(data_dir: Path, package: dict, cache_dir: Path | None) -> PackageEntry:
    """Reading every row for counts and coverage takes a while: do it once per package version and bytes."""
    changelog = data_dir / package["name"] / "CHANGELOG.md"
    key = hashlib.sha256(json.dumps([ENTRY_FORMAT, package.get("hash"), package.get("version"),
                                     changelog.read_bytes().hex() if changelog.is_file() else ""]).encode()).hexdigest()
    path = Path(cache_dir) / "pages" / f"{package['name']}.json" if cache_dir else None
    if path is not None and package.get("hash"):
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored["key"] == key:
                entry = PackageEntry(**{**stored["entry"], "resources": []})
                entry.resources = [ResourceEntry(**r) for r in stored["entry"]["resources"]]
                return entry
        except (OSError, ValueError, KeyError, TypeError):
            pass
    entry = _package_entry(data_dir, package)
    if path is not None and package.get("hash"):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps({"key": key, "entry": asdict(entry)}), encoding="utf-8")
        temp.replace(path)
    return entry


def _package_entry(data_dir: Path, package: dict) -> PackageEntry:
    """Read the served files: rows, coverage, checksums, licences, sources and the changelog."""
    name = package["name"]
    descriptor = _descriptor(data_dir, name)
    resources = [resource_entry(data_dir / name, name, r) for r in descriptor["resources"]]
    spans = [_span(r.coverage) for r in resources if _span(r.coverage)]
    coverage = f"{min(s[0] for s in spans)} to {max(s[1] for s in spans)}" if spans else "not dated"
    entry = PackageEntry(name, descriptor.get("title", name), descriptor["version"],
                         descriptor.get("description", ""), coverage,
                         [_licence(item) for item in descriptor.get("licenses", [])] or [NO_LICENCE],
                         [_source(s) for s in descriptor.get("sources", [])], resources)
    for file_name in ("datapackage.json", "CHANGELOG.md"):
        path = data_dir / name / file_name
        if path.is_file():
            entry.files.append({"href": f"data/{name}/{file_name}", "name": file_name,
                                "size": file_size(path.stat().st_size)})
    entry.changelog = changelog_html(data_dir / name / "CHANGELOG.md")
    return entry


def _descriptor(data_dir: Path, name: str) -> dict:
    return json.loads((data_dir / name / "datapackage.json").read_text(encoding="utf-8"))


def _source(item: dict) -> dict:
    return {key: item.get(key, "") for key in ("title", "path", "publisher", "version")}


def _licence(item: dict) -> dict:
    return {"title": item.get("title") or item.get("name", ""), "path": item.get("path", "")}


def resource_entry(folder: Path, package: str, resource: dict) -> ResourceEntry:
    path = folder / Path(resource["path"]).name
    data = path.read_bytes()
    rows, coverage = _rows_and_coverage(data.decode("utf-8"), resource.get("schema", {}))
    return ResourceEntry(resource["name"], resource.get("title", resource["name"]),
                         resource.get("description", ""), f"data/{package}/{path.name}",
                         file_size(len(data)), rows, coverage, hashlib.sha256(data).hexdigest(),
                         [_licence(item) for item in resource.get("licenses", [])])


def _rows_and_coverage(text: str, schema: dict) -> tuple[int, str]:
    """Row count, and the span of the year (else first date) field: "1994 to 2025"."""
    fields = schema.get("fields", [])
    by_name = {f["name"]: f for f in fields}
    column = "year" if "year" in by_name else next(
        (f["name"] for f in fields if f.get("type") in ("year", "date", "datetime")), None)
    reader = csv.DictReader(text.splitlines())
    rows, values = 0, []
    for row in reader:
        rows += 1
        value = (row.get(column) or "").strip() if column else ""
        if re.fullmatch(r"\d{4}(-\d\d-\d\d)?.*", value):
            values.append(value[:10])
    return rows, (f"{min(values)} to {max(values)}" if values else "not dated")


def _span(coverage: str) -> tuple[str, str] | None:
    parts = coverage.split(" to ")
    return (parts[0], parts[1]) if len(parts) == 2 else None


def changelog_html(path: Path) -> str:
    """The package's CHANGELOG.md as HTML under its entry (raw HTML in it is shown as text)."""
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    done = subprocess.run([pandoc_path(), "--from", "markdown-raw_html-auto_identifiers", "--to", "html5",
                           "--shift-heading-level-by=2", "--wrap=none"],
                          input="\n".join(lines).encode("utf-8"), capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def site_card(out: Path, book: dict):
    """assets/card.png: the report's title on the house blue, for pages without a chart."""
    width, height = CARD_SIZE
    lines = textwrap.wrap(book["title"], 30)[:3]
    title = "".join(f'<text x="80" y="{200 + 84 * i}" font-size="68" font-weight="700">{escape(line)}</text>'
                    for i, line in enumerate(lines))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width // 2}" height="{height // 2}" '
           f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#12436D"/>'
           f'<g fill="#ffffff" font-family="{FAMILY}">{title}'
           f'<text x="80" y="{224 + 84 * len(lines)}" font-size="36">{escape(book.get("subtitle", ""))}</text>'
           f'<text x="80" y="{height - 70}" font-size="34">{escape(book.get("edition", ""))} · '
           f'{escape(long_date(book.get("date", "")))}</text></g></svg>')
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / "assets" / "card.png").write_bytes(chart_png(svg))
    return Card("assets/card.png", f"{book['title']}, {book.get('edition', '')}", width, height)
