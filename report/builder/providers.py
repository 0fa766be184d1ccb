"""Page providers: pages a project adds to its site beside the book's chapters (a data browser, say).

The builder knows books; what a provider's pages hold is the provider's business. `_quarto.yml` names the
providers as "module:Class" entries, and a book without any is a plain Quarto book:

    report:
      page-providers: [mypackage.pages:CataloguePages]

The builder calls each provider at fixed points: `missing` when the build starts, `warm` while the kernels
run, `pool` around the site's writing, `prepare` after the PDF, `write` with the other pages.
"""

from __future__ import annotations

import importlib
from functools import cache
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class ProviderError(Exception):
    """A provider named in `_quarto.yml` that cannot be loaded."""


@dataclass(frozen=True)
class Link:
    """A link the site's header and footer carry to a provider's index page."""

    name: str  # the page name, for aria-current
    href: str
    title: str


@dataclass(frozen=True)
class SearchGroup:
    """A provider's pages as one search result with a count: their Pagefind `kind` filter and how to name them."""

    kind: str
    one: str  # "widget page"
    many: str  # "widget pages"
    label: str  # "Widget", before each of them when listed


@dataclass
class Prepared:
    """A provider's payload for this build and what happened to make it, for the build record."""

    payload: Any
    status: str


@dataclass
class PageJob:
    """Everything a provider needs to write its pages with the site's templates and assets."""

    out: Path
    env: Any  # the site's jinja2 environment (its templates and the providers')
    site: Any  # report.builder.site.Site
    common: dict  # the context every page shares (book, nav, links, packages)
    card: Any  # the site's social card
    bundle: str  # the chart runtime's file name under assets/
    pool: Any = None  # the provider's own `pool()`, when it made one


class PageProvider(Protocol):
    name: str  # its stage in build records and timings
    label: str  # what its pages are, for the build log
    link: Link | None
    templates: Path | None  # a folder of templates beside the builder's (they may extend base.html)
    assets: Path | None  # a folder copied into the site's assets/
    accessibility: list[str]  # what the accessibility statement should say about its pages
    search_group: SearchGroup | None  # its pages grouped in search results, or listed with the rest

    def missing(self, packages: dict) -> list[str]:
        """The data packages it needs that the book lacks: none, or it is left out, saying so."""

    def warm(self) -> None:
        """Imports worth doing while the kernels run."""

    def pool(self, processes: int) -> AbstractContextManager:
        """Worker processes for writing its pages, started early; a null context when it needs none."""

    def prepare(self, project, force: bool, say, compiler) -> Prepared:
        """Draw (or reuse) what its pages show; `compiler` is the chart renderer's warm vl-convert worker."""

    def write(self, payload, job: PageJob) -> tuple[list[Path], list[dict]]:
        """Its pages, and the accessibility shortfalls of their charts for the statement."""


def entries(config: dict) -> list[str]:
    """The providers `_quarto.yml` names under report.page-providers, in order, not yet imported (a build
    with nothing to do never imports them)."""
    return [str(e) for e in (config.get("report") or {}).get("page-providers") or []]


def load(names: list[str]) -> list[PageProvider]:
    return [_instance(name) for name in names]


@cache
def _instance(entry: str) -> PageProvider:
    module_name, _, class_name = str(entry).partition(":")
    if not class_name:
        raise ProviderError(f"_quarto.yml: report.page-providers: {entry!r} is not 'module:Class'")
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except (ImportError, AttributeError) as error:
        raise ProviderError(f"_quarto.yml: report.page-providers: cannot load {entry!r}: {error}") from None
