"""The static site: one page per chapter from the Pandoc HTML, charts filled in, assets served locally,
then the site-wide pages (data, citation, accessibility, search, 404) and the search index."""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from report.builder import assets as assets_mod
from report.builder.chartcheck import Finding, accessibility_findings, runtime_problems
from report.builder.convert import Chart, ChapterDoc
from report.builder.downloads import PNG_SCALE, ChartFiles, write_chart_files
from report.fonts import font_files

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
CHART_SLOT = re.compile(r"<!--report-chart:(fig-[A-Za-z0-9_-]+)-->\s*(<figcaption>.*?</figcaption>)?", re.S)
HREF_FRAGMENT = re.compile(r'href="#([^"]+)"')
ID_ATTR = re.compile(r'\sid="([^"]+)"')
SECTION_NUMBER = re.compile(r'<h1[^>]*>\s*<span class="header-section-number">([^<]+)</span>')
TABLE = re.compile(r"<table\b.*?</table>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
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


def page_href(doc: ChapterDoc, index: int) -> str:
    return "index.html" if index == 0 else f"{doc.name}.html"


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def write_site(out: Path, docs: list[ChapterDoc], fragments: dict[str, str], site: Site,
               js_bundle: str, say=print, explorer: dict | None = None,
               timings: dict | None = None, page_pool=None) -> list[Path]:
    """Write every page, asset, chart file and the search index into `out`; returns the page paths.
    `explorer` (the explorer stage's payload) adds the council pages (report/explorer/pages.py), and
    `timings["explorer_pages"]` says how long they took; a `page_pool` (explorer_pages.PagePool) writes them."""
    from report.builder import pages as pages_mod
    from report.builder import search

    env = environment()
    findings = check_charts(docs, site.strict_charts, say)
    hrefs = {doc.name: page_href(doc, i) for i, doc in enumerate(docs)}
    fragments = link_across_pages(fragments, hrefs)
    nav = [{"name": d.name, "href": hrefs[d.name], "title": d.title,
            "number": _chapter_number(fragments[d.name])} for d in docs]
    bundle = write_assets(out, js_bundle)
    site.licences = site.licences or pages_mod.licences(out / "data", site.packages)
    common = common_context(site, nav)
    if explorer is not None:
        from report.explorer.pages import INDEX

        common["links"] = {**common["links"], "councils": INDEX}
    card = pages_mod.site_card(out, site.book)
    files = {c.label: write_chart_files(out, c) for d in docs for c in d.charts}
    charts = {c.label: c for d in docs for c in d.charts}
    written, figures = [], {}
    for i, doc in enumerate(docs):
        body = fill_charts(wrap_tables(fragments[doc.name]), charts, files, env, figures)
        page = page_context(site, doc.name, doc.title, hrefs[doc.name], body, card, kind="chapter")
        page |= {"previous": nav[i - 1] if i else None, "next": nav[i + 1] if i + 1 < len(nav) else None}
        if doc.charts:
            first = doc.charts[0]
            page["card"] = chart_card(files[first.label], first)
            page["scripts"] = [{"src": f"assets/{bundle}", "module": False},
                               {"src": "assets/charts.js", "module": False}]
        written.append(render(env, "page.html", out / hrefs[doc.name], page, common))
    shortfalls = chart_shortfalls(findings, figures, {c.label: hrefs[d.name] for d in docs for c in d.charts})
    if explorer is not None:
        pages, council_shortfalls = write_explorer(explorer, out, env, site, common, card, bundle, timings,
                                                   page_pool)
        written += pages
        shortfalls += council_shortfalls
    written += pages_mod.write_pages(out, env, site, common | {"shortfalls": shortfalls}, card)
    search.index(out)
    return written


def write_explorer(explorer: dict, out: Path, env, site: Site, common: dict, card: Card, bundle: str,
                   timings: dict | None, page_pool=None) -> tuple[list[Path], list[dict]]:
    """The council pages and their charts' shortfalls; a strict build refuses council charts below WCAG."""
    from time import perf_counter

    from report.explorer import pages as explorer_pages

    started = perf_counter()
    pages, shortfalls = explorer_pages.write(explorer, out, env, site, common, card, bundle, page_pool)
    if timings is not None:
        timings["explorer_pages"] = round(perf_counter() - started, 3)
    if shortfalls and site.strict_charts:
        raise SiteError("council charts below WCAG: " + "; ".join(s["figure"] for s in shortfalls))
    return pages, shortfalls


def check_charts(docs: list[ChapterDoc], strict: bool, say) -> list[Finding]:
    """Charts the runtime cannot draw stop the build; accessibility findings are warned about and listed
    in the accessibility statement (or stop the build too when `strict`)."""
    problems = [p for d in docs for c in d.charts for p in runtime_problems(c, f"chapter {d.name}")]
    findings = [f for d in docs for c in d.charts for f in accessibility_findings(c, f"chapter {d.name}")]
    if strict:
        problems += [f"{f.where}: chart {f.label}: {f.message}" for f in findings]
    if problems:
        raise SiteError("charts not fit to publish:\n" + "\n".join(problems))
    for f in findings:
        say(f"warning: {f.where}: chart {f.label}: {f.message} (listed in the accessibility statement)")
    return findings


def chart_shortfalls(findings: list[Finding], figures: dict[str, str], pages: dict[str, str]) -> list[dict]:
    """One entry per chart with findings, for the statement's list of content that does not yet comply."""
    entries: dict[str, dict] = {}
    for f in findings:
        entry = entries.setdefault(f.label, {"href": f"{pages[f.label]}#{f.label}",
                                             "figure": figures.get(f.label, f.label), "problems": []})
        if f.reader not in entry["problems"]:
            entry["problems"].append(f.reader)
    return list(entries.values())


def common_context(site: Site, nav: list[dict]) -> dict:
    book = {"site_url": "", "author": "", "edition": "", "subtitle": "", **site.book,
            "date_text": long_date(site.book.get("date", ""))}
    return {"book": book, "nav": nav, "packages": site.packages, "pdf": site.pdf, "links": LINKS,
            "licences": site.licences}


def page_context(site: Site, name: str, title: str, href: str, body: str, card: Card, *,
                 kind: str = "page", indexed: bool = True) -> dict:
    base = site.book.get("site_url", "").rstrip("/")
    return {"name": name, "title": title, "href": href, "body": body, "kind": kind, "indexed": indexed,
            "description": description(body, site.book), "card": card, "scripts": [], "base": "",
            "url": f"{base}/{href}" if base else ""}


def render(env: jinja2.Environment, template: str, path: Path, page: dict, common: dict) -> Path:
    base = common["book"].get("site_url", "").rstrip("/")
    page["card_url"] = f"{base}/{page['card'].href}" if base else page["card"].href
    path.write_text(env.get_template(template).render(page=page, **common), encoding="utf-8")
    return path


def chart_card(files: ChartFiles, chart: Chart) -> Card:
    width, height = svg_size(chart.svg)
    return Card(files.png, chart.description, width * PNG_SCALE, height * PNG_SCALE)


def svg_size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (0, 0)


def fill_charts(fragment: str, charts: dict[str, Chart], files: dict[str, ChartFiles],
                env: jinja2.Environment, figures: dict[str, str] | None = None) -> str:
    """Each chart slot: caption, static SVG (first paint, no-JS readers), spec, source, downloads, table.
    `figures` collects each chart's name as readers see it ("Figure 2.1: ...")."""
    template = env.get_template("chart.html")

    def render_chart(match: re.Match) -> str:
        chart = charts[match.group(1)]
        caption = match.group(2) or f"<figcaption>{html.escape(chart.caption)}</figcaption>"
        if figures is not None:
            figures[chart.label] = plain_text(caption)
        return template.render(chart=chart, spec_json=script_json(chart.vega), svg=chart.svg,
                               narrow_json=narrow_json(chart), narrow_svg=chart.narrow_svg,
                               caption_html=caption, figure_name=plain_text(caption),
                               sources=chart_sources(chart), files=files[chart.label], links=LINKS)

    return CHART_SLOT.sub(render_chart, fragment)


def chart_sources(chart: Chart) -> list[dict]:
    """Publisher(s), publication and package for the source line, which links to the data page."""
    return source_entries(chart.sources)


def source_entries(items: list[dict]) -> list[dict]:
    """The source line's entries for a list of provenance items (templates/source.html)."""
    sources = []
    for item in items:
        publishers = dict.fromkeys(s["publisher"] for s in item.get("sources", []) if s.get("publisher"))
        sources.append({"publishers": ", ".join(publishers), "title": item["title"],
                        "package": item["package"], "version": item["version"]})
    return sources


def wrap_tables(fragment: str) -> str:
    """Tables scroll inside a focusable, named region, so the page itself never scrolls sideways."""
    def wrap(match: re.Match) -> str:
        caption = CAPTION.search(match.group(0))
        name = html.escape(plain_text(caption.group(1)), quote=True) if caption else "Table"
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}">{match.group(0)}</div>'
    return TABLE.sub(wrap, fragment)


