"""`report build`: validate -> parse -> execute (cached) -> convert -> site + PDF -> checks -> publish."""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from report.builder import attribution
from report.builder import cache as cache_mod
from report.builder.cache import ChapterCache, chapter_key
from report.builder.fingerprint import code_fingerprint, rebind_blocks
from report.builder.parse import Chapter, book_problems, parse_chapter
from report.builder.publish import publish, remove_stale, staging_dir
from report.data.packages import read_package
from report.project import Project

MANIFEST = "build-manifest.json"


class BuildError(Exception):
    """The build stopped; the message lists every problem found, and `_site/` was left as it was."""


@dataclass
class BuildOptions:
    force: bool = False
    workers: int | None = None
    cell_timeout: int = 120
    site_dir: Path | None = None
    explorer: bool = True  # False: leave the council pages out (a quicker build while writing chapters)


@dataclass
class BuildRecord:
    """What a build did, kept in `.cache/last-build.json` for people and tests."""

    executed: dict[str, str] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    noop: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    explorer: str = ""  # the council pages' charts: "reused", "built: <why>" or "" (no explorer)
    chapter_seconds: dict[str, float] = field(default_factory=dict)  # each executed chapter's kernel time


def build(project: Project, options: BuildOptions, say=print) -> BuildRecord:
    site = Path(options.site_dir or project.site_dir)
    record, clock = BuildRecord(), _Clock()
    remove_stale(site)
    # Validate: fingerprints now; changed packages are checked row by row while the kernels start
    from report.builder.validation import PackageCheck

    check = PackageCheck(project)
    if check.problems:  # unreadable descriptors: say so before anything starts
        check.run(say)
    packages = check.packages
    # Parse
    chapters = parse_all(project, packages)
    from report.builder.render import ChartRenderer

    with ChartRenderer(project.cache_dir) as renderer:
        # Execute (only what changed, and only once the data is valid); "execute" includes validation
        payloads, keys = execute_changed(project, chapters, packages, options, record, say,
                                         validate=lambda: _timed(record, "validate", check.run, say),
                                         renderer=renderer)
        record.seconds["execute"] = clock.lap()
        site_key = _site_key(project, chapters, keys, packages, options.explorer)
        if not options.force and _published_key(site) == site_key:
            record.noop = True
            say("nothing changed: _site/ is up to date")
            _save_record(project, record)
            return record
        # Convert, write, check, publish
        staging = staging_dir(site)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            with page_pool(packages, options) as pages:
                assemble(project, chapters, payloads, packages, staging, site_key, say, record, clock, renderer,
                         options, pages)
            publish(staging, site)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    say(f"published {site}")
    _save_record(project, record)
    return record


