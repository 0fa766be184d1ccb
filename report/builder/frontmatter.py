"""What the PDF's cover, inside cover and "Data sources" section print, from _quarto.yml and the packages."""

from __future__ import annotations

import re
from pathlib import Path

from report.builder.pages import cite
from report.builder.templating import long_date
from report.data.packages import read_package

COMPILED = 5  # a package drawing on more publishers than this is compiled from web pages: summarised, not listed
COMMIT = re.compile(r"\b([0-9a-f]{7})[0-9a-f]{33}\b")  # a git commit as people quote it: its first 7 digits


def front_matter(book: dict, packages: list[dict], data_dir: Path) -> dict:
    """Cover and inside-cover lines plus the data sources, ready for templates/book.typ."""
    return {
        "publisher": book.get("publisher") or book.get("author", ""),
        "licence": book.get("license", ""),
        "date_text": long_date(book.get("date", "")),
        "citation": cite(book, packages)["reference"],
        "sources": [package_sources(read_package(data_dir / p["name"]).descriptor) for p in packages],
    }


def package_sources(descriptor: dict) -> dict:
    """One package's publications: each publisher's page once, with the releases taken from it."""
    licence = (descriptor.get("licenses") or [{}])[0]
    sources = descriptor.get("sources", [])
    entry = {"package": descriptor["name"], "version": descriptor.get("version", ""),
             "title": descriptor.get("title", descriptor["name"]), "licence": licence_title(licence),
             "publications": [], "compiled": ""}
    publishers = sorted({s["publisher"] for s in sources if s.get("publisher")})
    if len(publishers) > COMPILED:
        entry["compiled"] = (f"Compiled from {len(sources)} public web pages of {len(publishers)} publishers, "
                             "each cited in the package descriptor and on the report's data page.")
        return entry
    groups: dict[tuple, list[dict]] = {}
    for source in sources:
        groups.setdefault((source.get("publisher", ""), source.get("path", "")), []).append(source)
    for (publisher, url), items in groups.items():
        entry["publications"].append({"publisher": publisher, "url": url, "title": common_title(items),
                                      "releases": [COMMIT.sub(r"\1", s["version"]) for s in items if s.get("version")]})
    return entry


def licence_title(licence: dict) -> str:
    """The licence as readers name it; Frictionless's "notspecified" is no licence declared."""
    if licence.get("name", "notspecified") == "notspecified":
        return "No licence declared; the pages cited remain under their owners' terms."
    return licence.get("title") or licence["name"]


def common_title(items: list[dict]) -> str:
    """The publication's title without the release each item adds ("... - year ending 31 March 2010 (SFR27/2010)")."""
    titles = [item.get("title", "") for item in items]
    if len(titles) == 1:
        return re.sub(r"\s*\([^()]*\)$", "", titles[0]) if items[0].get("version") else titles[0]
    stems = [re.split(r"\s+-\s+|\s*\(", t)[0].strip() for t in titles]
    return max(stems, key=stems.count)  # a tie goes to the first in source order, so every build agrees
