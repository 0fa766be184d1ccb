"""A good tiny data folder, and the broken variants of it that every entry point must reject."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.robustness.processes import processes_of

CHAPTER = """---
title: "Widgets"
packages: [widgets]
---

```{python}
#| include: false
from report.chapter import *
widgets = load("widgets")
```

There are `{python} len(widgets)` widget rows.
"""
LA_CSV = "la_code_old,la_name\n201,City of London\n202,Camden\n"
GOOD_CSV = "la_code_old,year,grade,children,rate\n201,2024,Good,10,1.5\n202,2024,Inadequate,20,2.5\n"


def _resource(name: str, fields: list[dict], key: list[str], data: bytes, **schema) -> dict:
    return {"name": name, "type": "table", "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data),
            "schema": {"fields": fields, "primaryKey": key, "missingValues": ["", "c"], **schema}}


def write_package(folder: Path, name: str, resource: dict, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / resource["path"]).write_bytes(data) if "://" not in resource["path"] and \
        not resource["path"].startswith("/") and ".." not in resource["path"] else None
    descriptor = {"name": name, "title": name.title(), "version": "1.0.0", "created": "2026-01-01T00:00:00Z",
                  "licenses": [{"name": "OGL-UK-3.0"}], "resources": [resource]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def good_data(data_dir: Path, csv_text: str = GOOD_CSV) -> Path:
    """data/local-authorities (2 LAs) and data/widgets (one resource referring to them)."""
    la = LA_CSV.encode()
    write_package(data_dir / "local-authorities", "local-authorities", _resource(
        "local-authorities", [{"name": "la_code_old", "type": "string"}, {"name": "la_name", "type": "string"}],
        ["la_code_old"], la), la)
    write_widgets(data_dir, csv_text.encode("utf-8"))
    return data_dir


def widget_resource(data: bytes) -> dict:
    fields = [
        {"name": "la_code_old", "type": "string", "constraints": {"required": True}},
        {"name": "year", "type": "year"},
        {"name": "grade", "type": "string",
         "constraints": {"enum": ["Outstanding", "Good", "Requires improvement", "Inadequate"]}},
        {"name": "children", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "rate", "type": "number"},
    ]
    return _resource("widgets", fields, ["la_code_old", "year"], data, **{"x-packageForeignKeys": [
        {"fields": ["la_code_old"], "reference": {"package": "local-authorities",
                                                  "resource": "local-authorities", "fields": ["la_code_old"]}}]})


def write_widgets(data_dir: Path, data: bytes, edit=None) -> None:
    """Write the widgets package with a descriptor that matches `data` (then `edit` may break it)."""
    resource = widget_resource(data)
    if edit:
        edit(resource)
    write_package(data_dir / "widgets", "widgets", resource, data)


def replace_row(csv_text: str, old: str, new: str) -> str:
    assert old in csv_text
    return csv_text.replace(old, new)


LARGE_FILE_LIMIT = "500000"  # bytes; the tests lower the limit so a 1 MB file stands for a huge one

# Each case: (id, how to break the good data folder, words the one-line message must contain)
def _data(text: str):
    return lambda d: write_widgets(d, text.encode("utf-8"))


def _bytes(data: bytes):
    return lambda d: write_widgets(d, data)


def _descriptor(edit):
    return lambda d: write_widgets(d, GOOD_CSV.encode(), edit)


def _periods(text: str, declared: dict):
    """widgets with `text` as its file and `declared` as its expected periods."""
    return lambda d: write_widgets(d, text.encode("utf-8"), lambda r: r.update({"x-expectedPeriods": declared}))


def _raw_descriptor(text: str):
    return lambda d: (d / "widgets" / "datapackage.json").write_text(text, encoding="utf-8")


def _mismatch(data: bytes):
    """The file changes but the descriptor keeps the good file's hash and bytes."""
    def apply(d):
        write_widgets(d, GOOD_CSV.encode())
        (d / "widgets" / "widgets.csv").write_bytes(data)
    return apply


def _symlink_outside(d: Path) -> None:
    """widgets.csv becomes a symlink to a file outside the package (same bytes, so the hash still matches)."""
    write_widgets(d, GOOD_CSV.encode())
    outside = d.parent / "outside-secret.csv"
    outside.write_bytes(GOOD_CSV.encode())
    (d / "widgets" / "widgets.csv").unlink()
    (d / "widgets" / "widgets.csv").symlink_to(outside)


