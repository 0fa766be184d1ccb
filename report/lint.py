"""`report lint`: find statistics typed into chapter prose, which must come from inline code instead.

A statistic here is a number of three or more digits (69,460; 1000), any percentage (22%, 22 per cent,
5 percentage points), a sum of money (£1.2 billion), a count spelled out from ten up before
a plural noun ("Ten organisations"; "ten years" is a period) or a date with a day ("14 May 2025",
"2025-05-14"; "31 March 2025", the census day, names a reference date). Prose is what is left of a chapter once front
matter, code blocks and cells (with their options), inline code, HTML comments, link targets, attribute
blocks and citations are blanked out. Years 1990-2039, chapter and section numbers ("Section 251"), the
years of Acts ("Children Act 1989") and the base of a rate ("per 10,000 children") are not statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
AUTOLINK = re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>|\b(?:https?|ftp)://\S+", re.I)
ATTRIBUTES = re.compile(r"\{[#.][^}\n]*\}")
CITATION = re.compile(r"\[[^\[\]\n]*?@[^\[\]]*?\]|(?<![\w.])-?@[\w][\w:.#$%&+?<>~/-]*")
NUMBER = re.compile(r"(?<![\w.,])(£\s?)?(\d(?:[\d,]*\d)?(?:\.\d+)?)(\s*(?:%|per\s*cent\b|percent\b|percentage\s+points?\b))?")
NUMBERED_THING = re.compile(r"(?:\b(?:chapters?|sections?|appendix|appendices|parts?|act)|§)\s*$", re.I)
RATE_BASE = re.compile(r"\b(?:per|in every|every)\s*$", re.I)
# Counts spelled out from ten up ("Ten organisations", "twenty-one councils"): below ten, words are prose.
SPELLED = re.compile(r"\b(?:ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen"
                     r"|(?:twen|thir|for|fif|six|seven|eigh|nine)ty(?:-\w+)?|hundreds?|thousands?)\s+(?!years?\b)[a-z]+s\b",
                     re.I)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A typed date with a day: "14 May 2025", "2025-05-14". "31 March <year>", the census day, names a
# statistic's reference date, and a month with a year ("November 2013") names a period from a source.
DATE = re.compile(rf"\b(?!31\s+March\b)\d{{1,2}}\s+(?:{MONTHS})\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    found: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.found!r} typed into prose (use inline code): {self.text.strip()}"


def lint_paths(paths: list[Path], root: Path | None = None) -> list[Problem]:
    """Every problem in the given chapter files, in file and line order."""
    problems = []
    for path in paths:
        name = str(Path(path).relative_to(root)) if root and Path(path).is_relative_to(root) else str(path)
        problems.extend(lint_text(Path(path).read_text(encoding="utf-8"), name))
    return problems


def lint_text(text: str, name: str = "<text>") -> list[Problem]:
    """Problems in one chapter's source text; `name` is how the file is named in messages."""
    original = text.splitlines()
    prose = prose_only(text).splitlines()
    problems = []
    for number, line in enumerate(prose, start=1):
        for found in statistics_in(line):
            problems.append(Problem(name, number, found, original[number - 1]))
    return problems


def statistics_in(line: str) -> list[str]:
    """The statistics in one line of prose, as written."""
    found = [m.group(0) for m in DATE.finditer(line)] + [m.group(0) for m in SPELLED.finditer(line)]
    line = DATE.sub(lambda m: _spaces(m.group(0)), line)
    for match in NUMBER.finditer(line):
        money, digits, percent = match.group(1), match.group(2), match.group(3)
        if percent or money or (_digit_count(digits) >= 3 and not _allowed(digits, line[:match.start()])):
            found.append(match.group(0).strip())
    return found


def _digit_count(token: str) -> int:
    return sum(ch.isdigit() for ch in token)


def _allowed(token: str, before: str) -> bool:
    """Years 1990-2039, numbers naming a chapter, section, part or Act, and a rate's base (per 10,000)."""
    if re.fullmatch(r"\d{4}", token) and 1990 <= int(token) <= 2039:
        return True
    if RATE_BASE.search(before) and re.fullmatch(r"10*", token.replace(",", "")):
        return True
    return bool(NUMBERED_THING.search(before))


def prose_only(text: str) -> str:
    """The text with everything that is not prose replaced by spaces (line breaks kept, so lines still match)."""
    lines = text.splitlines(keepends=True)
    blank = [False] * len(lines)
    _mark_front_matter(lines, blank)
    _mark_fenced_blocks(lines, blank)
    kept = "".join(_spaces(line) if hide else line for line, hide in zip(lines, blank))
    for pattern in (COMMENT, CODE_SPAN, LINK_DEFINITION, LINK_TARGET, AUTOLINK, ATTRIBUTES, CITATION):
        kept = pattern.sub(lambda m: _spaces(m.group(0)), kept)
    return kept


def _mark_front_matter(lines: list[str], blank: list[bool]) -> None:
    if not lines or lines[0].strip() != "---":
        return
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            blank[:end + 1] = [True] * (end + 1)
            return


def _mark_fenced_blocks(lines: list[str], blank: list[bool]) -> None:
    """Code blocks and `{python}` cells (with their `#|` options), from opening to closing fence."""
    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i]) if not blank[i] else None
        if not opened:
            i += 1
            continue
        fence = opened.group(1)
        end = i + 1
        while end < len(lines) and not re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[end]):
            end += 1
        for j in range(i, min(end, len(lines) - 1) + 1):
            blank[j] = True
        i = end + 1


def _spaces(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)
