"""The engine's shape, as DEVELOPERS.md asks: small modules, and sibling imports at the top (a
function-local import of a sibling hides a cycle), save the stages a no-op build never loads."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

PACKAGES = ["report/builder", "report/explorer"]
MAX_LINES = 400
# Lazy on purpose, each for the speed of a build with nothing to do (README, Performance): the stages after
# the no-op check, Jupyter's modules, and frictionless (only when a package changed).
LAZY = {("pipeline.py", "assemble"), ("pipeline.py", "execute_changed"), ("validation.py", "run")}


def modules() -> list:
    return sorted(p for package in PACKAGES for p in (ROOT / package).glob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_imports_a_sibling(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = [(path.name, fn.name, node.module) for fn in ast.walk(tree)
             if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
             for node in ast.walk(fn) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("report")]
    assert [entry for entry in local if entry[:2] not in LAZY] == []