def parse_all(project: Project, packages: dict[str, dict]) -> list[Chapter]:
    chapters = [parse_chapter(path) for path in project.chapter_paths()]
    problems = [f"chapter {c.name} declares package {p!r}, which is not in data/"
                for c in chapters for p in c.packages if p not in packages]
    problems += book_problems(chapters)  # ids defined twice, cross-references to nothing (file:line)
    names = [c.name for c in chapters]
    problems += [f"two chapters are both named {n!r}" for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise BuildError("\n".join(problems))
    return chapters


def execute_changed(project, chapters, packages, options, record, say, validate=lambda: None, renderer=None):
    """Reuse cached chapters whose key matches; run the rest together on the kernel pool.

    `validate` runs first: alongside the kernels' start-up when chapters must run, else on its own.
    """
    store = ChapterCache(project.cache_dir)
    code = cache_mod.kernel_code_hash(project.root / "report") if (project.root / "report").is_dir() \
        else cache_mod.kernel_code_hash(Path(__file__).parents[1])
    tools = cache_mod.tool_versions()
    keys, payloads, todo = {}, {}, []
    for chapter in chapters:
        declared = {p: packages[p] for p in chapter.packages}
        keys[chapter.name] = chapter_key(code_fingerprint(chapter), declared, code, tools)
        payload, reason = (None, f"chapter {chapter.name}: --force") if options.force else \
            store.lookup(chapter.name, keys[chapter.name])
        if payload is None:
            todo.append(chapter)
            record.executed[chapter.name] = reason
            say(f"  run    {reason}")
        else:
            payloads[chapter.name] = rebind_blocks(payload, chapter)
            record.reused.append(chapter.name)
    if todo:
        import nbformat

        from report.builder.execute import run_chapters

        say(f"executing {len(todo)} chapter(s) on {min(options.workers or _cores(), len(todo))} kernel(s)")
        if options.explorer:
            threading.Thread(target=_import_for_explorer, name="explorer-imports", daemon=True).start()

        def finished(run):
            say(_progress_line(run))
            if run.ok and renderer is not None:  # render this chapter's charts while the others run
                from report.builder.render import chart_specs

                for spec in chart_specs(run.notebook):
                    renderer.submit(spec)

        runs = run_chapters(todo, project.root, workers=options.workers, cell_timeout=options.cell_timeout,
                            progress=finished, alongside=validate)
        failures = [run.error for run in runs if not run.ok]
        for run in runs:
            record.chapter_seconds[run.chapter.name] = round(run.seconds, 3)
            if run.ok:
                payloads[run.chapter.name] = nbformat.from_dict(run.notebook)
                store.store(run.chapter.name, keys[run.chapter.name], payloads[run.chapter.name])
        if failures:
            raise BuildError("\n".join(failures))
    else:
        validate()
    return payloads, keys


def assemble(project, chapters, payloads, packages, out, site_key, say, record, clock, renderer, options=None,
             page_pool=None):
    import nbformat

    from report.builder import checks
    from report.builder.assets import js_bundle
    from report.builder.convert import book_markdown, chapter_document, run_pandoc, split_pages
    from report.builder.frontmatter import front_matter
    from report.builder.pdf import write_pdf
    from report.builder.site import Site, write_site

    book = book_settings(project)
    appendices = {Path(a).stem for a in project.book.get("appendices", [])}
    echo = bool(project.config.get("execute", {}).get("echo", False))
    docs = [chapter_document(c, nbformat.from_dict(payloads[c.name]), echo=echo,
                             appendix=c.path.stem in appendices) for c in chapters]
    for chart in (c for d in docs for c in d.charts):
        chart.add_views(renderer.views(chart.vegalite))
    record.seconds["render"] = clock.lap()
    markdown = book_markdown(docs)
    bib = project.root / project.config["bibliography"] if project.config.get("bibliography") else None
    with ThreadPoolExecutor(2) as pool:
        html_job = pool.submit(run_pandoc, markdown, "html5", project.root, bib, {})
        typst_job = pool.submit(run_pandoc, markdown, "typst", project.root, bib, {})
        html, typst_body = html_job.result(), typst_job.result()
    record.seconds["convert"] = clock.lap()
    manifest = build_manifest(book, packages, chapters, site_key)
    pdf_name = book["pdf"]
    write_pdf(typst_body, {c.label: c.svg for d in docs for c in d.charts},
              {**book, "packages": manifest["packages"],
               **front_matter(book, manifest["packages"], project.data_dir)}, out / ".typst", out / pdf_name)
    shutil.rmtree(out / ".typst")
    record.seconds["pdf"] = clock.lap()
    with ThreadPoolExecutor(1) as pool:  # the PDF's text check runs while the pages are written
        pdf_check = pool.submit(checks.check_pdf, out / pdf_name, docs)
        site = Site(book, manifest["packages"], {"href": pdf_name, "size": _size(out / pdf_name)},
                    cache_dir=project.cache_dir, strict_charts=True)
        explorer = council_explorer(project, packages, options or BuildOptions(), say, record, renderer)
        record.seconds["explorer"] = clock.lap()
        copy_packages(project, packages, out / "data")  # first: the data page reads the served files
        write_site(out, docs, split_pages(html, docs), site, js_bundle(project.cache_dir), explorer=explorer,
                   timings=record.seconds, page_pool=page_pool)
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        record.seconds["site"] = clock.lap()
        checks.run_all(out, docs, manifest, pdf_problems=pdf_check.result(),
                       root=attribution.root_path(book.get("site_url", "")))
    record.seconds["checks"] = clock.lap()
    say(f"wrote {len(docs)} pages and {pdf_name}")


def page_pool(packages: dict, options: BuildOptions):
    """Worker processes for the council pages, one per core, started now so that their start overlaps the
    PDF and the chapters' pages; none on one core or without the explorer."""
    processes = min(options.workers or _cores(), _cores())  # --workers limits this pool too
    if not options.explorer or processes < 2:
        return nullcontext()
    from report.explorer import provider as explorer
    from report.explorer.pages import PagePool

    return nullcontext() if explorer.missing(packages) else PagePool(processes)


def _import_for_explorer() -> None:
    """Altair and the council chart functions, imported while the kernels run (the kernels import theirs
    before their first chapter too), so the explorer stage that follows does only its own work."""
    import report.explorer.pages  # noqa: F401
    import report.charts  # noqa: F401


def council_explorer(project, packages, options, say, record, renderer=None):
    """The council pages' payload (drawn or reused), or None when the data has no councils. Their charts
    compile on the chart renderer's worker, where vl-convert is already running."""
    if not options.explorer:
        record.explorer = "skipped: --no-explorer"
        say("  skip   council pages (--no-explorer)")
        return None
    from report.explorer import provider as explorer

    lacking = explorer.missing(packages)
    if lacking:
        record.explorer = f"skipped: no package {', '.join(lacking)}"
        say(f"  skip   council pages: the data has no package {', '.join(lacking)}")
        return None
    compiler = renderer.executor() if renderer is not None else None
    payload, record.explorer = explorer.build(project, options.force, say, compiler)
    return payload


def book_settings(project: Project) -> dict:
    """The book's settings from _quarto.yml; authors, licences, site-url and dates come from attribution."""
    book = project.book
    return {
        "title": book["title"], "subtitle": book.get("subtitle", ""),
        "short_title": book.get("short-title", book["title"].split(":")[0]),
        "date": str(book.get("date", "")), "edition": book.get("edition", ""),
        "licence": "Open Government Licence v3.0", "publisher": book.get("publisher", ""),
        "pdf": book.get("pdf", "report.pdf"),
        **attribution.settings({**book, "date": str(book.get("date", ""))}, project.config, project.data_dir),
    }


def build_manifest(book: dict, packages: dict, chapters: list[Chapter], site_key: str) -> dict:
    return {
        "edition": book["edition"], "date": book["date"], "site_key": site_key,
        "packages": [{"name": n, **{k: packages[n][k] for k in ("version", "hash", "title")}}
                     for n in sorted(packages)],
        "chapters": [{"name": c.name, "title": c.title, "packages": c.packages} for c in chapters],
    }


def copy_packages(project: Project, packages: dict, out: Path) -> None:
    """Each package's descriptor, data files and changelog, for readers to download."""
    for name in packages:
        package = read_package(project.data_dir / name)
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        for path in [package.folder / "datapackage.json", package.folder / "CHANGELOG.md",
                     *(package.path_of(r) for r in package.resources)]:
            if path.exists():
                shutil.copyfile(path, target / path.name)


def _site_key(project, chapters, keys, packages, explorer: bool = True) -> str:
    builder = Path(__file__).parent
    files = [p for p in builder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    parts = {
        "chapters": [(c.name, keys[c.name].digest, cache_mod.sha256(c.path.read_bytes())) for c in chapters],
        "builder": cache_mod.tree_hash(files, builder),
        "report": cache_mod.kernel_code_hash(Path(__file__).parents[1]),
        "config": cache_mod.sha256((project.root / "_quarto.yml").read_bytes()),
        "bib": cache_mod.sha256(_read_optional(project.root / "references.bib")),
        "packages": {n: packages[n]["hash"] for n in sorted(packages)},
        "explorer": explorer,
    }
    return cache_mod.sha256(json.dumps(parts, sort_keys=True))


def _published_key(site: Path) -> str | None:
    try:
        return json.loads((site / MANIFEST).read_text(encoding="utf-8")).get("site_key")
    except (OSError, ValueError):
        return None


def _timed(record: BuildRecord, stage: str, work, *args):
    started = time.perf_counter()
    try:
        return work(*args)
    finally:
        record.seconds[stage] = round(time.perf_counter() - started, 3)


def _read_optional(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def _save_record(project: Project, record: BuildRecord) -> None:
    project.cache_dir.mkdir(parents=True, exist_ok=True)
    (project.cache_dir / "last-build.json").write_text(
        json.dumps(record.__dict__, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _progress_line(run) -> str:
    mark = "ok  " if run.ok else "FAIL"
    return f"  {mark}   {run.chapter.name} ({run.seconds:.1f} s)"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{max(1, round(size / 1e3))} KB"


def _cores() -> int:
    import os

    return os.cpu_count() or 1


class _Clock:
    def __init__(self):
        self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self.last = now - self.last, now
        return round(elapsed, 3)
