"""Page templates and the context every page is rendered with: shared by the site's own pages
(site.py, pages.py) and by page providers."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
TAGS = re.compile(r"<[^>]+>")
LINKS = {"data": "data.html", "cite": "cite.html", "accessibility": "accessibility.html",
         "search": "search.html"}


class SiteError(Exception):
    """A page or chart that cannot be published as it is; the message names each one."""


@dataclass
class Site:
    """Everything the page template needs that is the same on every page."""

    book: dict
    packages: list[dict]
    pdf: dict
    licences: list[dict] = field(default_factory=list)
    strict_charts: bool = False  # True: a chart below WCAG contrast or colour rules stops the build
    cache_dir: Path | None = None  # where the data page keeps what it read from unchanged packages


@dataclass
class Card:
    """A page's social card: the PNG of its first chart, or the report's own card."""

    href: str
    alt: str
    width: int
    height: int


def environment(*folders: Path) -> jinja2.Environment:
    """The site's templates; page providers' `folders` come after the builder's, so theirs can extend base.html."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader([TEMPLATES, *folders]), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def common_context(site: Site, nav: list[dict], extra_links: list = (), search_groups: list = ()) -> dict:
    """What every page shares; `extra_links` (providers.Link) lead to the page providers' index pages."""
    book = {"site_url": "", "author": "", "edition": "", "subtitle": "", "authors": [], "licenses": [],
            "contact": {"name": "", "email": ""}, "data_updated": "", **site.book,
            "date_text": long_date(site.book.get("date", "")),
            "data_updated_text": long_date(site.book.get("data_updated", ""))}
    return {"book": book, "nav": nav, "packages": site.packages, "pdf": site.pdf, "links": LINKS,
            "licences": site.licences, "extra_links": list(extra_links),
            "search_groups": list(search_groups)}


def page_context(site: Site, name: str, title: str, href: str, body: str, card: Card, *,
                 kind: str = "page", indexed: bool = True) -> dict:
    return {"name": name, "title": title, "href": href, "body": body, "kind": kind, "indexed": indexed,
            "description": description(body, site.book), "card": card, "scripts": [], "styles": [], "appendix": False,
            "url": absolute_url(site.book.get("site_url", ""), href)}


def absolute_url(site_url: str, href: str) -> str:
    """The page's public address for og:url and the canonical link ("" without site-url): the landing page
    is the site's own address, as Quarto writes it."""
    if not site_url:
        return ""
    return site_url if href == "index.html" else site_url.rstrip("/") + "/" + href


def render(env: jinja2.Environment, template: str, path: Path, page: dict, common: dict) -> Path:
    page["card_url"] = absolute_url(common["book"].get("site_url", ""), page["card"].href) or page["card"].href
    path.write_text(env.get_template(template).render(page=page, **common), encoding="utf-8")
    return path


def script_json(value) -> str:
    """JSON that is safe inside a <script> element (no `</script>` or `<!--` can appear)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub("", fragment)).split())


def long_date(text: str) -> str:
    """"2026-11-26" -> "26 November 2026" (the edition date as readers write it)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def description(body: str, book: dict) -> str:
    """The first paragraph as plain text, for search results and link previews."""
    match = re.search(r"<p>(.*?)</p>", body, re.S)
    text = plain_text(match.group(1)) if match else book["title"]
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
