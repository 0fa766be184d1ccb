"""Where the project lives: the folder holding `_quarto.yml`, and the paths inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml


class ProjectError(Exception):
    """The project folder or its configuration is not usable."""


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | str | None = None) -> "Project":
        """`REPORT_PROJECT`, else the nearest folder upward from `start` (or cwd) with `_quarto.yml`."""
        if start is None and os.environ.get("REPORT_PROJECT"):
            start = os.environ["REPORT_PROJECT"]
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "_quarto.yml").is_file():
                return cls(folder)
        raise ProjectError(f"no _quarto.yml in {here} or any folder above it")

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def site_dir(self) -> Path:
        return self.root / "_site"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @cached_property
    def config(self) -> dict:
        path = self.root / "_quarto.yml"
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ProjectError(f"{path}: not valid YAML: {error}") from None
        if not isinstance(config.get("book"), dict) or not config["book"].get("chapters"):
            raise ProjectError(f"{path}: needs book.chapters (the list of chapter files)")
        return config

    @property
    def book(self) -> dict:
        return self.config["book"]

    def chapter_paths(self) -> list[Path]:
        """Chapter sources in book order; appendices follow the chapters."""
        entries = list(self.book["chapters"]) + list(self.book.get("appendices", []))
        paths = [self.root / _entry_file(entry) for entry in entries]
        for path in paths:
            if not path.is_file():
                raise ProjectError(f"_quarto.yml lists {path.relative_to(self.root)}, which does not exist")
        return paths


def _entry_file(entry) -> str:
    return entry if isinstance(entry, str) else entry.get("file", "")
