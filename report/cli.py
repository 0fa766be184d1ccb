"""The `report` command: build the site and PDF, and look after the data packages."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

from report.builder.publish import check_output_file, check_site_target, writer_lock

DESCRIPTION = """Rebuild 'Commissioning in Children's Services: What Works?' from its data packages.

Run from the project folder (the one with _quarto.yml), or set REPORT_PROJECT."""


def positive_int(text: str) -> int:
    """An option that counts (workers, seconds): 0 or less would hang or do nothing, so it is refused."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is refused: give a number of 1 or more")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="report", description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    commands = root.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="validate the data, run the chapters, write _site/ (HTML + PDF)",
                                description="Validate every data package, execute the chapters (re-running "
                                            "only those whose sources, data or code changed), then write "
                                            "the HTML pages and the PDF into _site/ atomically.")
    build.add_argument("--force", action="store_true", help="ignore the cache and re-run every chapter")
    build.add_argument("--workers", type=positive_int, default=None, help="kernels to run in parallel (default: one per core)")
    build.add_argument("--cell-timeout", type=positive_int, default=120, metavar="SECONDS",
                       help="fail a chapter whose cell runs longer than this (default 120)")
    build.add_argument("--site-dir", type=Path, default=None, help="write the site here instead of _site/")
    build.add_argument("--no-extra-pages", "--no-explorer", dest="no_extra_pages", action="store_true",
                       help="leave the page providers' pages (the council pages) out: quicker while writing")
    build.add_argument("--allow-chart-shortfalls", action="store_true",
                       help="publish charts below WCAG contrast or colour rules, each listed in the accessibility "
                            "statement (by default such a chart stops the build)")
    build.add_argument("--council", metavar="NAME", default=None,
                       help="write only a short PDF profile of one council (name, DfE number or ONS code), "
                            "not the site")
    build.add_argument("--output", type=Path, default=None, metavar="PATH",
                       help="with --council: where to write the PDF (default council-<name>.pdf here)")
    build.set_defaults(run=run_build)

    preview = commands.add_parser("preview", help="build, serve _site/ with live reload, rebuild on each change",
                                  description="Build, then serve _site/ on 127.0.0.1 with live reload; "
                                              "rebuild whenever chapters/, _quarto.yml, data/, report/ or "
                                              "references.bib change. A failed build is shown in the "
                                              "browser and here, and the last good site stays served.")
    preview.add_argument("--port", type=int, default=4200, help="port on 127.0.0.1 (default 4200; 0: any free)")
    preview.add_argument("--no-extra-pages", "--no-explorer", dest="no_extra_pages", action="store_true",
                         help="leave the council pages out")
    preview.set_defaults(run=run_preview)

    data = commands.add_parser("data", help="validate or update the data packages",
                               description="Work with the Frictionless data packages in data/.")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    validate = data_commands.add_parser("validate", help="validate packages; one line per package",
                                        description="Validate packages with frictionless and the project's "
                                                    "own checks (hash, bytes, paths, cross-package keys).")
    validate.add_argument("packages", nargs="*", metavar="PACKAGE", help="package names (default: all)")
    validate.set_defaults(run=run_validate)
    ingest = data_commands.add_parser("ingest", help="rebuild packages from the publishers' files",
                                      description="Run each package's ingest script on the publisher files "
                                                  "it lists (SOURCES), writing into data/<package>/.")
    ingest.add_argument("packages", nargs="*", metavar="PACKAGE", help="package names (default: all)")
    ingest.add_argument("--sources", type=Path, default=Path("../shared/sources"),
                        help="folder holding the publishers' files (default ../shared/sources)")
    ingest.set_defaults(run=run_ingest)
    update = data_commands.add_parser(
        "update", help="take in a publisher's new release of a package's files (diff, version, changelog)",
        description="Rebuild PACKAGE with each FILE in place of the current file(s) of the same kind "
                    "(a file of a new year joins the yearly ones), validate it, show what changed, bump "
                    "the version (MAJOR: fields, keys or constraints changed, or rows removed; MINOR: "
                    "new rows or periods; PATCH: corrected values or descriptions), add a CHANGELOG.md "
                    "entry and swap data/PACKAGE/ in atomically. Nothing is written if the new release "
                    "does not validate.")
    update.add_argument("package", metavar="PACKAGE", help="package name, e.g. children-looked-after")
    update.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the publisher's new file(s)")
    update.add_argument("--dry-run", action="store_true", help="print the changes and the version; write nothing")
    update.add_argument("--sources", type=Path, default=Path("../shared/sources"),
                        help="folder holding the publishers' current files (default ../shared/sources)")
    update.set_defaults(run=run_update)

    lock = data_commands.add_parser(
        "lock", help="write sources.lock.json: every publisher file the scripts read, with its sha256",
        description="List every publisher file an ingest script reads (path, URL, sha256, bytes, licence, "
                    "date obtained, from each folder's SOURCES.md) in sources.lock.json.")
    lock.add_argument("--sources", type=Path, default=Path("../shared/sources"),
                      help="folder holding the publishers' files (default ../shared/sources)")
    lock.set_defaults(run=run_lock)
    fetch = data_commands.add_parser(
        "fetch", help="fill a sources folder with the locked publisher files, checking every sha256",
        description="Copy every file in sources.lock.json into the sources folder from a mirror (a folder or "
                    "an http(s) URL) or, without one, from the URL the lock names; a file whose sha256 "
                    "differs from the lock's is an error naming it, and is not written.")
    fetch.add_argument("--sources", type=Path, default=Path("../shared/sources"),
                       help="folder to fill (default ../shared/sources)")
    fetch.add_argument("--mirror", metavar="DIR|URL", help="a folder or URL laid out like the sources folder")
    fetch.set_defaults(run=run_fetch)

    lint = commands.add_parser("lint", help="check chapter prose for statistics typed by hand",
                               description="Fail (exit 1) on a number of three or more digits, a percentage "
                                           "or a sum of money typed into chapter prose rather than computed "
                                           "by inline code; years, chapter and section numbers excepted.")
    lint.add_argument("paths", nargs="*", type=Path, metavar="FILE",
                      help="chapter files (default: every page listed in _quarto.yml)")
    lint.set_defaults(run=run_lint)
    return root