CASES = [
    ("wrong-header", _data(GOOD_CSV.replace("children", "kids")), ["widgets", "header", "children"]),
    ("missing-header", _data(GOOD_CSV.split("\n", 1)[1]), ["widgets", "header", "la_code_old"]),
    ("extra-column", _data(GOOD_CSV.replace("rate\n", "rate,extra\n").replace("1.5\n", "1.5,x\n")
                           .replace("2.5\n", "2.5,y\n")), ["widgets", "extra column", "extra"]),
    ("non-numeric", _data(replace_row(GOOD_CSV, "1.5", "one and a half")), ["widgets", "line 2", "rate", "number"]),
    ("negative-count", _data(replace_row(GOOD_CSV, ",10,", ",-10,")), ["widgets", "line 2", "children", "minimum"]),
    ("grade-spelling", _data(replace_row(GOOD_CSV, "Inadequate", "inadequate")), ["widgets", "line 3", "grade", "Inadequate"]),
    ("duplicate-key", _data(GOOD_CSV.replace("202,2024", "201,2024")), ["widgets", "line 3", "primary key"]),
    ("unknown-la", _data(replace_row(GOOD_CSV, "202,2024", "999,2024")), ["widgets", "line 3", "la_code_old", "999", "local-authorities"]),
    ("empty-file", _bytes(b""), ["widgets", "empty"]),
    ("truncated-mid-row", _mismatch(GOOD_CSV.encode()[:-9]), ["widgets", "bytes"]),
    ("cp1252-pound", _bytes(GOOD_CSV.replace("Good", "Good \xa3").encode("cp1252")), ["widgets", "not UTF-8"]),
    ("bom", _bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode()), ["widgets", "byte-order mark"]),
    ("hash-mismatch", _mismatch(GOOD_CSV.replace("1.5", "9.5").encode()), ["widgets", "hash"]),
    ("bytes-mismatch", _descriptor(lambda r: r.update(bytes=3)), ["widgets", "bytes"]),
    ("invalid-json", _raw_descriptor('{"name": "widgets", '), ["widgets", "not valid JSON", "line 1"]),
    ("missing-properties", _raw_descriptor('{"name": "widgets"}'), ["widgets", "required properties", "resources"]),
    ("absolute-path", _descriptor(lambda r: r.update(path="/etc/passwd")), ["widgets", "refused", "/etc/passwd"]),
    ("dotdot-path", _descriptor(lambda r: r.update(path="../local-authorities/local-authorities.csv")), ["widgets", "refused", ".."]),
    ("very-large-file", _data(GOOD_CSV + "".join(f"2{i:05d},2024,Good,1,1\n" for i in range(40_000))),
     ["widgets", "over the limit"]),
    ("url-path", _descriptor(lambda r: r.update(path="https://example.org/widgets.csv")), ["widgets", "refused", "URL"]),
    # issue 18: leaks through symlinks and remote or unhonoured descriptors
    ("symlink-outside", _symlink_outside, ["widgets", "symlink", "outside the package folder"]),
    ("dialect-url", _descriptor(lambda r: r.update(dialect="https://example.org/dialect.json")),
     ["widgets", "`dialect` must be written inline", "refused"]),
    ("dialect-comment-char", _descriptor(lambda r: r.update(dialect={"commentChar": "2"})),
     ["widgets", "commentChar", "refused"]),
    ("schema-string", _descriptor(lambda r: r.update(schema="schema.json")),
     ["widgets", "`schema` must be written inline", "schema.json"]),
    ("schema-url", _descriptor(lambda r: r.update(schema="https://example.org/schema.json")),
     ["widgets", "`schema` must be written inline", "refused"]),
    ("profile-url", _descriptor(lambda r: r.update({"$schema": "https://example.org/profile.json"})),
     ["widgets", "$schema", "standard Data Package profiles"]),
    # issue 18: values that pass a type check but publish nonsense
    ("infinite-rate", _data(replace_row(GOOD_CSV, "1.5", "inf")), ["widgets", "line 2", "rate", "finite"]),
    ("nan-rate", _data(replace_row(GOOD_CSV, "2.5", "NaN")), ["widgets", "line 3", "rate", "finite"]),
    ("year-9999", _data(replace_row(GOOD_CSV, "201,2024", "201,9999")), ["widgets", "line 2", "year", "9999"]),
    ("header-only", _data(GOOD_CSV.split("\n", 1)[0] + "\n"), ["widgets", "no data rows"]),
    ("no-final-newline", _data(GOOD_CSV.rstrip("\n")), ["widgets", "does not end with a newline"]),
    ("formula-equals", _data(replace_row(GOOD_CSV, "201,2024", "=1+2,2024")),
     ["widgets", "line 2", "la_code_old", "formula"]),
    ("formula-dde", _data(replace_row(GOOD_CSV, "202,2024", "+cmd|' /C calc'!A0,2024")),
     ["widgets", "line 3", "la_code_old", "formula"]),
    ("package-key-in-foreignKeys", _descriptor(lambda r: r["schema"].update(foreignKeys=r["schema"].pop(
        "x-packageForeignKeys"))), ["widgets", "x-packageForeignKeys", "not `foreignKeys`"]),
    ("formula-at", _data(replace_row(GOOD_CSV, "Good", "@SUM(A1)")), ["widgets", "line 2", "grade", "formula"]),
    # the periods a resource declares (x-expectedPeriods), no more and no fewer
    ("period-missing", _periods(GOOD_CSV, {"field": "year", "from": 2023, "to": 2024}),
     ["widgets", "field year", "widgets.csv has no row for expected period '2023'"]),
    ("period-unexpected", _periods(replace_row(GOOD_CSV, "202,2024", "202,2023"), {"field": "year", "periods": [2024]}),
     ["widgets", "line 3", "field year", "'2023' is not among the expected periods of widgets.csv"]),
    ("period-declaration-field", _periods(GOOD_CSV, {"field": "yr", "periods": [2024]}),
     ["widgets", "x-expectedPeriods", "'yr', which is not in the schema"]),
    ("period-declaration-shape", _periods(GOOD_CSV, {"field": "year", "from": 2024}),
     ["widgets", "x-expectedPeriods", "needs `periods`"]),
]


