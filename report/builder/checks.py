"""Post-build checks, run on the staging folder before it is published."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from report.builder import pdfcheck

REFERENCE = re.compile(r'(?:href|src)="([^"]+)"')
ID_ATTR = re.compile(r'\sid="([^"]+)"')
CHART = re.compile(r'<div class="chart" id="chart-([^"]+)"[^>]*>\s*<script type="application/json" class="chart-spec">')


class CheckError(Exception):
    """The built site or PDF is not fit to publish."""


def run_all(out: Path, docs, manifest: dict, pdf_problems: list[str], root: str = "/") -> None:
    """Links, charts, the manifest, and the PDF check's findings (run earlier, alongside the site).
    `root` is the site's path on its server (the 404 page links from it)."""
    problems = check_links(out, root) + check_charts(out, docs) + pdf_problems
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
