"""The static site: one page per chapter from the Pandoc HTML, charts filled in, assets served locally,
then the site-wide pages (data, citation, accessibility, search, 404) and the search index."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from time import perf_counter

import jinja2

from report.builder import assets as assets_mod
from report.builder import pages as pages_mod
from report.builder import search
from report.builder.chartcheck import Finding, accessibility_findings, runtime_problems
from report.builder.convert import ChapterDoc, Chart
from report.builder.downloads import PNG_SCALE, ChartFiles, write_chart_files
from report.builder.exports import Provenance
from report.builder.providers import PageJob
from report.builder.templating import (LINKS, TAGS, Card, Site, SiteError, common_context,  # noqa: F401 (re-exported)
                                       description, environment, long_date, page_context, plain_text, render,
                                       script_json)
from report.fonts import web_fonts

ASSETS = Path(__file__).parent / "assets"
CHART_SLOT = re.compile(r"<!--report-chart:(fig-[A-Za-z0-9_-]+)-->\s*(<figcaption>.*?</figcaption>)?", re.S)
HREF_FRAGMENT = re.compile(r'href="#([^"]+)"')
ID_ATTR = re.compile(r'\sid="([^"]+)"')
SECTION_NUMBER = re.compile(r'<h1[^>]*>\s*<span class="header-section-number">([^<]+)</span>')
TABLE = re.compile(r"<table\b.*?</table>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
H2 = re.compile(r'<h2[^>]*\sid="([^"]+)"[^>]*>(.*?)</h2>', re.S)
H1_END = re.compile(r"</h1>")
SECTION_NUMBER_SPAN = re.compile(r'<span class="header-section-number">([^<]*)</span>')
NOTE_REF = re.compile(r'<a[^>]*role="doc-noteref"[^>]*>.*?</a>', re.S)
TOC_TITLE = "On this page"  # Quarto's toc-title for HTML
TOC_MIN_SECTIONS = 3  # a chapter with fewer h2 sections gets no list


def page_href(doc: ChapterDoc, index: int) -> str:
    return "index.html" if index == 0 else f"{doc.name}.html"


def write_site(out: Path, docs: list[ChapterDoc], fragments: dict[str, str], site: Site,
               js_bundle: str, say=print, extras: list[tuple] = (), timings: dict | None = None) -> list[Path]:
    """Write every page, asset, chart file and the search index into `out`; returns the page paths.
    `extras` are (page provider, its payload, its worker pool) triples: each adds its pages, and
    `timings["<provider>_pages"]` says how long they took."""
    env = environment(*[p.templates for p, _, _ in extras if p.templates])
    findings = check_charts(docs, site.strict_charts, say)
    hrefs = {doc.name: page_href(doc, i) for i, doc in enumerate(docs)}
    fragments = link_across_pages(fragments, hrefs)
    nav = [{"name": d.name, "href": hrefs[d.name], "title": d.title,
            "number": _chapter_number(fragments[d.name])} for d in docs]
    bundle = write_assets(out, js_bundle, site.cache_dir, [p.assets for p, _, _ in extras if p.assets])
    site.licences = site.licences or pages_mod.licences(out / "data", site.packages)
    common = common_context(site, nav, [p.link for p, _, _ in extras if p.link],
                            [p.search_group for p, _, _ in extras if p.search_group])
    card = pages_mod.site_card(out, site.book)
    files = {c.label: chart_files(out, c, f"{hrefs[d.name]}#{c.label}", site) for d in docs for c in d.charts}
    charts = {c.label: c for d in docs for c in d.charts}
    written, figures = [], {}
    for i, doc in enumerate(docs):
        body = fill_charts(insert_toc(wrap_tables(fragments[doc.name])), charts, files, env, figures)
        page = page_context(site, doc.name, doc.title, hrefs[doc.name], body, card, kind="chapter")
        page |= {"previous": nav[i - 1] if i else None, "next": nav[i + 1] if i + 1 < len(nav) else None,
                 "appendix": doc.appendix}
        if doc.charts:
            first = doc.charts[0]
            page["card"] = chart_card(files[first.label], first)
            page["scripts"] = [{"src": f"assets/{bundle}", "module": False},
                               {"src": "assets/charts.js", "module": False},
                               {"src": "assets/share.js", "module": False}]
        written.append(render(env, "page.html", out / hrefs[doc.name], page, common))
    shortfalls = chart_shortfalls(findings, figures, {c.label: hrefs[d.name] for d in docs for c in d.charts})
    for provider, payload, pool in extras:
        pages, their_shortfalls = write_extra(provider, payload, PageJob(out, env, site, common, card, bundle, pool),
                                              timings)
        written += pages
        shortfalls += their_shortfalls
    notes = [note for provider, _, _ in extras for note in provider.accessibility]
    written += pages_mod.write_pages(out, env, site, common | {"shortfalls": shortfalls,
                                                               "accessibility_notes": notes}, card)
    search.index(out)
    return written


def write_extra(provider, payload, job: PageJob, timings: dict | None) -> tuple[list[Path], list[dict]]:
    """A page provider's pages and their charts' shortfalls; a strict build refuses charts below WCAG."""
    started = perf_counter()
    pages, shortfalls = provider.write(payload, job)
    if timings is not None:
        timings[f"{provider.name}_pages"] = round(perf_counter() - started, 3)
    if shortfalls and job.site.strict_charts:
        raise SiteError(f"{provider.label}: charts below WCAG: " + "; ".join(s["figure"] for s in shortfalls))
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


def chart_card(files: ChartFiles, chart: Chart) -> Card:
    width, height = files.png_size if files.png_size[0] else [n * PNG_SCALE for n in svg_size(chart.svg)]
    return Card(files.png, chart.description, width, height)


def chart_files(out: Path, chart: Chart, href: str, site: Site) -> ChartFiles:
    """The chart's files, its SVG and PNG carrying its title, source line, licence and address (absolute
    when the book has a site-url), and the link and embed code the page offers beside them."""
    base = site.book.get("site_url", "").rstrip("/")
    url = f"{base}/{href}" if base else href
    title = (chart.vegalite.get("title") or {}).get("text", chart.caption) if isinstance(
        chart.vegalite.get("title"), dict) else str(chart.vegalite.get("title") or chart.caption)
    provenance = Provenance(title, chart.source_text, site.book.get("license", ""), url)
    files = write_chart_files(out, chart, provenance=provenance, cache_dir=site.cache_dir)
    image = f"{base}/{files.png}" if base else files.png
    width, height = (n // PNG_SCALE for n in files.png_size)
    files.share = {"url": url, "embed": (
        f'<figure><a href="{html.escape(url)}"><img src="{html.escape(image)}" width="{width}" '
        f'height="{height}" alt="{html.escape(chart.description)}"></a><figcaption>{html.escape(title)}. '
        f'{html.escape(chart.source_text)} {html.escape(provenance.licence)}</figcaption></figure>')}
    return files


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


def insert_toc(fragment: str) -> str:
    """Quarto's `nav#TOC` ("On this page") after the chapter's h1, listing its h2 sections, when it has at
    least TOC_MIN_SECTIONS of them: a collapsed <details> on phones, an open list from 48rem (site.css)."""
    sections = H2.findall(fragment)
    heading = H1_END.search(fragment)
    if len(sections) < TOC_MIN_SECTIONS or heading is None:
        return fragment
    items = "".join(f'<li><a href="#{element_id}">{toc_label(inner)}</a></li>\n' for element_id, inner in sections)
    toc = (f'\n<nav id="TOC" role="doc-toc" aria-labelledby="toc-title" data-pagefind-ignore>\n'
           f'<details class="menu"><summary id="toc-title">{TOC_TITLE}</summary>\n<ul>\n{items}</ul>\n'
           f'</details>\n</nav>')
    return fragment[:heading.end()] + toc + fragment[heading.end():]


def toc_label(heading_html: str) -> str:
    """A heading's number (Quarto's header-section-number span) and its text, without links or notes."""
    number = SECTION_NUMBER_SPAN.search(heading_html)
    text = html.escape(plain_text(NOTE_REF.sub("", SECTION_NUMBER_SPAN.sub("", heading_html))), quote=False)
    if number is None:
        return f"<span>{text}</span>"
    return f'<span class="header-section-number">{html.escape(number.group(1), quote=False)}</span> <span>{text}</span>'


def narrow_json(chart: Chart) -> str:
    """The chart's phone form for the page (report/builder/narrow.py), or "" if it has none."""
    return script_json(chart.narrow_vega) if chart.narrow_vega else ""


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


def write_assets(out: Path, js_bundle: str, cache_dir: Path | None = None, extra: list[Path] = ()) -> str:
    """Stylesheet, scripts, favicon, fonts, the page providers' `extra` assets and the chart runtime; returns
    the runtime's file name."""
    folder = out / "assets"
    folder.mkdir(parents=True, exist_ok=True)
    for path in (p for source in (ASSETS, *extra) for p in source.iterdir()):
        shutil.copyfile(path, folder / path.name)
    web_fonts(folder / "fonts", cache_dir)
    name = assets_mod.bundle_name(js_bundle)
    (folder / name).write_text(js_bundle, encoding="utf-8")
    return name


def _chapter_number(fragment: str) -> str | None:
    match = SECTION_NUMBER.search(fragment)
    return match.group(1) if match else None


