"""The council explorer stage: every current council's figures and charts from one pass over the data.

The builder loads the explorer's resources once and computes every council's key figures in one go
(report.measures.councils). Each kind of council chart is drawn and compiled to Vega once, from one council,
and every council's chart is that compiled spec with the council's own datasets, params and texts put in:
the chart functions (report/charts/councils.py) are split into a data step for all councils at once and a
drawing that reads only those parts. So no kernel runs and nothing is rendered per council (the kinds
compile on the build's chart worker): the browser draws the council charts from their Vega specs and makes
their SVG and PNG downloads.
The figures and each kind of chart are cached under `.cache/explorer/`, each keyed by the resources it
reads, the report code and the tool versions, so a build re-draws only what a changed resource feeds; the
pages themselves are always written afresh (cheap).
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from report import theme
from report.builder.cache import Key, Store, code_hash, sha256, tool_versions
from report.builder.chartcheck import colour_findings, contrast_findings, runtime_problems
from report.builder.convert import Chart
from report.builder.narrow import wrapped_title
from report.builder.render import WARM_UP, render_views
from report.charts import CHARTS
from report.charts.councils import STEPS
from report.data import load
from report.data.packages import read_package
from report.explorer.data import FIGURE_INPUTS, council_records, index_rows
from report.measures.councils import councils


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


AUTHORITIES = "local-authorities/local-authorities"  # the reference list of councils


def inputs() -> list[str]:
    """Every resource the explorer reads ("package/resource"): the figures' and the council charts'."""
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
    return {ref: load(*ref.split("/"), data_dir=data_dir) for ref in inputs()}


def build(project, force: bool, say=print, compiler: Executor | None = None) -> tuple[dict, str]:
    """The explorer's payload and what happened, for the build record. The figures and each kind of chart are
    cached apart, each keyed by the resources it reads: a new Ofsted release re-draws only the timelines, and
    a change to a resource no council page reads re-draws nothing (the source lines still name the new
    package versions: they are refreshed from the descriptors on every build)."""
    store = Store(project.cache_dir / "explorer")
    keys = cache_keys(project)
    cached, todo = {}, {}
    for name, key in keys.items():
        payload, reason = (None, "--force") if force else store.lookup(name, key, changed)
        if payload is not None:
            cached[name] = payload
        else:
            todo[name] = reason
    if not todo:
        return assemble(cached, project.data_dir), "reused"
    why = "; ".join(f"{name}: {reason}" for name, reason in todo.items())
    say(f"  draw   council pages ({why})")
    started = time.perf_counter()
    sections = [s for s in SECTIONS if s.key in todo]
    with _compiler(compiler, warm=bool(sections)) as compiler:
        frames = load_frames(project.data_dir)
        places = current_councils(frames)
        drawn = {section.key: draw_kind(section, frames, places, compiler) for section in sections}
        if "figures" in todo:  # while the worker compiles the charts
            cached["figures"] = {"councils": council_records(frames), "index": index_rows(frames)}
            store.write("figures", keys["figures"], cached["figures"])
        for name, kind in drawn.items():
            cached[name] = compiled(kind)
            store.write(name, keys[name], cached[name])
    say(f"  ok     council pages: {len(places)} councils, {len(sections)} kind(s) of chart drawn "
        f"({time.perf_counter() - started:.1f} s)")
    return assemble(cached, project.data_dir), f"built: {why}"


@contextmanager
def _compiler(given: Executor | None, warm: bool):
    """Where the chart kinds compile: the executor given (the build's chart worker, a process with vl-convert
    running), else a thread here, its engine started while the data load."""
    if given is not None:
        yield given
        return
    with ThreadPoolExecutor(1) as own:
        if warm:
            own.submit(render_views, WARM_UP, png=False)
        yield own


def cache_keys(project) -> dict[str, Key]:
    """One key for the figures and one per kind of chart: the bytes and schema of each resource it reads (by
    the hash the validated descriptor gives), the report code and the tool versions."""
    code = code_hash(Path(__file__).parents[1], skip=("builder",))  # figures, charts, these pages: not the engine
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
    before = old.get("resources", {})
    reasons = [f"{ref} changed" for ref, value in new["resources"].items() if before.get(ref) != value]
    reasons += ["report code changed"] if old.get("code") != new["code"] else []
    reasons += ["tools changed"] if old.get("tools") != new["tools"] else []
    return ", ".join(reasons) or "cache entry unusable"


def assemble(cached: dict, data_dir: Path) -> dict:
    """The figures' records with each council's sections, in page order: each chart as its kind's spec with
    the council's parts put in. Every source line credits the packages as they are now (a package's version
    moves when any of its resources changes)."""
    current = {name: read_package(data_dir / name).provenance() for name in packages_used()}

    def refresh(spec: dict) -> dict:
        report = spec.get("usermeta", {}).get("report", {})
        sources = [item | current.get(item["package"], {}) for item in report.get("sources", [])]
        return spec | {"usermeta": {"report": report | {"sources": sources}}}

    shapes = {s.key: [{"vegalite": refresh(shape["vegalite"]), "vega": refresh(shape["vega"]),
                       "narrow_vega": refresh(shape["narrow_vega"]),
                       "contrast": shape["contrast"], "problems": shape["problems"]}
                      for shape in cached[s.key]["shapes"]] for s in SECTIONS}
    records = [dict(r) for r in cached["figures"]["councils"]]
    for record in records:
        record["figure_sources"] = [item | current.get(item["package"], {}) for item in record["figure_sources"]]
        record["sections"] = [section_of(record, s, cached[s.key]["councils"][record["code"]], shapes[s.key])
                              for s in SECTIONS]
    return {"councils": records, "index": cached["figures"]["index"]}


def section_of(record: dict, section: Section, parts: dict, shapes: list[dict]) -> dict:
    """One chart of a council's page: label, caption, its full Vega-Lite and Vega specs, and what the checks
    found (its kind's contrast, checked once on the drawn spec; its own colours, checked here)."""
    if "missing" in parts:
        return {"key": section.key, "missing": parts["missing"]}
    shape = shapes[parts["shape"]]
    label = f"fig-council-{record['slug']}-{section.key}"
    caption = section.caption.format(name=record["name"], region=record["region"])
    vegalite, vega = fill(shape["vegalite"], shape["vega"], parts)
    narrow_vega = fill_vega(shape["narrow_vega"], parts, narrow=True)
    where = f"council page {record['name']}"
    findings = [f | {"label": label, "where": where} for f in shape["contrast"]]
    findings += [asdict(f) for f in colour_findings(Chart(label, caption, vegalite), where)]
    return {"key": section.key, "label": label, "caption": caption, "vegalite": vegalite, "vega": vega,
            "narrow_vega": narrow_vega,
            "findings": findings, "problems": [f"{where}: {p}" for p in shape["problems"]]}


def fill(vegalite: dict, vega: dict, parts: dict) -> tuple[dict, dict]:
    """A kind's Vega-Lite and compiled Vega specs with one council's datasets, params and texts put in."""
    datasets, params = parts["datasets"], parts["params"]
    title = {"text": parts["title"], "subtitle": parts["subtitle"]}
    vegalite = vegalite | {"datasets": datasets, "title": vegalite["title"] | title,
                           "description": parts["description"]}
    if params:
        vegalite["params"] = [p | {"value": params[p["name"]]} if p["name"] in params else p
                              for p in vegalite["params"]]
    return vegalite, fill_vega(vega, parts)


def fill_vega(vega: dict, parts: dict, narrow: bool = False) -> dict:
    """A kind's compiled Vega spec with one council's datasets, params and texts put in; for its phone form
    (`narrow`), the title and subtitle wrapped as report/builder/narrow.py wraps them."""
    datasets, params = parts["datasets"], parts["params"]
    title = {"text": parts["title"], "subtitle": parts["subtitle"]}
    title = wrapped_title(title) if narrow else title
    return vega | {"title": vega["title"] | title, "description": parts["description"],
                   "data": [d | {"values": datasets[d["name"]]} if d["name"] in datasets else d for d in vega["data"]],
                   "signals": [s | {"value": params[s["name"]]} if s["name"] in params else s
                               for s in vega.get("signals", [])]}


def _emptied(vega: dict, parts: dict) -> dict:
    return vega | {"data": [d | {"values": []} if d["name"] in parts["datasets"] else d for d in vega["data"]]}


def current_councils(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """Code and name of every current council, in the order of their pages."""
    table = councils(frames[AUTHORITIES])
    return [{"code": code, "name": name} for code, name in zip(table["la_code_old"], table["la_name"])]


def draw_kinds(sections: list[Section], frames: dict[str, pd.DataFrame], records: list[dict],
               compiler: Executor) -> dict[str, dict]:
    """Each named kind of chart for every council in `records`, its shapes compiled by `compiler`."""
    drawn = {section.key: draw_kind(section, frames, records, compiler) for section in sections}
    return {key: compiled(kind) for key, kind in drawn.items()}


def compiled(kind: dict) -> dict:
    """A drawn kind with its shapes' compiles waited for."""
    return kind | {"shapes": [future.result() for future in kind["shapes"]]}


def draw_kind(section: Section, frames: dict[str, pd.DataFrame], records: list[dict], compiler: Executor) -> dict:
    """One kind of chart for every council: the spec drawn once per shape (councils whose parts share their
    literals) and compiled by `compiler` (futures of `compile_shape`), and each council's parts, or why it
    has no chart."""
    theme.enable()
    entry, steps = CHARTS[section.chart], STEPS[section.chart]
    arguments = {arg: frames[ref] for arg, ref in entry.inputs.items()}
    found = steps.parts(**arguments, codes=[r["code"] for r in records])
    shapes, which, councils = [], {}, {}
    for record in records:
        parts = found[record["code"]]
        if isinstance(parts, str):
            councils[record["code"]] = {"missing": parts.split(": ", 1)[-1]}
            continue
        own = {name: getattr(parts, name) for name in ("datasets", "params", "title", "subtitle", "description")}
        shape = json.dumps(parts.literals, sort_keys=True)
        if shape not in which:
            which[shape] = len(shapes)
            chart = steps.draw(parts, list(arguments.values()))
            shapes.append(compiler.submit(compile_shape, chart.to_dict(validate=False), own,
                                          f"{section.heading} ({record['name']})"))
        councils[record["code"]] = own | {"shape": which[shape]}
    return {"shapes": shapes, "councils": councils}


def compile_shape(spec: dict, parts: dict, where: str) -> dict:
    """A kind's spec without its council's data (Vega-Lite and Vega), the contrast of its drawing and what
    stops the site's runtime drawing it. Putting the council's parts back must give the compiled spec: else
    the drawing wrote data into the spec outside its datasets, params and texts."""
    vega, svg, _, narrow_vega, _ = render_views(spec, png=False)
    drawn = Chart("fig-council", "", spec, vega, svg)
    vegalite = {key: value for key, value in spec.items() if key != "datasets"}
    empty, narrow_empty = (_emptied(v, parts) for v in (vega, narrow_vega))
    if fill(vegalite, empty, parts)[1] != vega or fill_vega(narrow_empty, parts, narrow=True) != narrow_vega:
        raise ValueError(f"council chart {where}: the compiled spec holds data outside the council's parts")
    return {"vegalite": vegalite, "vega": empty, "narrow_vega": narrow_empty,
            "contrast": [asdict(f) for f in contrast_findings(drawn, where)],
            "problems": [p.split(": ", 1)[-1] for p in runtime_problems(drawn, where)]}
