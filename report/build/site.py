"""The static site: one page per chapter from the Pandoc HTML, charts filled in, assets served locally."""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from report.build.convert import Chart, ChapterDoc
from report.fonts import font_files

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
CHART_SLOT = re.compile(r"<!--report-chart:(fig-[A-Za-z0-9_-]+)-->")
HREF_FRAGMENT = re.compile(r'href="#([^"]+)"')
ID_ATTR = re.compile(r'\sid="([^"]+)"')
SECTION_NUMBER = re.compile(r'<h1[^>]*>\s*<span class="header-section-number">([^<]+)</span>')
TAGS = re.compile(r"<[^>]+>")
JS_BUNDLE = "vega-embed.js"


@dataclass
class Site:
    """Everything the page template needs that is the same on every page."""

    book: dict
    packages: list[dict]
    pdf: dict


def page_href(doc: ChapterDoc, index: int) -> str:
    return "index.html" if index == 0 else f"{doc.name}.html"


def write_site(out: Path, docs: list[ChapterDoc], fragments: dict[str, str], site: Site,
               js_bundle: str) -> list[Path]:
    """Write every page and asset into `out`; returns the page paths."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True)
    hrefs = {doc.name: page_href(doc, i) for i, doc in enumerate(docs)}
    fragments = link_across_pages(fragments, hrefs)
    nav = [{"name": d.name, "href": hrefs[d.name], "title": d.title,
            "number": _chapter_number(fragments[d.name])} for d in docs]
    charts = {c.label: c for d in docs for c in d.charts}
    pages = []
    for i, doc in enumerate(docs):
        body = fill_charts(fragments[doc.name], charts, env)
        page = {"name": doc.name, "title": doc.title, "body": body, "has_charts": bool(doc.charts),
                "description": _description(body, site.book), "previous": nav[i - 1] if i else None,
                "next": nav[i + 1] if i + 1 < len(nav) else None}
        text = env.get_template("page.html").render(page=page, nav=nav, book=site.book,
                                                    packages=site.packages, pdf=site.pdf,
                                                    assets={"js": JS_BUNDLE})
        path = out / hrefs[doc.name]
        path.write_text(text, encoding="utf-8")
        pages.append(path)
    write_assets(out, js_bundle)
    write_chart_files(out, charts.values())
    return pages


def fill_charts(fragment: str, charts: dict[str, Chart], env: jinja2.Environment) -> str:
    """Each chart slot gets its static SVG (first paint, no-JS readers) and its Vega spec."""
    template = env.get_template("chart.html")

    def render(match: re.Match) -> str:
        chart = charts[match.group(1)]
        return template.render(chart=chart, spec_json=script_json(chart.vega), svg=chart.svg)

    return CHART_SLOT.sub(render, fragment)


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


def write_assets(out: Path, js_bundle: str) -> None:
    assets = out / "assets"
    (assets / "fonts").mkdir(parents=True, exist_ok=True)
    for path in ASSETS.iterdir():
        shutil.copyfile(path, assets / path.name)
    for path in font_files():
        shutil.copyfile(path, assets / "fonts" / path.name)
    (assets / JS_BUNDLE).write_text(js_bundle, encoding="utf-8")


def write_chart_files(out: Path, charts) -> None:
    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        (folder / f"{chart.label}.svg").write_text(chart.svg, encoding="utf-8")


def _chapter_number(fragment: str) -> str | None:
    match = SECTION_NUMBER.search(fragment)
    return match.group(1) if match else None


def _description(body: str, book: dict) -> str:
    """The first paragraph as plain text, for search results and link previews."""
    match = re.search(r"<p>(.*?)</p>", body, re.S)
    text = html.unescape(TAGS.sub("", match.group(1))) if match else book["title"]
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
