"""The council explorer stage: every current council's figures and charts from one pass over the data.

The builder loads the explorer's resources once, computes every council's key figures in one go
(report.measures.councils), then draws each council's charts with the registered council chart functions
(report.charts.councils) on a pool of worker processes, one per core, each given the loaded frames once.
No kernel runs. The figures and each kind of chart (figures, spec, files) are cached under
`.cache/explorer/`, each keyed by the resources it reads, the report code and the tool versions, so a build
re-draws only what a changed resource feeds; the pages themselves are always written afresh (cheap).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from report.build.cache import Key, kernel_code_hash, sha256, tool_versions
from report.data.packages import read_package

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


# Council charts offer the same downloads as the chapters' (CSV, SVG, PNG). The PNGs are most of the site's
# size (about 110 MB for some 600 charts) and a quarter of the explorer's time; False leaves them out.
PNG_DOWNLOADS = True


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


def missing(packages: dict) -> list[str]:
    """The explorer's packages that the data lacks (none: the explorer is built)."""
    return [name for name in packages_used() if name not in packages]


def load_frames(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Each input resource, loaded once, by "package/resource"."""
    from report.data import load

    return {ref: load(*ref.split("/"), data_dir=data_dir) for ref in inputs()}


def build(project, workers: int | None, force: bool, say=print) -> tuple[dict, str]:
    """The explorer's payload and what happened, for the build record. The figures and each kind of chart are
    cached apart, each keyed by the resources it reads: a new Ofsted release re-draws only the timelines, and
    a change to a resource no council page reads re-draws nothing (the source lines still name the new
    package versions: they are refreshed from the descriptors on every build)."""
    store = PartStore(project.cache_dir / "explorer")
    keys = cache_keys(project)
    cached, todo = {}, {}
    for name, key in keys.items():
        entry, problem = (None, "--force") if force else store.read(name)
        if entry is not None and entry["key"] == key.digest and \
                (name == "figures" or section_dir(project, name).is_dir()):
            cached[name] = entry["payload"]
        else:
            todo[name] = problem or changed(entry["parts"] if entry else None, key.parts)
    if not todo:
        return assemble(cached, project.data_dir), "reused"
    why = "; ".join(f"{name}: {reason}" for name, reason in todo.items())
    say(f"  draw   council pages ({why})")
    started = time.perf_counter()
    frames = load_frames(project.data_dir)
    if "figures" in todo:
        from report.build.explorer_data import council_records, index_rows

        cached["figures"] = {"councils": council_records(frames), "index": index_rows(frames)}
        store.store("figures", keys["figures"], cached["figures"])
    sections = [s.key for s in SECTIONS if s.key in todo]
    for name in sections:
        shutil.rmtree(section_dir(project, name).parent, ignore_errors=True)
        section_dir(project, name).mkdir(parents=True)
    codes = [r["code"] for r in cached["figures"]["councils"]]
    drawn = draw_all(frames, codes, sections, project.cache_dir / "explorer", workers) if sections else {}
    for name in sections:
        cached[name] = {code: next(s for s in drawn[code] if s["key"] == name) for code in codes}
        store.store(name, keys[name], cached[name])
    say(f"  ok     council pages: {len(codes)} councils, {len(sections)} kind(s) of chart drawn "
        f"({time.perf_counter() - started:.1f} s)")
    return assemble(cached, project.data_dir), f"built: {why}"


class PartStore:
    """`.cache/explorer/<part>.json`: a header line (key, parts, checksum of the payload's bytes), then the
    payload. Written atomically; a damaged entry is reported and drawn again, never used."""

    def __init__(self, folder: Path):
        self.folder = folder

    def read(self, name: str) -> tuple[dict | None, str | None]:
        path = self.folder / f"{name}.json"
        if not path.exists():
            return None, None
        try:
            header, _, body = path.read_bytes().partition(b"\n")
            entry = json.loads(header)
            if sha256(body) != entry["sha256"]:
                return None, "cache entry corrupted (checksum mismatch)"
            return entry | {"payload": json.loads(body)}, None
        except (ValueError, KeyError, TypeError):
            return None, "cache entry unreadable"

    def store(self, name: str, key: Key, payload) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        header = json.dumps({"key": key.digest, "parts": key.parts, "sha256": sha256(body)}).encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(header + b"\n" + body)
        os.replace(temp, self.folder / f"{name}.json")


def cache_keys(project) -> dict[str, Key]:
    """One key for the figures and one per kind of chart: the bytes and schema of each resource it reads (by
    the hash the validated descriptor gives), the report code and the tool versions."""
    from report.charts import CHARTS

    code = kernel_code_hash(project.root / "report") if (project.root / "report").is_dir() \
        else kernel_code_hash(Path(__file__).parents[1])
    tools = tool_versions()
    reads = {"figures": FIGURE_INPUTS.values()} | {s.key: CHARTS[s.chart].inputs.values() for s in SECTIONS}
    found = {}
    for ref in inputs():
        name, resource = ref.split("/")
        package = read_package(project.data_dir / name)
        spec = package.resource(resource)
        schema = sha256(json.dumps(spec.get("schema", {}), sort_keys=True))
        found[ref] = {"hash": spec.get("hash", ""), "schema": schema}
    return {name: Key({"resources": {ref: found[ref] for ref in sorted(set(refs))}, "code": code, "tools": tools})
            for name, refs in reads.items()}


def changed(old: dict | None, new: dict) -> str:
    """Why a cached part must be drawn again, in words."""
    if old is None:
        return "not built before"
    before = old.get("resources", {})
    reasons = [f"{ref} changed" for ref, value in new["resources"].items() if before.get(ref) != value]
    reasons += ["report code changed"] if old.get("code") != new["code"] else []
    reasons += ["tools changed"] if old.get("tools") != new["tools"] else []
    return ", ".join(reasons) or "cache entry unusable"


def assemble(cached: dict, data_dir: Path) -> dict:
    """The figures' records with each council's sections, in page order; every source line credits the
    packages as they are now (a package's version moves when any of its resources changes)."""
    current = {name: read_package(data_dir / name).provenance() for name in packages_used()}

    def refresh(items: list[dict]) -> list[dict]:
        return [item | current.get(item["package"], {}) for item in items]

    records = [dict(r) for r in cached["figures"]["councils"]]
    for record in records:
        record["figure_sources"] = refresh(record["figure_sources"])
        record["sections"] = []
        for section in (dict(cached[s.key][record["code"]]) for s in SECTIONS):
            for spec in ("vegalite", "vega"):
                if spec in section:
                    report = section[spec].get("usermeta", {}).get("report", {})
                    section[spec] = section[spec] | {"usermeta": {"report": report | {
                        "sources": refresh(report.get("sources", []))}}}
            record["sections"].append(section)
    return {"councils": records, "index": cached["figures"]["index"]}


def section_dir(project, name: str) -> Path:
    """Where one kind of council chart keeps its files: `.cache/explorer/<kind>/charts/`."""
    return project.cache_dir / "explorer" / name / "charts"


def chart_dirs(project) -> list[Path]:
    return [section_dir(project, s.key) for s in SECTIONS]


def draw_all(frames: dict, codes: list[str], sections: list[str], root: Path,
             workers: int | None) -> dict[str, list[dict]]:
    """The named kinds of chart for every council, files under `root/<kind>/charts/`: in this process for
    one worker, else on a pool of processes (one per core), each given the frames once."""
    size = max(1, min(workers or _cores(), len(codes)))
    if size == 1:
        _start(frames, str(root), sections)
        return dict(_draw_chunk(codes))
    chunks = [codes[i::size * 3] for i in range(size * 3)]  # interleaved: big and small councils mixed
    context = get_context("forkserver")
    context.set_forkserver_preload(["report.charts", "report.build.explorer", "report.build.downloads",
                                    "report.build.chartcheck", "vl_convert"])
    with ProcessPoolExecutor(size, mp_context=context, initializer=_start,
                             initargs=(frames, str(root), sections)) as pool:
        results = pool.map(_draw_chunk, [c for c in chunks if c])
        return {code: sections for chunk in results for code, sections in chunk}


_WORKER: dict = {}


def _start(frames: dict, root: str, sections: list[str]) -> None:
    """A worker's one-off setup: the frames split by council, the house theme, which charts to draw where."""
    import altair as alt

    from report import theme

    theme.enable()
    alt.data_transformers.disable_max_rows()
    _WORKER.update(parts=split_by_council(frames), root=Path(root), sections=sections)


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

    parts, root = _WORKER["parts"], _WORKER["root"]
    authorities = parts[AUTHORITIES][0]
    place = council(authorities, code)
    frames = frames_for(parts, [code, *place["predecessors"]])
    sections = []
    for section in (s for s in SECTIONS if s.key in _WORKER["sections"]):
        entry = CHARTS[section.chart]
        arguments = {arg: frames[ref] for arg, ref in entry.inputs.items()}
        try:
            chart = entry.function(**arguments, council=code)
        except NoChart as reason:
            sections.append({"key": section.key, "missing": str(reason).split(": ", 1)[-1]})
            continue
        label = f"fig-council-{place['slug']}-{section.key}"
        caption = section.caption.format(name=place["la_name"], region=place["region_name"])
        files = root / section.key
        sections.append({"key": section.key, **render_chart(chart, label, caption, files, place["la_name"])})
    return sections


def render_chart(chart, label: str, caption: str, files: Path, where: str) -> dict:
    """Spec, Vega, static SVG, CSV/SVG/PNG files (in `files/charts/`) and the checks: what chapters' charts get
    (the same renderer, report/build/render.py, and the same files, report/build/downloads.py)."""
    from report.build.chartcheck import accessibility_findings, runtime_problems
    from report.build.convert import Chart
    from report.build.downloads import write_chart_files
    from report.build.render import render_views

    spec = chart.to_dict(validate=False)
    vega, svg, png = render_views(spec, png=PNG_DOWNLOADS)
    drawn = Chart(label, caption, spec, vega, svg, png)
    written = write_chart_files(files, drawn, png=PNG_DOWNLOADS)
    findings = [asdict(f) for f in accessibility_findings(drawn, f"council page {where}")]
    kept = {k: spec[k] for k in ("title", "description", "usermeta") if k in spec}  # the data is in `vega`
    return {"label": label, "caption": caption, "vegalite": kept, "vega": vega,
            "files": asdict(written), "findings": findings, "problems": runtime_problems(drawn, where)}


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
