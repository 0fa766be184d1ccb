"""Turn an executed chapter into Pandoc Markdown plus its charts: the one format both outputs start from."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from report.builder.parse import INLINE, Cell, Chapter, Markdown, where_referenced
from report.builder.kernel import CHART_MIME, INLINE_MIME
from report.project import Project

FIGURE_LABEL = re.compile(r"^fig-[A-Za-z0-9_-]+$")


class ConvertError(Exception):
    """An output the builder cannot place; the message names the chapter and cell."""


@dataclass
class Chart:
    """One chart as the display path produced it, plus what the chapter said about it."""

    label: str
    caption: str
    vegalite: dict
    vega: dict | None = None  # the static forms, filled in by the render stage (report/builder/render.py)
    svg: str = ""
    png: bytes = b""
    narrow_vega: dict | None = None  # the phone form (report/builder/narrow.py)
    narrow_svg: str = ""

    def add_views(self, views) -> None:
        self.vega, self.svg, self.png = views.vega, views.svg, views.png
        self.narrow_vega, self.narrow_svg = views.narrow_vega, views.narrow_svg

    @property
    def description(self) -> str:
        return self.vegalite.get("description", "")

    @property
    def sources(self) -> list[dict]:
        return self.vegalite.get("usermeta", {}).get("report", {}).get("sources", [])

    @property
    def source_text(self) -> str:
        """"Source: publisher, publication (release); data package name version" for each package."""
        return "Source: " + "; ".join(source_line(item) for item in self.sources) + "."


def source_line(item: dict) -> str:
    """Publishers once each, then the package that holds the figures and its version."""
    publishers = list(dict.fromkeys(s.get("publisher", "") for s in item.get("sources", []) if s.get("publisher")))
    return f"{', '.join(publishers)}, {item['title']} (data package {item['package']} {item['version']})"


@dataclass
class ChapterDoc:
    """A chapter ready for Pandoc: its Markdown (title heading included) and its charts."""

    name: str
    title: str
    markdown: str
    charts: list[Chart] = field(default_factory=list)
    numbered: bool = True
    appendix: bool = False
    packages: list[str] = field(default_factory=list)


def chapter_document(chapter: Chapter, notebook, *, echo: bool = False, appendix: bool = False) -> ChapterDoc:
    """Markdown with inline values filled in and each cell replaced by its outputs."""
    outputs = _outputs_by_block(notebook)
    parts, charts = [_title_heading(chapter, appendix)], []
    for index, block in enumerate(chapter.blocks):
        if isinstance(block, Markdown):
            parts.append(_fill_inline(chapter, block, outputs.get(index, [])))
        else:
            parts.append(_cell_markdown(chapter, block, outputs.get(index, []), charts, echo))
    text = "\n".join(p.rstrip("\n") + "\n" for p in parts if p.strip())
    return ChapterDoc(chapter.name, chapter.title, text, charts, chapter.numbered, appendix,
                      chapter.packages)


def _outputs_by_block(notebook) -> dict[int, list]:
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("report", {})
        if "block" in meta:
            found[meta["block"]] = cell.get("outputs", [])
    return found


def _title_heading(chapter: Chapter, appendix: bool) -> str:
    if chapter.meta.get("_title_in_body"):
        return ""
    classes = [] if chapter.numbered else [".unnumbered"]
    classes += [".appendix"] if appendix else []
    return f"# {chapter.title} {{#sec-{chapter.name} {' '.join(classes)}}}\n".replace(" }", "}")


def _fill_inline(chapter: Chapter, block: Markdown, outputs: list) -> str:
    expressions = block.inline_expressions
    if not expressions:
        return block.text
    values = next((o["data"][INLINE_MIME] for o in outputs if INLINE_MIME in o.get("data", {})), None)
    if values is None or len(values) != len(expressions):
        raise ConvertError(f"chapter {chapter.name}, paragraph at {chapter.path.name}:{block.line}: "
                           "inline code produced no value")
    texts = iter(values)
    return INLINE.sub(lambda _: next(texts), block.text)


def _cell_markdown(chapter: Chapter, cell: Cell, outputs: list, charts: list, echo: bool) -> str:
    options = cell.options
    if options.get("include") is False:
        return ""
    parts = [f"```python\n{cell.source}\n```\n"] if options.get("echo", echo) else []
    if options.get("output") is False:
        return "\n".join(parts)
    for output in outputs:
        parts.append(_output_markdown(chapter, cell, output, charts))
    return "\n".join(p for p in parts if p)


def _output_markdown(chapter: Chapter, cell: Cell, output: dict, charts: list) -> str:
    where = f"chapter {chapter.name}, cell at {chapter.path.name}:{cell.line}"
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr" and not cell.options.get("warning", False):
            return ""
        return f"```\n{output['text'].rstrip()}\n```\n"
    data = output.get("data", {})
    if CHART_MIME in data:
        chart = _chart(where, cell, data)
        charts.append(chart)
        return figure_markdown(chart)
    if "text/markdown" in data:
        return _with_table_caption(cell, data["text/markdown"])
    if "text/plain" in data and len(data) == 1:
        return f"```\n{data['text/plain']}\n```\n"
    raise ConvertError(f"{where}: cannot place an output of type {sorted(data)}; show charts, "
                       "report.display.table() or text (docs/authoring.md)")


def _chart(where: str, cell: Cell, data: dict) -> Chart:
    label, caption = cell.options.get("label", ""), cell.options.get("fig-cap", "")
    if not FIGURE_LABEL.match(str(label)) or not caption:
        raise ConvertError(f"{where}: a chart needs `#| label: fig-...` and `#| fig-cap: ...`")
    bundle = data[CHART_MIME]
    chart = Chart(label, str(caption), bundle["vegalite"])
    if not chart.description:
        raise ConvertError(f"{where}: chart {label} has no description (alt text)")
    return chart


def figure_markdown(chart: Chart) -> str:
    """A Pandoc figure whose image is the static SVG; the filters make it interactive or tagged."""
    return (f'![{chart.caption}](charts/{chart.label}.svg){{#{chart.label} '
            f'fig-alt="{_attribute(chart.description)}" source="{_attribute(chart.source_text)}"}}\n')


def _attribute(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _with_table_caption(cell: Cell, markdown: str) -> str:
    caption = cell.options.get("tbl-cap")
    label = cell.options.get("label", "")
    if not caption:
        return markdown
    anchor = f" {{#{label}}}" if str(label).startswith("tbl-") else ""
    return f"{markdown.rstrip()}\n\n: {caption}{anchor}\n"


# Pandoc: the whole book in one run per output, so numbering, citations and footnotes are book-wide.

FILTERS = Path(__file__).parent / "filters"
CSL = Path(__file__).parent / "templates" / "references.csl"  # the reference style, site and PDF alike
PAGE_START = re.compile(r"(?=<h1[ >])")


class PandocError(Exception):
    """Pandoc failed or warned about something that would reach readers (an unresolved reference)."""


def book_markdown(docs: list[ChapterDoc]) -> str:
    return "\n\n".join(doc.markdown for doc in docs)


def run_pandoc(markdown: str, to: str, root: Path, bibliography: Path | None, metadata: dict) -> str:
    """Markdown -> `to` (html5 or typst) with the callout and cross-reference filters, citeproc, the chart filter."""
    args = [pandoc_path(), "--from", "markdown", "--to", to, "--wrap=none",
            "--lua-filter", str(FILTERS / "callout.lua"), "--lua-filter", str(FILTERS / "crossref.lua")]
    if bibliography is not None:
        args += ["--citeproc", "--bibliography", str(bibliography), "--csl", str(CSL),
                 "--metadata", "link-citations=true"]
    args += ["--lua-filter", str(FILTERS / "figures.lua"), "--lua-filter", str(FILTERS / "typography.lua")]
    if to.startswith("html"):
        args += ["--reference-location=section"]
    for key, value in metadata.items():
        args += ["--metadata", f"{key}={value}"]
    done = subprocess.run(args, input=markdown.encode("utf-8"), capture_output=True, cwd=root)
    warnings = done.stderr.decode("utf-8", "replace").strip()
    missing = re.search(r"unresolved cross-reference @(\S+)", warnings)
    if missing:
        where = where_referenced(Project(root).chapter_paths(), missing.group(1))
        raise PandocError(f"{where}: cross-reference @{missing.group(1)} points to no figure, table or "
                          "section (check the label or `{#id}`)")
    if done.returncode != 0 or "[WARNING] Citeproc: citation" in warnings:
        raise PandocError(f"pandoc ({to}) failed: {warnings or done.returncode}")
    return done.stdout.decode("utf-8")


def split_pages(html: str, docs: list[ChapterDoc]) -> dict[str, str]:
    """One HTML fragment per chapter: each chapter starts at its `<h1>`."""
    pieces = [p for p in PAGE_START.split(html) if p.strip()]
    if len(pieces) != len(docs):
        raise PandocError(f"expected {len(docs)} chapters in the HTML, found {len(pieces)} top-level "
                          "headings; use `##` for sections inside a chapter")
    return {doc.name: piece for doc, piece in zip(docs, pieces)}


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()
