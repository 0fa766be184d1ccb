"""What a kernel sees of a chapter, so that a prose edit reuses the executed notebook instead of a kernel."""

from __future__ import annotations

import json

from report.builder.parse import Cell, Chapter, Markdown


def kernel_cells(chapter: Chapter) -> list[tuple[str, int, object]]:
    """(role, block index, code) per notebook cell after the preamble, in `execute.to_notebook`'s order."""
    cells = []
    for index, block in enumerate(chapter.blocks):
        if isinstance(block, Cell) and block.options.get("eval", True):
            cells.append(("code", index, block.source))
        elif isinstance(block, Markdown) and block.inline_expressions:
            cells.append(("inline", index, block.inline_expressions))
    return cells


def code_fingerprint(chapter: Chapter) -> bytes:
    """The chapter's name, packages, cells and inline code; not its prose, nor where the code sits in it."""
    cells = [(role, code) for role, _, code in kernel_cells(chapter)]
    return json.dumps({"name": chapter.name, "packages": chapter.packages, "cells": cells}).encode()


def rebind_blocks(notebook: dict, chapter: Chapter) -> dict:
    """A cached notebook of the same code, its cells pointed at the blocks of the chapter as edited now."""
    for cached, (role, index, _) in zip(notebook["cells"][1:], kernel_cells(chapter)):
        cached["metadata"]["report"] = {"role": role, "block": index}
    return notebook