def run_build(args) -> int:
    from report.builder.pipeline import BuildOptions, build
    from report.project import Project

    project = Project.find()
    if args.council is not None:
        from report.explorer.council_pdf import write_profile

        output = check_output_file(args.output, project.root) if args.output is not None else None
        write_profile(project, args.council, output)
        return 0
    if args.output is not None:
        raise ValueError("--output goes with --council (the site is written to --site-dir)")
    site = check_site_target(args.site_dir or project.site_dir, project.root)
    if args.force:
        os.environ["REPORT_FORCE"] = "1"  # the kernels inherit it: no cached frame is trusted either
    with writer_lock(project.root, "build"):
        build(project, BuildOptions(force=args.force, workers=args.workers, cell_timeout=args.cell_timeout,
                                    site_dir=site, extra_pages=not args.no_extra_pages,
                                    allow_chart_shortfalls=args.allow_chart_shortfalls))
    return 0


def run_preview(args) -> int:
    from report.builder.pipeline import BuildOptions
    from report.builder.preview import preview
    from report.project import Project

    preview(Project.find(), BuildOptions(extra_pages=not args.no_extra_pages), port=args.port)
    return 0


def run_validate(args) -> int:
    from report.data.validate import validate_all
    from report.project import Project

    reports = validate_all(Project.find().data_dir, args.packages or None)
    for report in reports:
        status = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        print(f"{report.name:24} {report.version:8} {report.rows:>8} rows  {status}")
        for problem in report.problems:
            print(f"    {problem}")
    return 0 if all(r.ok for r in reports) else 1


def run_ingest(args) -> int:
    from report.data.ingest import default_sources, run_script
    from report.data.packages import discover
    from report.project import Project

    project = Project.find()
    names = args.packages or [folder.name for folder in discover(project.data_dir)]
    sources = args.sources if args.sources.is_absolute() else project.root / args.sources
    with writer_lock(project.root, "data ingest"):
        for name in names:
            run_script(project.root, name, default_sources(project.root, name, sources), project.data_dir / name)
            print(f"{name:24} rebuilt from {sources}")
    return 0


def run_lock(args) -> int:
    from report.data.sources import write_lock
    from report.project import Project

    project = Project.find()
    sources = args.sources if args.sources.is_absolute() else project.root / args.sources
    print(f"wrote {write_lock(project.root, sources).name}")
    return 0


def run_fetch(args) -> int:
    from report.data.sources import fetch
    from report.project import Project

    project = Project.find()
    sources = args.sources if args.sources.is_absolute() else project.root / args.sources
    fetched, present = fetch(project.root, sources, args.mirror)
    print(f"{fetched} files fetched, {present} already present and verified, in {sources}")
    return 0


def run_update(args) -> int:
    from report.data.update import update
    from report.project import Project

    project = Project.find()
    sources = args.sources if args.sources.is_absolute() else project.root / args.sources
    with writer_lock(project.root, "data update"):
        update(project.data_dir, project.root, args.package, args.files, sources, dry_run=args.dry_run)
    return 0


class Terminated(Exception):
    """SIGTERM: unwind like Ctrl-C so kernels are shut down and the staging folder removed."""


def _on_sigterm(signum, frame):
    raise Terminated("terminated (SIGTERM); _site/ was left as it was")


def run_lint(args) -> int:
    from report.lint import lint_paths
    from report.project import Project

    root = None if args.paths else Project.find().root
    paths = args.paths or Project.find().chapter_paths()
    problems = lint_paths(paths, root)
    for problem in problems:
        print(problem)
    print(f"{len(paths)} file(s) checked, {len(problems)} statistic(s) typed into prose",
          file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated as error:
        print(f"error: {error}", file=sys.stderr)
        return 143  # 128 + SIGTERM, as if killed, but after cleaning up
    except Exception as error:  # every failure ends as one clear message; --debug shows the traceback
        if args.debug:
            traceback.print_exc()
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
