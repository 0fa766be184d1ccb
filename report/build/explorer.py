"""The council explorer stage: every current council's figures and charts from one pass over the data.

The builder loads the explorer's packages once, computes every council's key figures in one go
(report.measures.councils), then draws each council's charts with the registered council chart functions
(report.charts.councils) on a pool of worker processes, one per core, each given the loaded frames once.
No kernel runs. The result (figures, chart specs, chart files) is cached under `.cache/explorer/`, keyed by
the hashes of the explorer's packages, the report code and the tool versions, so a build re-draws the
council charts only when one of those changed; the pages themselves are always written afresh (cheap).
"""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from report.build.cache import ChapterCache, chapter_key, kernel_code_hash, tool_versions

FIGURE_INPUTS = {
    "la_rates": "children-looked-after/la-rates", "referrals": "children-in-need/referrals",
    "protection": "children-in-need/child-protection", "caseload": "send/caseload",
    "lait": "spending/lait-spending", "authorities": "local-authorities/local-authorities",
    "inspections": "ofsted-inspections/inspections", "later": "ofsted-inspections/ilacs-after-march-2025",
    "organisations": "delivery-models/organisations", "served": "delivery-models/organisation-las",
}


@dataclass(frozen=True)
class Section:
    """One chart of a council's page: its heading, the chart function and the caption (`{name}`...)."""

    key: str
    heading: str
    chart: str
    caption: str


SECTIONS = [
    Section("care", "Children in care", "council_care_rate_against_region_and_england",
            "Children in care per 10,000 children under 18: {name}, {region} and England"),
    Section("ofsted", "Ofsted judgements", "council_ofsted_judgements",
            "Ofsted's overall judgements of {name}'s children's services"),
    Section("placements", "Who provides placements", "council_placements_by_provider",
            "Placements of {name}'s children in care by provider, beside England"),
    Section("spending", "Spending", "council_spending_by_block",
            "{name}'s children's social care spending by block, in real terms"),
]


# Council charts offer CSV and SVG downloads but no PNG: PNGs were 108 MB of a 169 MB site and a quarter
# of the explorer's time, and the SVG is the same picture at any size. True restores them.
PNG_DOWNLOADS = False


class ExplorerError(Exception):
    """The explorer cannot be built from these packages; the message says which are missing."""


AUTHORITIES = "local-authorities/local-authorities"  # the reference list: every worker needs all of it


def inputs() -> list[str]:
    """Every resource the explorer reads ("package/resource"): the figures' and the council charts'."""
    from report.charts import CHARTS

    refs = set(FIGURE_INPUTS.values())
    for section in SECTIONS:
        refs |= set(CHARTS[section.chart].inputs.values())
    return sorted(refs)


def packages_used() -> list[str]:
    return sorted({ref.split("/")[0] for ref in inputs()})


def wanted(packages: dict) -> bool:
    """Build the explorer when the data has the reference list of councils; fail if another input is absent."""
    if "local-authorities" not in packages:
        return False
    missing = [name for name in packages_used() if name not in packages]
    if missing:
        raise ExplorerError(f"the council explorer needs package(s) {', '.join(missing)}, not in data/")
    return True


