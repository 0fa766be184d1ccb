"""Who made the report and how to reach them, its licences, its address and dates, read from _quarto.yml
(Quarto's `author`, `license`, `site-url` and `date` keys) and the data packages; and the citation of the
edition in APA, BibTeX and RIS."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

AUTHOR_FIELDS = ("name", "email", "url", "affiliation", "note")
CREATIVE_COMMONS = {"CC BY", "CC BY-SA", "CC BY-ND", "CC BY-NC", "CC BY-NC-SA", "CC BY-NC-ND"}
RELEASE = re.compile(r"^##\s+(\d+\.\d+\.\d+)\s+\((\d{4}-\d\d-\d\d)\)", re.M)
END_PUNCTUATION = ("?", "!", ".", ":")


def settings(book: dict, config: dict, data_dir: Path) -> dict:
    """The book settings these keys give: authors, licences, site address and the data's last update."""
    authors = author_list(book.get("author", ""))
    licences = licence_list(book.get("license", ""))
    return {
        "authors": authors, "author": author_names(authors), "contact": contact(authors),
        "licenses": licences, "license": " ".join(_sentence(item["text"]) for item in licences),
        "site_url": site_url(book, config), "data_updated": data_updated(data_dir),
    }


def author_list(value) -> list[dict]:
    """Quarto's `author`: a name, or a list of names or of {name, email, url, affiliation, note}."""
    items = value if isinstance(value, list) else [value] if value else []
    authors = []
    for item in items:
        item = {"name": item} if isinstance(item, str) else dict(item)
        affiliation = item.get("affiliation") or item.get("affiliations") or ""
        if isinstance(affiliation, list):
            affiliation = affiliation[0] if affiliation else ""
        item["affiliation"] = affiliation.get("name", "") if isinstance(affiliation, dict) else affiliation
        authors.append({key: str(item.get(key) or "") for key in AUTHOR_FIELDS})
    return authors


