"""Data reaches chapters and report code through `load()` only: a pandas reader called anywhere else would
bypass the packages a chapter declares, their validation and their provenance. The build refuses a chapter
cell that calls one (file:line); a test holds report/ to the same rule, the data loader excepted."""

from __future__ import annotations

import ast
from pathlib import Path

READERS = {"read_csv", "read_table", "read_fwf", "read_excel", "read_json", "read_parquet", "read_feather",
           "read_pickle", "read_sql", "read_orc", "read_xml", "read_html", "read_spss", "read_stata", "read_sas"}
LOADER = Path("data") / "load.py"  # report/data/load.py: the one module that parses package files
ADVICE = "read data with load(package, resource) so the chapter's declared packages are used"


def direct_reads(source: str) -> list[tuple[int, str]]:
    """(line in `source`, call) of every pandas reader it calls (`pd.read_csv(...)`, or a reader imported from
    pandas); code that does not parse is left to the kernel to report."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and (node.module or "").split(".")[0] == "pandas" for alias in node.names if alias.name in READERS}
    pandas = {"pd", "pandas"} | {alias.asname or alias.name for node in ast.walk(tree)
                                  if isinstance(node, ast.Import) for alias in node.names if alias.name == "pandas"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in READERS and isinstance(func.value, ast.Name) \
                and func.value.id in pandas:
            found.append((node.lineno, f"{func.value.id}.{func.attr}"))
        elif isinstance(func, ast.Name) and func.id in imported:
            found.append((node.lineno, func.id))
    return sorted(found)


def chapter_problems(chapter) -> list[str]:
    """A chapter's code cells that call a pandas reader, each as file:line."""
    from report.builder.parse import Cell

    lines = chapter.path.read_text(encoding="utf-8").splitlines()
    problems = []
    for cell in (b for b in chapter.blocks if isinstance(b, Cell)):
        first = cell.line  # the fence's line (1-based), so lines[first] is the line after it
        while first < len(lines) and lines[first].lstrip().startswith("#|"):
            first += 1  # cell options are not part of the source
        problems += [f"{chapter.path.name}:{first + offset}: chapter {chapter.name} calls {call}() directly; "
                     f"{ADVICE}" for offset, call in direct_reads(cell.source)]
    return problems


def code_problems(report_dir: Path) -> list[str]:
    """Modules of the report package (but the loader) that call a pandas reader, each as file:line."""
    problems = []
    for path in sorted(Path(report_dir).rglob("*.py")):
        if path.relative_to(report_dir) == LOADER or "__pycache__" in path.parts:
            continue
        problems += [f"{path.relative_to(Path(report_dir).parent)}:{line}: calls {call}(); only "
                     f"report/data/load.py parses package files" for line, call in
                     direct_reads(path.read_text(encoding="utf-8"))]
    return problems
