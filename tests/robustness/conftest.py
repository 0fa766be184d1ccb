"""Fixtures for the robustness tests: a tiny project built once, and a fresh copy of it per test."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import run_report
from tests.robustness.corpus import CHAPTER, good_data


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A tiny project built once: one chapter reading the widgets package."""
    project = tmp_path_factory.mktemp("published") / "project"
    project.mkdir()
    (project / "_quarto.yml").write_text('book:\n  title: "Widgets"\n  date: "2026-01-01"\n  chapters: [index.qmd]\n')
    (project / "index.qmd").write_text(CHAPTER)
    good_data(project / "data")
    run_report(project, "build", check=True)
    return project


@pytest.fixture
def project(published, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(published, copy)
    return copy