def author_names(authors: list[dict]) -> str:
    names = [a["name"] for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def contact(authors: list[dict]) -> dict:
    """The first author with an email address: where readers write (the accessibility statement, footer)."""
    return next(({"name": a["name"], "email": a["email"]} for a in authors if a["email"]), {"name": "", "email": ""})


def licence_list(value) -> list[dict]:
    """Quarto's `license`: a string ("CC BY" is Creative Commons 4.0), an object {text, url, type} or a list."""
    items = value if isinstance(value, list) else [value] if value else []
    licences = []
    for item in items:
        if isinstance(item, str) and item.strip().upper() in CREATIVE_COMMONS:
            code = item.strip().upper()
            slug = code.removeprefix("CC ").lower()
            item = {"text": f"{code} 4.0", "url": f"https://creativecommons.org/licenses/{slug}/4.0/"}
        elif isinstance(item, str):
            item = {"text": item}
        licences.append({"text": str(item.get("text", "")).strip(), "url": str(item.get("url", ""))})
    return licences


def site_url(book: dict, config: dict) -> str:
    """`book: site-url:` (a Quarto book) or `website: site-url:` (a Quarto website), with one final slash."""
    url = book.get("site-url") or (config.get("website") or {}).get("site-url") or ""
    return url.rstrip("/") + "/" if url else ""


def root_path(url: str) -> str:
    """The site's path on its server ("/" without site-url), so the 404 page's links work from any missing
    address: a server sends 404.html for /sub/path/missing/deep.html, where relative links would miss."""
    match = re.match(r"^[a-z]+://[^/]+(/.*)?$", url)
    path = (match.group(1) or "/") if match else "/"
    return path if path.endswith("/") else path + "/"


def data_updated(data_dir: Path) -> str:
    """The latest release date of any package's current version (its CHANGELOG entry, else `created`)."""
    dates = [release_date(folder) for folder in sorted(Path(data_dir).glob("*/")) if
             (folder / "datapackage.json").is_file()]
    return max((d for d in dates if d), default="")


def release_date(folder: Path) -> str:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    changelog = folder / "CHANGELOG.md"
    releases = dict(RELEASE.findall(changelog.read_text(encoding="utf-8"))) if changelog.is_file() else {}
    return releases.get(descriptor.get("version", ""), str(descriptor.get("created", ""))[:10])


def full_title(book: dict) -> str:
    """Title and subtitle as one: "What Works? The 2016 argument", "Title: subtitle"."""
    title, subtitle = book["title"].strip(), book.get("subtitle", "").strip()
    if not subtitle:
        return title
    return f"{title} {subtitle}" if title.endswith(END_PUNCTUATION) else f"{title}: {subtitle}"


def cite(book: dict, packages: list[dict]) -> dict:
    """The edition's citation: APA text (with the data versions for `reference`), BibTeX and RIS."""
    versions = ", ".join(f"{p['name']} {p['version']}" for p in packages)
    authors = book.get("authors") or author_list(book.get("author", ""))
    title, year = full_title(book), book.get("date", "")[:4]
    parts = apa(book, authors, title)
    apa_text = "".join(parts)
    return {"apa": apa_text, "apa_parts": parts, "reference": f"{apa_text} Data: {versions}.", "bibtex": bibtex(book, authors, title, versions),
            "ris": ris(book, authors, title, versions), "title": title, "year": year, "versions": versions,
            "author": author_names(authors)}


def apa(book: dict, authors: list[dict], title: str) -> tuple[str, str, str]:
    """APA 7th edition for a report by group authors, as (before, title in italics, after):
    "A & B. (2026, November 26). ", "Title", " (2026 ed.). Publisher. URL"."""
    names = [a["name"] for a in authors]
    who = " & ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + ", & " + names[-1]
    edition = book.get("edition", "").replace("edition", "ed.").strip()
    italic = title if edition else _sentence(title)
    after = f" ({edition})." if edition else ""
    publisher = book.get("publisher", "")
    if publisher and publisher not in names:
        after += f" {_sentence(publisher)}"
    if book.get("site_url"):
        after += f" {book['site_url']}"
    return f"{_sentence(who)} ({_apa_date(book.get('date', ''))}). ", italic, after


def bibtex(book: dict, authors: list[dict], title: str, versions: str) -> str:
    """One @misc entry; every name and the title are braced so BibTeX keeps them exactly as written."""
    year = book.get("date", "")[:4]
    key = (re.findall(r"[a-z]+", book["title"].lower()) or ["report"])[0] + year
    fields = [("author", " and ".join(f"{{{_bib(a['name'])}}}" for a in authors)), ("title", f"{{{_bib(title)}}}"),
              ("year", year), ("month", book.get("date", "")[5:7].lstrip("0")),
              ("edition", _bib(book.get("edition", ""))), ("publisher", _bib(book.get("publisher", ""))),
              ("url", book.get("site_url", "")),
              ("note", _bib(f"Edition date {book.get('date', '')}. Data packages: {versions}"))]
    body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def ris(book: dict, authors: list[dict], title: str, versions: str) -> str:
    """A RIS record (TY first, ER last), as reference managers import it."""
    day = book.get("date", "")
    lines = [("TY", "RPRT"), ("TI", title), *[("AU", a["name"]) for a in authors], ("PY", day[:4]),
             ("DA", day.replace("-", "/")), ("ET", book.get("edition", "")), ("PB", book.get("publisher", "")),
             ("UR", book.get("site_url", "")), ("N1", f"Data packages: {versions}"), ("ER", "")]
    return "\n".join(f"{tag}  - {value}" for tag, value in lines if value or tag == "ER") + "\n"


def _apa_date(text: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text[:4] or "n.d."
    return f"{day.year}, {day:%B} {day.day}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(END_PUNCTUATION) else text + "."


def _bib(text: str) -> str:
    """Escape what BibTeX would read as markup."""
    text = text.replace("\\", "\\textbackslash{}")
    return re.sub(r"([{}&%$#_])", r"\\\1", text)