def load_frames(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Each input resource, loaded once, by "package/resource"."""
    from report.data import load

    return {ref: load(*ref.split("/"), data_dir=data_dir) for ref in inputs()}


def build(project, packages: dict, workers: int | None, force: bool, say=print) -> tuple[dict, str]:
    """The explorer's payload (from the cache when its key matches) and what happened, for the build record."""
    store = ChapterCache(project.cache_dir / "explorer")
    code = kernel_code_hash(project.root / "report") if (project.root / "report").is_dir() \
        else kernel_code_hash(Path(__file__).parents[1])
    key = chapter_key(b"council explorer", {n: packages[n] for n in packages_used()}, code, tool_versions())
    payload, reason = (None, "forced") if force else store.lookup("councils", key)
    files = charts_dir(project)
    if payload is not None and files.is_dir():
        return payload, "reused"
    reason = reason.replace("chapter councils: ", "")
    say(f"  draw   council pages: {reason}")
    started = time.perf_counter()
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir(parents=True)
    payload = compute(project.data_dir, files, workers)
    store.store("councils", key, payload)
    say(f"  ok     council pages: {len(payload['councils'])} councils ({time.perf_counter() - started:.1f} s)")
    return payload, f"built: {reason}"


def charts_dir(project) -> Path:
    return project.cache_dir / "explorer" / "charts"


def compute(data_dir: Path, files: Path, workers: int | None) -> dict:
    """Figures for every council (here), charts for every council (on the pool); JSON-ready."""
    from report.build.explorer_data import council_records, index_rows

    frames = load_frames(data_dir)
    records = council_records(frames)
    codes = [r["code"] for r in records]
    drawn = draw_all(frames, codes, files, workers)
    for record in records:
        record["sections"] = drawn[record["code"]]
    return {"councils": records, "index": index_rows(frames)}


def draw_all(frames: dict, codes: list[str], files: Path, workers: int | None) -> dict[str, list[dict]]:
    """Every council's charts: in this process for one worker, else on a pool (one process per core)."""
    size = max(1, min(workers or _cores(), len(codes)))
    if size == 1:
        _start(frames, str(files))
        return dict(_draw_chunk(codes))
    chunks = [codes[i::size * 3] for i in range(size * 3)]  # interleaved: big and small councils mixed
    context = get_context("forkserver")
    context.set_forkserver_preload(["report.charts", "report.build.explorer", "report.build.downloads",
                                    "report.build.chartcheck", "vl_convert"])
    with ProcessPoolExecutor(size, mp_context=context, initializer=_start,
                             initargs=(frames, str(files))) as pool:
        results = pool.map(_draw_chunk, [c for c in chunks if c])
        return {code: sections for chunk in results for code, sections in chunk}


_WORKER: dict = {}


def _start(frames: dict, files: str) -> None:
    """A worker's one-off setup: the frames split by council, the house theme, no per-object validation."""
    import altair as alt

    from report import theme

    theme.enable()
    alt.data_transformers.disable_max_rows()
    _WORKER.update(parts=split_by_council(frames), files=Path(files))


def split_by_council(frames: dict) -> dict:
    """For each frame with council rows: the rows of no council (England, regions) and each council's rows."""
    parts = {}
    for name, frame in frames.items():
        if "la_code_old" not in frame or name == AUTHORITIES:
            parts[name] = (frame, {})
            continue
        own = frame["la_code_old"].notna()
        groups = {code: rows for code, rows in frame[own].groupby("la_code_old", sort=False, observed=True)}
        parts[name] = (frame[~own], groups)
    return parts


def frames_for(parts: dict, codes: list[str]) -> dict[str, pd.DataFrame]:
    """Each frame cut to England, the regions and the named councils' rows (what a council's charts read)."""
    out = {}
    for name, (shared, groups) in parts.items():
        if not groups and "la_code_old" not in shared:
            out[name] = shared
            continue
        pieces = [shared] + [groups[c] for c in codes if c in groups]
        frame = pd.concat(pieces) if len(pieces) > 1 else shared.copy()
        frame.attrs = dict(shared.attrs)
        out[name] = frame
    return out


def _draw_chunk(codes: list[str]) -> list[tuple[str, list[dict]]]:
    import altair as alt

    with alt.utils.schemapi.debug_mode(False):
        return [(code, draw_council(code)) for code in codes]


def draw_council(code: str) -> list[dict]:
    """One council's sections: each chart's spec, files and accessibility findings, or why it has none."""
    from report.charts import CHARTS
    from report.charts.councils import NoChart
    from report.measures.councils import council

    parts, files = _WORKER["parts"], _WORKER["files"]
    authorities = parts[AUTHORITIES][0]
    place = council(authorities, code)
    frames = frames_for(parts, [code, *place["predecessors"]])
    sections = []
    for section in SECTIONS:
        entry = CHARTS[section.chart]
        arguments = {arg: frames[ref] for arg, ref in entry.inputs.items()}
        try:
            chart = entry.function(**arguments, council=code)
        except NoChart as reason:
            sections.append({"key": section.key, "missing": str(reason).split(": ", 1)[-1]})
            continue
        label = f"fig-council-{place['slug']}-{section.key}"
        caption = section.caption.format(name=place["la_name"], region=place["region_name"])
        sections.append({"key": section.key, **render_chart(chart, label, caption, files, place["la_name"])})
    return sections


def render_chart(chart, label: str, caption: str, files: Path, where: str) -> dict:
    """Spec, Vega, static SVG, CSV/SVG/PNG files and the checks: what the chapters' charts get."""
    from report.build.chartcheck import accessibility_findings, runtime_problems
    from report.build.convert import Chart
    from report.build.downloads import write_chart_files
    from report.display import CHART_MIME, chart_bundle

    spec = chart.to_dict(validate=False)
    bundle = chart_bundle(spec)
    drawn = Chart(label, caption, spec, bundle[CHART_MIME]["vega"], bundle["image/svg+xml"])
    written = write_chart_files(files.parent, drawn, png=PNG_DOWNLOADS)
    findings = [asdict(f) for f in accessibility_findings(drawn, f"council page {where}")]
    return {"label": label, "caption": caption, "vegalite": spec, "vega": drawn.vega,
            "files": asdict(written), "findings": findings, "problems": runtime_problems(drawn, where)}


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
