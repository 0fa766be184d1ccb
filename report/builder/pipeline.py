"""`report build`: validate -> parse -> execute (cached) -> convert -> site + PDF -> checks -> publish."""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from report.builder import attribution
from report.builder import cache as cache_mod
from report.builder.cache import ChapterCache, chapter_key
from report.builder.errors import BuildError  # noqa: F401  (raised here and by the stages; re-exported)
from report.builder.fingerprint import code_fingerprint, rebind_blocks
from report.builder.parse import Chapter, book_problems, parse_chapter
from report.builder import providers as providers_mod
from report.builder.publish import publish, remove_stale, staging_dir
from report.builder.render import ChartRenderer, chart_specs
from report.builder.validation import PackageCheck
from report.data.direct_reads import chapter_problems
from report.data.frames import prune_disk
from report.data.packages import read_package
from report.data.staging import remove_stale_updates
from report.project import Project

MANIFEST = "build-manifest.json"


@dataclass
class BuildOptions:
    force: bool = False
    workers: int | None = None
    cell_timeout: int = 120
    site_dir: Path | None = None
    extra_pages: bool = True  # False: leave the page providers' pages out (a quicker build while writing)
    allow_chart_shortfalls: bool = False  # True: publish charts below WCAG, listed in the accessibility statement


@dataclass
class BuildRecord:
    """What a build did, kept in `.cache/last-build.json` for people and tests."""

    executed: dict[str, str] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)
    noop: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # each page provider's status: "reused", "built: <why>"
    chapter_seconds: dict[str, float] = field(default_factory=dict)  # each executed chapter's kernel time


@dataclass
class Build:
    """One build's shared state, handed to every stage: what is built and how, and what the stages found."""

    project: Project
    options: BuildOptions
    say: Callable[[str], None] = print
    record: BuildRecord = field(default_factory=BuildRecord)
    clock: _Clock = field(default_factory=lambda: _Clock())
    packages: dict[str, dict] = field(default_factory=dict)  # name -> {version, hash, title}, validated
    renderer: ChartRenderer | None = None  # the chart worker (vl-convert), warm for the whole build
    site_key: str = ""  # what the published site was built from


def build(project: Project, options: BuildOptions, say=print) -> BuildRecord:
    """The stages in order: validate (alongside execute) -> parse -> execute -> [nothing changed: stop] ->
    assemble (render, convert, PDF, pages, checks) in a staging folder -> publish."""
    run = Build(project, options, say)
    site = Path(options.site_dir or project.site_dir)
    remove_stale(site)
    remove_stale_updates(project.data_dir)  # a killed `report data update`'s staging folder
    prune_disk(project.data_dir)  # parsed frames of resources data/ no longer holds
    check = PackageCheck(project)  # fingerprints now; changed packages are checked while the kernels start
    if check.problems:  # unreadable descriptors: say so before anything starts
        check.run(say)
    run.packages = check.packages
    configured = providers_mod.entries(project.config) if options.extra_pages else []
    chapters = parse_all(project, run.packages)
    with ChartRenderer(project.cache_dir) as run.renderer:
        validate = lambda: _timed(run.record, "validate", check.run, say)  # noqa: E731
        payloads, keys = execute_changed(run, chapters, validate, warm=lambda: warm(configured))
        run.record.seconds["execute"] = run.clock.lap()  # includes validation
        run.site_key = _site_key(project, chapters, keys, run.packages,
                                 configured + ["allow-chart-shortfalls"] * options.allow_chart_shortfalls)
        if not options.force and _published_key(site) == run.site_key:
            run.record.noop = True
            say("nothing changed: _site/ is up to date")
            _save_record(project, run.record)
            return run.record
        providers = active_providers(run, configured)
        staging = staging_dir(site)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            with ExitStack() as stack:
                pools = [stack.enter_context(provider_pool(p, options)) for p in providers]
                assemble(run, chapters, payloads, staging, list(zip(providers, pools)))
            publish(staging, site)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    say(f"published {site}")
    _save_record(project, run.record)
    return run.record