def narrow_json(chart: Chart) -> str:
    """The chart's phone form for the page (report/builder/narrow.py), or "" if it has none."""
    return script_json(chart.narrow_vega) if chart.narrow_vega else ""


def script_json(value) -> str:
    """JSON that is safe inside a <script> element (no `</script>` or `<!--` can appear)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def link_across_pages(fragments: dict[str, str], hrefs: dict[str, str]) -> dict[str, str]:
    """`href="#id"` pointing at an element on another page becomes `page.html#id`."""
    owner = {}
    for name, fragment in fragments.items():
        for element_id in ID_ATTR.findall(fragment):
            owner.setdefault(html.unescape(element_id), name)

    def relink(name: str):
        def replace(match: re.Match) -> str:
            target = owner.get(html.unescape(match.group(1)))
            if target is None or target == name:
                return match.group(0)
            return f'href="{hrefs[target]}#{match.group(1)}"'
        return replace

    return {name: HREF_FRAGMENT.sub(relink(name), fragment) for name, fragment in fragments.items()}


def write_assets(out: Path, js_bundle: str) -> str:
    """Stylesheet, scripts, favicon, fonts and the chart runtime; returns the runtime's file name."""
    folder = out / "assets"
    (folder / "fonts").mkdir(parents=True, exist_ok=True)
    for path in ASSETS.iterdir():
        shutil.copyfile(path, folder / path.name)
    for path in font_files():
        shutil.copyfile(path, folder / "fonts" / path.name)
    name = assets_mod.bundle_name(js_bundle)
    (folder / name).write_text(js_bundle, encoding="utf-8")
    return name


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(TAGS.sub("", fragment)).split())


def long_date(text: str) -> str:
    """"2026-11-26" -> "26 November 2026" (the edition date as readers write it)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"


def _chapter_number(fragment: str) -> str | None:
    match = SECTION_NUMBER.search(fragment)
    return match.group(1) if match else None


def description(body: str, book: dict) -> str:
    """The first paragraph as plain text, for search results and link previews."""
    match = re.search(r"<p>(.*?)</p>", body, re.S)
    text = plain_text(match.group(1)) if match else book["title"]
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
