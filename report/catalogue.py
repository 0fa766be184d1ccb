"""The data catalogue of the appendix, generated from the packages so that it never drifts from the data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from report.data import load, package
from report.display import Markdown, escape_markdown

LEVELS = {"National": "national", "Regional": "regional", "Local authority": "local authority"}
AREA_FIELDS = ("geographic_level", "la_code_old", "area_code")


@dataclass(frozen=True)
class Entry:
    """What the catalogue says about one package."""

    name: str
    title: str
    version: str
    description: str
    years: list[int]
    geography: list[str]
    rows: int
    licence: str
    licence_title: str
    sources: list[dict]
    resources: list[dict]


def entry(name: str, data_dir: Path | None = None) -> Entry:
    """Read a package's descriptor and its resources into one catalogue entry."""
    pkg = package(name, data_dir)
    resources, years, levels = [], set(), set()
    for spec in pkg.resources:
        frame = load(name, spec["name"], data_dir)
        covered = resource_years(frame, spec)
        years |= set(covered)
        levels |= set(resource_levels(frame, spec))
        resources.append({"name": spec["name"], "rows": len(frame), "years": covered,
                          "description": spec.get("description", "")})
    licence = (pkg.descriptor.get("licenses") or [{}])[0]
    return Entry(name, pkg.descriptor.get("title", name), pkg.version, pkg.descriptor.get("description", ""),
                 sorted(years), [lv for lv in LEVELS.values() if lv in levels], sum(r["rows"] for r in resources),
                 licence_name(licence), licence.get("title", licence_name(licence)),
                 list(pkg.descriptor.get("sources", [])), resources)


def licence_name(licence: dict) -> str:
    """The licence as readers name it: Frictionless's "notspecified" is no licence declared."""
    name = licence.get("name", "")
    return "not declared" if name in ("", "notspecified") else name


def resource_years(frame: pd.DataFrame, spec: dict) -> list[int]:
    """Years a resource covers: its `year` field; else every year between its first and last date
    (dates mark events such as inspections, so a year without one is not a gap in the data)."""
    fields = {f["name"]: f.get("type") for f in spec.get("schema", {}).get("fields", [])}
    if "year" in fields:
        return sorted(int(y) for y in frame["year"].dropna().unique())
    dates = [name for name, kind in fields.items() if kind in ("date", "datetime")]
    years = set()
    for name in dates:
        years |= {int(y) for y in frame[name].dropna().dt.year.unique()}
    return list(range(min(years), max(years) + 1)) if years else []


def resource_levels(frame: pd.DataFrame, spec: dict) -> list[str]:
    """Geographic levels present: `geographic_level`, else LA codes, else a yearly series is national
    (a list without years or areas, such as a list of organisations, has no geography of its own)."""
    if "geographic_level" in frame:
        return [LEVELS[v] for v in frame["geographic_level"].dropna().unique() if v in LEVELS]
    if "la_code_old" in frame:
        return [LEVELS["Local authority"]]
    return [LEVELS["National"]] if "year" in frame else []


def year_span(years: list[int]) -> str:
    """2009-2025 with the years missing inside the span named: "2009–2025 (not 2015, 2016)"."""
    if not years:
        return "no time dimension"
    first, last = years[0], years[-1]
    gaps = [y for y in range(first, last + 1) if y not in years]
    span = f"{first}–{last}" if last > first else str(first)
    return span + (f" (not {', '.join(str(y) for y in gaps)})" if gaps else "")


def catalogue_frame(names: list[str], data_dir: Path | None = None) -> pd.DataFrame:
    """One row per package for the appendix table."""
    rows = []
    for item in (entry(n, data_dir) for n in names):
        rows.append({"Package": item.title, "Name and version": f"{item.name} {item.version}",
                     "Years": year_span(item.years), "Geography": ", ".join(item.geography),
                     "Rows": f"{item.rows:,}", "Licence": item.licence})
    return pd.DataFrame(rows)


def package_notes(names: list[str], data_dir: Path | None = None) -> Markdown:
    """One `###` section per package: what it holds, its caveats (the descriptions) and its sources, linked."""
    return Markdown("\n\n".join(_notes(entry(n, data_dir)) for n in names) + "\n")


def _notes(item: Entry) -> str:
    parts = [f"### {escape_markdown(item.title)} {{#sec-data-{item.name}}}",
             f"Package *{escape_markdown(item.name)}*, version {escape_markdown(item.version)}; "
             f"{escape_markdown(year_span(item.years))}; {item.rows:,} rows; "
             f"licence: {escape_markdown(item.licence_title.rstrip('.'))}.",
             escape_markdown(item.description)]
    parts.append("Resources:\n\n" + "\n".join(
        f"- *{escape_markdown(r['name'])}* ({r['rows']:,} rows, {escape_markdown(year_span(r['years']))}): "
        f"{escape_markdown(r['description'])}" for r in item.resources))
    parts.append("Sources:\n\n" + "\n".join(f"- {_source(s)}" for s in item.sources))
    return "\n\n".join(parts)


def _source(source: dict) -> str:
    title = escape_markdown(source.get("title", "untitled"))
    path = source.get("path", "")
    linked = f"[{title}](<{_safe_url(path)}>)" if path.startswith(("http://", "https://")) else title
    details = [escape_markdown(source[k]) for k in ("publisher", "version") if source.get(k)]
    return linked + (f" ({'; '.join(details)})" if details else "")


def _safe_url(url: str) -> str:
    """A URL that cannot end the link early or carry markup."""
    return "".join(f"%{ord(ch):02X}" if ch in " <>\\`" else ch for ch in url)


def markers(names: list[str], data_dir: Path | None = None) -> list[str]:
    """Every publisher marker the packages declare as a missing value (other than the empty cell)."""
    found = set()
    for name in names:
        for spec in package(name, data_dir).resources:
            found |= {m for m in spec.get("schema", {}).get("missingValues", []) if m}
    return sorted(found)


def all_packages(data_dir: Path | None = None) -> list[str]:
    """Every package in data/, by name: the catalogue lists them all, so a new package cannot be missed."""
    from report.data.packages import discover
    from report.project import Project

    return [folder.name for folder in discover(Path(data_dir or Project.find().data_dir))]