def parse_all(project: Project, packages: dict[str, dict]) -> list[Chapter]:
    chapters = [parse_chapter(path) for path in project.chapter_paths()]
    problems = [f"chapter {c.name} declares package {p!r}, which is not in data/"
                for c in chapters for p in c.packages if p not in packages]
    problems += book_problems(chapters)  # ids defined twice, cross-references to nothing (file:line)
    problems += [p for c in chapters for p in chapter_problems(c)]  # data read around load() (file:line)
    names = [c.name for c in chapters]
    problems += [f"two chapters are both named {n!r}" for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise BuildError("\n".join(problems))
    return chapters


def execute_changed(run: Build, chapters: list[Chapter], validate=lambda: None, warm=lambda: None):
    """Reuse cached chapters whose key matches; run the rest together on the kernel pool.

    `validate` runs first: alongside the kernels' start-up when chapters must run, else on its own; `warm`
    (the page providers' imports) runs on a thread while the kernels work.
    """
    project, packages, options, record, say, renderer = (run.project, run.packages, run.options, run.record,
                                                         run.say, run.renderer)
    store = ChapterCache(project.cache_dir, project.root)
    tools = cache_mod.tool_versions()
    keys, payloads, todo = {}, {}, []
    for chapter in chapters:
        declared = {p: packages[p] for p in chapter.packages}
        keys[chapter.name] = chapter_key(code_fingerprint(chapter), declared, tools)
        payload, reason = (None, f"chapter {chapter.name}: --force") if options.force else \
            store.lookup(chapter.name, keys[chapter.name])
        if payload is None:
            todo.append(chapter)
            record.executed[chapter.name] = reason
            say(f"  run    {reason}")
        else:
            payloads[chapter.name] = rebind_blocks(payload, chapter)
            record.reused.append(chapter.name)
    if todo:  # Jupyter's modules only when a chapter runs: a rebuild that reuses every chapter never loads them
        import nbformat

        from report.builder.execute import run_chapters

        say(f"executing {len(todo)} chapter(s) on {min(options.workers or _cores(), len(todo))} kernel(s)")
        threading.Thread(target=warm, name="provider-imports", daemon=True).start()  # while the kernels run

        def finished(done):
            say(_progress_line(done))
            if done.ok and renderer is not None:  # render this chapter's charts while the others run
                for spec in chart_specs(done.notebook):
                    renderer.submit(spec)

        runs = run_chapters(todo, project.root, workers=options.workers, cell_timeout=options.cell_timeout,
                            progress=finished, alongside=validate,
                            setup=(project.config.get("report") or {}).get("kernel-setup", ""))
        failures = [done.error for done in runs if not done.ok]
        for done in runs:
            record.chapter_seconds[done.chapter.name] = round(done.seconds, 3)
            if done.ok:
                payloads[done.chapter.name] = nbformat.from_dict(done.notebook)
                store.store(done.chapter.name, keys[done.chapter.name], payloads[done.chapter.name],
                            cache_mod.module_hashes(project.root, done.modules))
        if failures:
            raise BuildError("\n".join(failures))
    else:
        validate()
    return payloads, keys


def assemble(run: Build, chapters: list[Chapter], payloads: dict, out: Path, providers=()):
    """Every output into `out`: charts rendered, the book converted, the PDF, the pages, the checks.
    `providers` are (page provider, its worker pool) pairs."""
    # The stages' modules are imported only when a build has work to do: a no-op build stays under 0.5 s
    import nbformat

    from report.builder import checks
    from report.builder.assets import js_bundle
    from report.builder.convert import book_markdown, chapter_document, run_pandoc, split_pages
    from report.builder.frontmatter import front_matter
    from report.builder.pdf import write_pdf
    from report.builder.site import Site, write_site

    project, packages, record, clock, say = run.project, run.packages, run.record, run.clock, run.say
    book = book_settings(project)
    appendices = {Path(a).stem for a in project.book.get("appendices", [])}
    echo = bool(project.config.get("execute", {}).get("echo", False))
    docs = [chapter_document(c, nbformat.from_dict(payloads[c.name]), echo=echo,
                             appendix=c.path.stem in appendices) for c in chapters]
    for chart in (c for d in docs for c in d.charts):
        chart.add_views(run.renderer.views(chart.vegalite))
    record.seconds["render"] = clock.lap()
    markdown = book_markdown(docs)
    bib = project.root / project.config["bibliography"] if project.config.get("bibliography") else None
    with ThreadPoolExecutor(2) as pool:
        html_job = pool.submit(run_pandoc, markdown, "html5", project.root, bib, {})
        typst_job = pool.submit(run_pandoc, markdown, "typst", project.root, bib, {})
        html, typst_body = html_job.result(), typst_job.result()
    record.seconds["convert"] = clock.lap()
    manifest = build_manifest(book, packages, chapters, run.site_key)
    pdf_name = book["pdf"]
    write_pdf(typst_body, {c.label: c.svg for d in docs for c in d.charts},
              {**book, "packages": manifest["packages"],
               **front_matter(book, manifest["packages"], project.data_dir)}, out / ".typst", out / pdf_name)
    shutil.rmtree(out / ".typst")
    record.seconds["pdf"] = clock.lap()
    with ThreadPoolExecutor(1) as checker:  # the PDF's text check runs while the pages are written
        pdf_check = checker.submit(checks.check_pdf, out / pdf_name, docs)
        site = Site(book, manifest["packages"], {"href": pdf_name, "size": _size(out / pdf_name)},
                    cache_dir=project.cache_dir,
                    strict_charts=not run.options.allow_chart_shortfalls)
        extras = []
        for provider, pool in providers:
            extras.append((provider, prepare(run, provider), pool))
            record.seconds[provider.name] = clock.lap()
        copy_packages(project, packages, out / "data")  # first: the data page reads the served files
        write_site(out, docs, split_pages(html, docs), site, js_bundle(project.cache_dir), extras=extras,
                   timings=record.seconds)
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        record.seconds["site"] = clock.lap()
        checks.run_all(out, docs, manifest, pdf_problems=pdf_check.result(), draw=run.renderer.executor(),
                       root=attribution.root_path(book.get("site_url", "")))
    record.seconds["checks"] = clock.lap()
    say(f"wrote {len(docs)} pages and {pdf_name}")


def active_providers(run: Build, configured: list[str]) -> list:
    """The page providers `_quarto.yml` names whose packages the data has; the rest are left out, saying why."""
    project, packages, record, say = run.project, run.packages, run.record, run.say
    if not run.options.extra_pages:
        for name in providers_mod.entries(project.config):
            record.pages[name] = "skipped: --no-extra-pages"
            say(f"  skip   {name} (--no-extra-pages)")
    active = []
    for provider in providers_mod.load(configured):
        lacking = provider.missing(packages)
        if lacking:
            record.pages[provider.name] = f"skipped: no package {', '.join(lacking)}"
            say(f"  skip   {provider.label}: the data has no package {', '.join(lacking)}")
        else:
            active.append(provider)
    return active


def warm(configured: list[str]) -> None:
    """Import the page providers and what they draw with, on a thread while the kernels run."""
    for provider in providers_mod.load(configured):
        provider.warm()


def provider_pool(provider, options: BuildOptions):
    """Worker processes for a provider's pages, one per core, started now so that their start overlaps the
    PDF and the chapters' pages (--workers limits this pool too)."""
    return provider.pool(min(options.workers or _cores(), _cores()))


def prepare(run: Build, provider):
    """A provider's payload (drawn or reused); its charts compile on the chart renderer's worker, where
    vl-convert is already running."""
    compiler = run.renderer.executor() if run.renderer is not None else None
    prepared = provider.prepare(run.project, run.options.force, run.say, compiler)
    run.record.pages[provider.name] = prepared.status
    return prepared.payload


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
        "keywords": [str(k) for k in project.config.get("keywords", [])],  # Quarto's document keywords
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


def _site_key(project, chapters, keys, packages, providers: list[str]) -> str:
    builder = Path(__file__).parent
    files = [p for p in builder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    parts = {
        "chapters": [(c.name, keys[c.name].digest, cache_mod.sha256(c.path.read_bytes())) for c in chapters],
        "builder": cache_mod.tree_hash(files, builder),
        "report": cache_mod.code_hash(Path(__file__).parents[1]),
        "config": cache_mod.sha256((project.root / "_quarto.yml").read_bytes()),
        "bib": cache_mod.sha256(_read_optional(project.root / "references.bib")),
        "packages": {n: packages[n]["hash"] for n in sorted(packages)},
        "providers": providers,
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
