"""Parse a Quarto chapter (`.qmd`): front matter, Markdown, `{python}` cells with `#|` options, inline code.

The subset is documented in docs/authoring.md; anything outside it is an error, not a silent guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

INLINE = re.compile(r"`\{python\}\s+([^`]+?)\s*`")
FENCE_OPEN = re.compile(r"^(`{3,})\s*\{python\}\s*$")
OTHER_FENCE = re.compile(r"^(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{([^}]*)\})?\s*$")
CELL_OPTION = re.compile(r"^#\|\s?(.*)$")
RAW_HTML = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*>?")  # a tag; autolinks <https://…> are not
CODE_SPAN = re.compile(r"(`+).+?\1")
SECTION_ID = re.compile(r"\{[^}]*#([A-Za-z][\w:.-]*)[^}]*\}")
CROSS_REF = re.compile(r"(?<![\w@])@((?:fig|sec|tbl)-[\w-]*\w)")
KNOWN_OPTIONS = {"label", "fig-cap", "fig-alt", "tbl-cap", "echo", "include", "output", "eval", "warning"}


class ParseError(Exception):
    """A chapter outside the supported Quarto subset; the message names the file and line."""


@dataclass
class Markdown:
    text: str
    line: int

    @property
    def inline_expressions(self) -> list[str]:
        return INLINE.findall(self.text)


@dataclass
class Cell:
    source: str
    options: dict
    line: int


@dataclass
class Chapter:
    path: Path
    name: str
    meta: dict
    blocks: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def packages(self) -> list[str]:
        return list(self.meta.get("packages", []))

    @property
    def numbered(self) -> bool:
        return not self.meta.get("unnumbered", False)

    @property
    def cells(self) -> list[Cell]:
        return [b for b in self.blocks if isinstance(b, Cell)]

    def anchors(self) -> list[tuple[str, int]]:
        """(id, line) of every cell label and every `{#id}` in the prose."""
        found = [(str(c.options["label"]), c.line) for c in self.cells if c.options.get("label")]
        return found + [(anchor, line) for line, text in prose_lines(self.blocks)
                        for anchor in SECTION_ID.findall(text)]

    def references(self) -> list[tuple[str, int]]:
        """(id, line) of every @fig-/@sec-/@tbl- cross-reference in the prose."""
        return [(ref, line) for line, text in prose_lines(self.blocks) for ref in CROSS_REF.findall(text)]


def page_name(path: Path) -> str:
    """`chapters/02-rising-demand.qmd` -> `rising-demand`: the order prefix is not part of the page's name."""
    return re.sub(r"^[a-z]?\d+[-_]", "", Path(path).stem)


def parse_chapter(path: Path) -> Chapter:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        raise ParseError(f"{path}:{line}: not UTF-8 (invalid byte at offset {error.start}); re-save the "
                         "chapter as UTF-8") from None
    meta, body, offset = split_front_matter(path, text)
    blocks = split_blocks(path, body, offset)
    check_prose(path, blocks)
    heading = _first_heading(blocks)
    if heading and meta.get("title"):
        raise ParseError(f"{path}: the title is given twice (front matter `title:` and a `# ` heading); "
                         "keep one")
    if not heading and not meta.get("title"):
        raise ParseError(f"{path}: no title (set `title:` in the front matter or start with a `# ` heading)")
    meta["title"] = meta.get("title") or re.sub(r"\s*\{[^}]*\}\s*$", "", heading)
    meta["_title_in_body"] = bool(heading)
    packages = meta.get("packages", [])
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ParseError(f"{path}: `packages:` must be a list of package names")
    return Chapter(path, page_name(path), meta, blocks)


