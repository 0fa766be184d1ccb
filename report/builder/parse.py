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


def page_name(path: Path) -> str:
    """`chapters/02-rising-demand.qmd` -> `rising-demand`: the order prefix is not part of the page's name."""
    return re.sub(r"^[a-z]?\d+[-_]", "", Path(path).stem)


def parse_chapter(path: Path) -> Chapter:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    meta, body, offset = split_front_matter(path, text)
    blocks = split_blocks(path, body, offset)
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
                raise ParseError(f"{path}: front matter is not valid YAML: {error}") from None
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