def tree_hashes(folder: Path, skip: tuple[str, ...] = (".cache",)) -> dict[str, str]:
    """Every file under `folder` (but `skip`) with its sha256: the same dict before and after = untouched."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*")) if not p.relative_to(folder).parts[0] in skip}


def leftovers(project: Path) -> list[str]:
    """Folders a run must never leave behind: staging sites and half-made package updates."""
    return [str(p) for pattern in ("_site.staging-*", "_site.old-*", "data/.update-*") for p in project.glob(pattern)]


def _hold_lock(project: Path):
    """Another writer holds the project's lock (this test process, through its own open file)."""
    lock = project / ".cache" / "writer.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock, "a+", encoding="utf-8")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write("`report build` (process 1)")
    handle.flush()
    return handle


def _foreign_folder(project: Path):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("my notes\n")


def _text_named_pdf(project: Path):
    (project / "notes.pdf").write_text("not a PDF\n")


def _chapter(edit):
    """index.qmd edited by `edit` (text -> text)."""
    def apply(project: Path):
        path = project / "index.qmd"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return apply


def _chapter_bytes(project: Path):
    path = project / "index.qmd"
    path.write_bytes(path.read_bytes().replace(b"widget rows.", b"widget rows \xa3."))


CHART_CELL = """
```{python}
#| label: fig-widgets
#| fig-cap: "Children by council"
from report.charts._base import finding
finding(alt.Chart(widgets).mark_bar(color="#12436D").encode(
            x=alt.X("children:Q", title="Children"), y=alt.Y("la_code_old:N", title=None)),
        title="Widgets by council", subtitle="Children, test data, 2024",
        description="Bar chart of children by council, for two councils.", data=widgets)
```
"""


