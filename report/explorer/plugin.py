"""The council explorer as the builder's page provider (report/builder/providers.py): `_quarto.yml` names it."""

from __future__ import annotations

import importlib
from contextlib import nullcontext
from pathlib import Path

from report.builder.providers import Link, PageJob, Prepared, SearchGroup
from report.explorer import pages, provider

HERE = Path(__file__).parent


class CouncilPages:
    name = "explorer"
    label = "council pages"
    link = Link("councils", pages.INDEX, "Councils")
    templates = HERE / "templates"
    assets = HERE / "assets"
    search_group = SearchGroup("council", "council page", "council pages", "Council")
    accessibility = [
        "The council pages' charts are drawn in the browser (there are over six hundred of them); without "
        "JavaScript each says so, and its table and CSV still give every number. Their SVG and PNG downloads "
        "are made in the browser from the drawn chart, so those two buttons appear once it is drawn.",
    ]

    def missing(self, packages: dict) -> list[str]:
        return provider.missing(packages)

    def warm(self) -> None:
        """Altair and the council chart functions, so that `prepare` does only its own work."""
        importlib.import_module("report.charts")

    def pool(self, processes: int):
        return pages.PagePool(processes) if processes > 1 else nullcontext()

    def prepare(self, project, force: bool, say, compiler) -> Prepared:
        return Prepared(*provider.build(project, force, say, compiler))

    def write(self, payload, job: PageJob) -> tuple[list[Path], list[dict]]:
        return pages.write(payload, job.out, job.env, job.site, job.common, job.card, job.bundle, job.pool)