def split_front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    """YAML between the first two `---` lines; returns (meta, body, line number where body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            try:
                meta = yaml.safe_load("".join(lines[1:end])) or {}
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                where = f"{path}:{mark.line + 2}" if mark else str(path)  # the YAML starts on line 2
                problem = getattr(error, "problem", None) or str(error)
                raise ParseError(f"{where}: front matter is not valid YAML: {problem}") from None
            if not isinstance(meta, dict):
                raise ParseError(f"{path}: front matter must be a YAML mapping")
            return meta, "".join(lines[end + 1:]), end + 2
    raise ParseError(f"{path}: front matter opened on line 1 is never closed with ---")


def split_blocks(path: Path, body: str, offset: int) -> list:
    """Alternate Markdown and `{python}` cells, keeping the source line of each."""
    blocks, markdown, start = [], [], offset
    lines = body.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = FENCE_OPEN.match(line.rstrip("\n"))
        other = OTHER_FENCE.match(line)
        if opened:
            if markdown:
                blocks.append(Markdown("".join(markdown), start))
            cell, i = _read_cell(path, lines, i, opened.group(1), offset)
            blocks.append(cell)
            markdown, start = [], offset + i
            continue
        if other:
            fence_end = _fence_end(lines, i, other.group(1))
            markdown.extend(lines[i:fence_end + 1])
            i = fence_end + 1
            continue
        markdown.append(line)
        i += 1
    if markdown:
        blocks.append(Markdown("".join(markdown), start))
    return blocks


def prose_lines(blocks: list):
    """(line number, text) of every Markdown line outside fenced blocks, with inline code removed."""
    for block in blocks:
        if not isinstance(block, Markdown):
            continue
        fence = None
        for number, line in enumerate(block.text.splitlines(), start=block.line):
            opened = OTHER_FENCE.match(line)
            if fence:
                fence = None if line.strip() == fence else fence
            elif opened:
                fence = opened.group(1)
            else:
                yield number, CODE_SPAN.sub("", line)


def check_prose(path: Path, blocks: list) -> None:
    """No raw HTML outside a ```{=html} block (it would run in readers' browsers); no id given twice."""
    ids: dict[str, int] = {}
    for number, prose in prose_lines(blocks):
        tag = RAW_HTML.search(prose)
        if tag:
            raise ParseError(f"{path}:{number}: raw HTML <{tag.group(1)}> is refused in prose; write "
                             "Markdown, or put the HTML in a ```{=html} block (docs/authoring.md)")
        for found in SECTION_ID.findall(prose):
            if found in ids:
                raise ParseError(f"{path}:{number}: id #{found} is already used on line {ids[found]}")
            ids[found] = number


def book_problems(chapters: list) -> list[str]:
    """Ids defined twice in the book (cell labels and `{#id}`s), each with file:line."""
    owners: dict[str, list[str]] = {}
    for chapter in chapters:
        for anchor, line in chapter.anchors():
            owners.setdefault(anchor, []).append(f"{chapter.path.name}:{line}")
    problems = [f"label {anchor} is used more than once ({', '.join(places)}); labels must be unique in the book"
                for anchor, places in owners.items() if len(places) > 1]
    return problems


def where_referenced(paths: list[Path], ref: str) -> str:
    """'file:line (chapter name)' of the first @ref in the chapters' sources (a missing id's message)."""
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if ref in CROSS_REF.findall(CODE_SPAN.sub("", line)):
                return f"{Path(path).name}:{number} (chapter {page_name(path)})"
    return "a chapter's generated text"


def _read_cell(path: Path, lines: list[str], i: int, fence: str, offset: int) -> tuple[Cell, int]:
    end = _fence_end(lines, i, fence)
    if end >= len(lines):
        raise ParseError(f"{path}:{offset + i}: python cell is never closed with {fence}")
    body = lines[i + 1:end]
    option_lines = []
    while body and CELL_OPTION.match(body[0]):
        option_lines.append(CELL_OPTION.match(body[0]).group(1))
        body = body[1:]
    try:
        options = yaml.safe_load("\n".join(option_lines)) or {}
    except yaml.YAMLError as error:
        raise ParseError(f"{path}:{offset + i}: cell options are not valid YAML: {error}") from None
    unknown = sorted(set(options) - KNOWN_OPTIONS)
    if unknown:
        raise ParseError(f"{path}:{offset + i}: unsupported cell option(s) {unknown}; "
                         f"supported: {sorted(KNOWN_OPTIONS)} (docs/authoring.md)")
    return Cell("".join(body).rstrip("\n"), options, offset + i), end + 1


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    for j in range(start + 1, len(lines)):
        if lines[j].rstrip() == fence[0] * len(fence) or lines[j].startswith(fence) and not lines[j].strip(fence[0]).strip():
            return j
    return len(lines)


def _first_heading(blocks: list) -> str | None:
    for block in blocks:
        if isinstance(block, Markdown):
            for line in block.text.splitlines():
                match = HEADING.match(line)
                if match and len(match.group(1)) == 1:
                    return match.group(2)
    return None