# Each case: (id, set-up of the project (may return a handle to close after), `report` arguments, words the
# message must contain). The project, data/ and _site/ must be byte for byte as they were afterwards.
COMMAND_CASES = [
    ("site-dir-data", None, ["build", "--site-dir", "data"], ["--site-dir", "data", "refused"]),
    ("site-dir-package", None, ["build", "--site-dir", "data/widgets"], ["refused", "inside the project's data"]),
    ("site-dir-dot", None, ["build", "--site-dir", "."], ["refused", "contains the project"]),
    ("site-dir-parent", None, ["build", "--site-dir", ".."], ["refused", "contains the project"]),
    ("site-dir-chapters", None, ["build", "--site-dir", "index.qmd"], ["refused", "index.qmd"]),
    ("site-dir-foreign", _foreign_folder, ["build", "--site-dir", "mine"],
     ["mine", "not a site this tool wrote", "build-manifest.json"]),
    ("council-output-csv", None, ["build", "--council", "Camden", "--output", "data/widgets/widgets.csv"],
     ["--output", "widgets.csv", "refused"]),
    ("council-output-in-data", None, ["build", "--council", "Camden", "--output", "data/camden.pdf"],
     ["--output", "refused", "inside the project's data"]),
    ("council-output-not-pdf", _text_named_pdf, ["build", "--council", "Camden", "--output", "notes.pdf"],
     ["notes.pdf", "not a PDF this tool wrote"]),
    ("workers-zero", None, ["build", "--workers", "0"], ["--workers", "0 is refused"]),
    ("workers-negative", None, ["build", "--workers", "-1"], ["--workers", "-1 is refused"]),
    ("cell-timeout-zero", None, ["build", "--cell-timeout", "0"], ["--cell-timeout", "0 is refused"]),
    ("cell-timeout-negative", None, ["build", "--cell-timeout", "-5"], ["--cell-timeout", "-5 is refused"]),
    ("raw-html-script", _chapter(lambda t: t + "\nSee <script>alert(1)</script> here.\n"), ["build"],
     ["index.qmd:14", "raw HTML <script>", "{=html}"]),
    ("raw-html-img-onerror", _chapter(lambda t: t + '\n<img src=x onerror="alert(1)">\n'), ["build"],
     ["index.qmd:14", "raw HTML <img>"]),
    ("chapter-not-utf8", _chapter_bytes, ["build"], ["index.qmd:12", "not UTF-8"]),
    ("duplicate-section-id", _chapter(lambda t: t + "\n## One {#sec-one}\n\n## Two {#sec-one}\n"), ["build"],
     ["index.qmd:16", "#sec-one", "already used on line 14"]),
    ("missing-cross-ref", _chapter(lambda t: t + "\nAs @fig-nothing shows.\n"), ["build"],
     ["index.qmd:14", "chapter index", "@fig-nothing"]),
    ("front-matter-yaml-line", _chapter(lambda t: t.replace("packages: [widgets]", "packages: [widgets]: x")),
     ["build"], ["index.qmd:3", "not valid YAML", "mapping values"]),
    ("chapter-reads-csv-directly", _chapter(lambda t: t + "\n```{python}\nimport pandas as pd\n"
                                                      "raw = pd.read_csv('data/widgets/widgets.csv')\n```\n"),
     ["build"], ["index.qmd:16", "calls pd.read_csv() directly", "load(package, resource)"]),
    ("chart-draws-nothing", _chapter(lambda t: t + CHART_CELL.replace("fig-widgets", "fig-empty").replace(
        "alt.Chart(widgets)", "alt.Chart(widgets[widgets.children > 1000])")), ["build"],
     ["chart fig-empty of chapter index draws nothing", "no marks"]),
    ("build-while-locked", _hold_lock, ["build", "--force"], ["build refused", "is writing data/ or _site/ now"]),
    ("update-while-locked", _hold_lock, ["data", "update", "widgets", "data/widgets/widgets.csv"],
     ["data update refused", "is writing data/ or _site/ now"]),
]


def run_in_own_group(project: Path, *args: str, env: dict | None = None):
    """`report ARGS` as the leader of a new process group; (result, whether any of its group outlived it)."""
    process = subprocess.Popen([sys.executable, "-m", "report.cli", *args], cwd=project, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "REPORT_PROJECT": str(project), **(env or {})})
    stdout, stderr = process.communicate(timeout=600)
    deadline = time.monotonic() + 10  # a child that has just ended may not be reaped yet
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            left = False
            break
        if time.monotonic() > deadline:
            left = True
            break
        time.sleep(0.1)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), left


SLOW_CELL = "\n```{python}\nimport time\ntime.sleep(30)\n```\n"


def _chapters(**texts: str):
    """The project's chapters become `texts` ({file stem: chapter text}), in that order."""
    def apply(project: Path):
        for stem, text in texts.items():
            (project / f"{stem}.qmd").write_text(text, encoding="utf-8")
        names = ", ".join(f"{stem}.qmd" for stem in texts)
        (project / "_quarto.yml").write_text(
            f'book:\n  title: "Widgets"\n  date: "2026-01-01"\n  chapters: [{names}]\n', encoding="utf-8")
    return apply


def _kernels(project: Path):
    return processes_of(project, b"ipykernel")


def _staging(project: Path):
    return list(project.glob("_site.staging-*/build-manifest.json")) or list(project.glob("_site.staging-*/*.pdf"))


def _chart_worker(project: Path):
    return processes_of(project, b"spawn_main")


SLOW = _chapters(index=CHAPTER + SLOW_CELL)
CHART_THEN_SLOW = _chapters(index=CHAPTER + CHART_CELL, slow=CHAPTER.replace("Widgets", "Slow") + SLOW_CELL)

# Each case: (id, set-up of the project, when to send the signal (a test on the project), the signal). After
# it, `_site/` and `data/` are byte for byte as they were, no process started for the project is left, the
# writer lock is free, and no staging folder is left (after SIGKILL: once the next build has run).
INTERRUPTS = [
    ("sigterm-while-chapters-run", SLOW, _kernels, signal.SIGTERM),
    ("sigkill-while-chapters-run", SLOW, _kernels, signal.SIGKILL),
    ("sigterm-while-writing-the-site", _chapters(index=CHAPTER + CHART_CELL), _staging, signal.SIGTERM),
    ("sigterm-with-chart-worker", CHART_THEN_SLOW, _chart_worker, signal.SIGTERM),
    ("sigkill-with-chart-worker", CHART_THEN_SLOW, _chart_worker, signal.SIGKILL),
]
