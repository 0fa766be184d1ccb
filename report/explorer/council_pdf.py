"""`report build --council NAME`: a short PDF profile of one council, from the explorer's figures and charts."""

from __future__ import annotations

import difflib
import shutil
import tempfile
from pathlib import Path

from report import theme
from report.builder.convert import source_line
from report.builder.pdf import write_pdf
from report.builder.pipeline import book_settings
from report.builder.render import render_views
from report.builder.templating import long_date
from report.builder.validation import validate_cached
from report.charts import CHARTS
from report.charts.councils import NoChart
from report.explorer import provider as explorer
from report.explorer.data import council_records
from report.explorer.pages import _value, delivery_text, history, section_notes

TEMPLATE = Path(__file__).parent / "templates" / "council.typ"


class CouncilError(Exception):
    """No current council matches the name; the message lists the closest."""


def find(records: list[dict], query: str) -> dict:
    """The council named (any case), numbered (DfE "330" or ONS "E08000025") or slugged ("bristol-city-of")."""
    wanted = query.strip().lower()
    for record in records:
        if wanted in (record["name"].lower(), record["code"], str(record["la_code"]).lower(), record["slug"]):
            return record
    names = [r["name"] for r in records]
    close = difflib.get_close_matches(query, names, n=5, cutoff=0.5)
    close += [n for n in names if wanted and wanted in n.lower() and n not in close][:5 - len(close)]
    hint = f"; did you mean {', '.join(repr(n) for n in close)}?" if close else \
        "; use a council's name, its DfE number (e.g. 330) or its ONS code"
    raise CouncilError(f"no current council called {query!r}{hint}")


def write_profile(project, query: str, output: Path | None = None, say=print) -> Path:
    """Validate the data, compute one council's figures and charts, and compile its profile with Typst."""
    packages = validate_cached(project, say)
    if explorer.missing(packages):
        raise CouncilError(f"a council profile needs package(s) {', '.join(explorer.missing(packages))}, "
                           "not in data/")
    frames = explorer.load_frames(project.data_dir)
    record = find(council_records(frames), query)
    output = Path(output) if output else project.root / f"council-{record['slug']}.pdf"
    with tempfile.TemporaryDirectory(prefix="council-") as folder:
        work = Path(folder)
        record["sections"] = draw_sections(frames, record, work / "charts")
        meta = profile_meta(record, book_settings(project), packages, work)
        compile_pdf(meta, work, output)
    say(f"wrote {output}")
    return output


def draw_sections(frames: dict, record: dict, charts: Path) -> list[dict]:
    """The council's charts drawn by the chart functions, each as a static SVG in `charts` (the PDF's vector
    graphics), or why it has none."""
    theme.enable()
    charts.mkdir(parents=True, exist_ok=True)
    sections = []
    for section in explorer.SECTIONS:
        entry = CHARTS[section.chart]
        try:
            chart = entry.function(**{arg: frames[ref] for arg, ref in entry.inputs.items()}, council=record["code"])
        except NoChart as reason:
            sections.append({"key": section.key, "missing": str(reason).split(": ", 1)[-1]})
            continue
        spec = chart.to_dict(validate=False)
        label = f"fig-council-{record['slug']}-{section.key}"
        (charts / f"{label}.svg").write_text(render_views(spec, png=False)[1], encoding="utf-8")
        sections.append({"key": section.key, "label": label, "vegalite": spec,
                         "caption": section.caption.format(name=record["name"], region=record["region"])})
    return sections


def profile_meta(record: dict, book: dict, packages: dict, work: Path) -> dict:
    """Everything council.typ prints, as plain text (the same sentences as the council's web page)."""
    sections = []
    for section in record["sections"]:
        meta = next(s for s in explorer.SECTIONS if s.key == section["key"])
        chart = None
        if "label" in section:
            sources = section["vegalite"]["usermeta"]["report"]["sources"]
            chart = {"file": f"charts/{section['label']}.svg", "alt": section["vegalite"]["description"],
                     "caption": section["caption"],
                     "source": "Source: " + "; ".join(source_line(s) for s in sources) + "."}
        sections.append({"heading": meta.heading, "chart": chart, "missing": section.get("missing", ""),
                         "after": section_notes(record, meta.key)})
    figures = [{**f, **{f"{a}_text": _value(f[a], f["unit"]) for a in ("council", "region", "england")}}
               for f in record["figures"]]
    council = {"name": record["name"], "region": record["region"], "history": history(record),
               "figures": figures, "sections": sections, "delivery": delivery_text(record),
               "source_text": "; ".join(source_line(s) for s in record["figure_sources"]) + "."}
    return {"title": f"{record['name']}: children's services profile", "author": book["author"],
            "book_title": book["short_title"], "edition": book["edition"], "date": book["date"],
            "date_text": long_date(book["date"]), "council": council,
            "versions": ", ".join(f"{n} {packages[n]['version']}" for n in explorer.packages_used())}


def compile_pdf(meta: dict, work: Path, output: Path) -> Path:
    """council.typ with the chart SVGs the drawing left in `work/charts/`."""
    charts = {p.stem: p.read_text(encoding="utf-8") for p in work.glob("charts/*.svg")}
    output.parent.mkdir(parents=True, exist_ok=True)
    typst_work = work / "typst"
    write_pdf("", charts, meta, typst_work, output, template=TEMPLATE)
    shutil.rmtree(typst_work, ignore_errors=True)
    return output
