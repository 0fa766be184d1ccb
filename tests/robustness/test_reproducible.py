"""Two builds from the same inputs give byte-identical sites (no timestamps but the edition date)."""

from __future__ import annotations

import pytest

from tests.conftest import run_report, same_tree

pytestmark = pytest.mark.slow


def test_a_forced_rebuild_is_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    run_report(built, "build", "--force", "--site-dir", str(again), check=True)
    assert same_tree(built / "_site", again)
