"""Post-build checks, run on the staging folder before it is published."""

from __future__ import annotations

import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from report.builder import pdfcheck
from report.builder.render import vega_svg

REFERENCE = re.compile(r'(?:href|src)="([^"]+)"')
ID_ATTR = re.compile(r'\sid="([^"]+)"')
SPEC = re.compile(r'<script type="application/json" class="chart-spec">(.*?)</script>', re.S)
SVG_G = "{http://www.w3.org/2000/svg}g"
CHART = re.compile(r'<div class="chart" id="chart-([^"]+)"[^>]*>\s*<script type="application/json" class="chart-spec">')


class CheckError(Exception):
    """The built site or PDF is not fit to publish."""


def run_all(out: Path, docs, manifest: dict, pdf_problems: list[str], draw=None, root: str = "/") -> None:
    """Links, charts (each has a container and draws something), the manifest, and the PDF check's findings
    (run earlier, alongside the site). `draw`: an executor with vl-convert running (the chart worker);
    `root` is the site's path on its server (the 404 page links from it)."""
    problems = check_links(out, root) + check_charts(out, docs) + check_drawn(out, docs, draw) + pdf_problems
    problems += check_manifest(manifest, out)
    if problems:
        raise CheckError("post-build checks failed:\n" + "\n".join(problems[:40]))


def check_links(out: Path, root: str = "/") -> list[str]:
    """Every internal link, anchor and asset reference in every page resolves inside the site; a link from
    the server's root (/sub/path/page.html, on the 404 page) must be under the site's `root` path."""
    out = Path(out).resolve()  # targets are resolved below; pages must be too, or a relative out never matches
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    ids = {p: set(map(html.unescape, ID_ATTR.findall(text))) for p, text in pages.items()}
    problems = []
    for page, text in pages.items():
        for ref in REFERENCE.findall(text):
            ref = html.unescape(ref)
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https", "mailto") or ref.startswith("data:"):
                continue
            path = unquote(parts.path)
            if path.startswith("/") and not path.startswith(root):
                problems.append(f"{page.relative_to(out)}: link outside the site's path {root}: {ref}")
                continue
            if path.startswith("/"):
                target = (out / path[len(root):]).resolve()
            else:
                target = (page.parent / path).resolve() if path else page
            if not target.exists():
                problems.append(f"{page.relative_to(out)}: link to missing {ref}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids.get(target, set()):
                problems.append(f"{page.relative_to(out)}: link to missing anchor {ref}")
    return problems


def check_charts(out: Path, docs) -> list[str]:
    """Every chart of every chapter has a container with its spec on its page."""
    problems = []
    found = set()
    for page in out.glob("*.html"):
        found |= set(CHART.findall(page.read_text(encoding="utf-8")))
    for doc in docs:
        for chart in doc.charts:
            if chart.label not in found:
                problems.append(f"chart {chart.label} of chapter {doc.name} has no container with a spec")
    return problems


def draws_marks(svg: str) -> bool:
    """Whether a chart's SVG holds at least one data mark (Vega puts each mark's items in a `role-mark` group;
    axes, legends and titles have roles of their own)."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return False
    return any(len(g) for g in root.iter(SVG_G) if "role-mark" in g.get("class", "").split())


def check_drawn(out: Path, docs, draw=None) -> list[str]:
    """Every chapter chart's static picture has marks, and the first chart of the first chapter page and of
    the first other page (a page provider's), drawn by Vega from the spec as published in the page, has
    marks too."""
    problems = [f"chart {c.label} of chapter {d.name} draws nothing: its static SVG has no marks (is its data "
                "empty, or are its values not finite?)" for d in docs for c in d.charts
                if c.svg and not draws_marks(c.svg)]
    for page in _first_pages_with_charts(out, {_page_name(d, i) for i, d in enumerate(docs)}):
        text = SPEC.search(page.read_text(encoding="utf-8")).group(1)
        try:
            spec = json.loads(text)
            svg = draw.submit(vega_svg, spec).result() if draw is not None else vega_svg(spec)
        except Exception as error:  # vl-convert raises its own error type with Vega's message
            problems.append(f"{page.name}: its first chart's published spec does not draw: {error}")
            continue
        if not draws_marks(svg):
            problems.append(f"{page.name}: its first chart, drawn from the spec in the page, has no marks")
    return problems


def _first_pages_with_charts(out: Path, chapters: set[str]) -> list[Path]:
    """The first chapter page and the first other page (by name) that hold a chart spec."""
    firsts: dict[bool, Path] = {}
    for page in sorted(Path(out).glob("*.html")):
        chapter = page.name in chapters
        if chapter not in firsts and SPEC.search(page.read_text(encoding="utf-8")):
            firsts[chapter] = page
    return list(firsts.values())


def _page_name(doc, index: int) -> str:
    return "index.html" if index == 0 else f"{doc.name}.html"  # as site.page_href names them


def check_pdf(pdf: Path, docs) -> list[str]:
    """The PDF opens, contains every chapter title and reads as printed (pdfcheck: fill, references, markup)."""
    if not pdf.is_file() or pdf.stat().st_size == 0:
        return [f"{pdf.name} was not written"]
    try:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                              text=True).stdout
    except FileNotFoundError:
        return ["pdftotext not found: install poppler-utils (apt-get install poppler-utils)"]
    except subprocess.CalledProcessError as error:
        return [f"{pdf.name} does not open: {error.stderr.strip()}"]
    flat = _plain(text)
    missing = [f"{pdf.name} lacks chapter title {d.title!r}" for d in docs if _plain(d.title) not in flat]
    return missing + [f"{pdf.name} {problem}" for problem in pdfcheck.problems(pdf)]


def _plain(text: str) -> str:
    """Whitespace collapsed and typographic quotes made straight, as Typst curls them."""
    return " ".join(text.translate(str.maketrans("’‘“”", "''\"\"")).split())


def check_manifest(manifest: dict, out: Path) -> list[str]:
    problems = [f"manifest: package {p['name']} lacks version or hash" for p in manifest["packages"]
                if not p.get("version") or not p.get("hash")]
    for p in manifest["packages"]:
        if not (out / "data" / p["name"] / "datapackage.json").is_file():
            problems.append(f"manifest lists {p['name']} but _site/data/{p['name']}/ is missing")
    return problems
