"""The council explorer's pages: councils.html (the index) and council-<slug>.html for every council,
written with the site's templates and chart component from the explorer stage's payload."""

from __future__ import annotations

import html
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from report import fmt
from report.builder.chartdata import ChartTable, Column, chart_tables
from report.builder.children import die_with_parent
from report.builder.convert import Chart
from report.builder.downloads import ChartFiles, Download, csv_link, csv_text, inline_tables
from report.builder.site import chart_sources, narrow_json, source_entries
from report.builder.templating import (LINKS, SiteError, environment, page_context, plain_text, render,
                                       script_json)
from report.explorer.provider import SECTIONS
from report.fonts import FAMILY, font_files
from report.measures.councils import FIGURES

TEMPLATES = Path(__file__).parent / "templates"
INDEX = "councils.html"
FONTS = "assets/fonts/" + font_files()[0].name.rsplit("-", 1)[0] + "-{face}.woff2"  # the site's cuts of the chart font
STYLE = "assets/explorer.css"
UNITS = {"number": lambda v: fmt.number(v), "rate": lambda v: fmt.number(v), "pounds": lambda v: f"£{v:,.0f}"}
EXPORTS = [("svg", "SVG image"), ("png", "PNG image")]  # made in the browser from the drawn chart
THE = {"North East", "North West", "East Midlands", "West Midlands", "East of England", "South East", "South West"}


def page_name(record: dict) -> str:
    return f"council-{record['slug']}.html"


def write(payload: dict, out: Path, env, site, common: dict, card, bundle: str,
          pool: PagePool | None = None) -> tuple[list[Path], list[dict]]:
    """Every council page and the index; returns the pages and the accessibility shortfalls of the charts.
    With a `pool` the council pages are written by its worker processes, a run of councils each."""
    records = payload["councils"]
    problems = [p for r in records for s in r["sections"] for p in s.get("problems", [])]
    if problems:
        raise SiteError("council charts not fit to publish:\n" + "\n".join(problems))
    jobs = [(record, _neighbour(records, i - 1), _neighbour(records, i + 1)) for i, record in enumerate(records)]
    if pool is None:
        written = write_pages(jobs, out, site, common, card, bundle, env)
    else:
        size = -(-len(jobs) // pool.workers)
        runs = [pool.submit(write_pages, jobs[i:i + size], out, site, common, card, bundle)
                for i in range(0, len(jobs), size)]
        written = [page for run in runs for page in run.result()]
    written.append(write_index(payload, out, env, site, common, card))
    return written, shortfalls(records)


def write_pages(jobs: list[tuple], out: Path, site, common: dict, card, bundle: str, env=None) -> list[Path]:
    """The pages of (council, previous, next) in `jobs`: in the builder, or in a worker of a PagePool."""
    env = env or _worker_environment()
    template = env.get_template("chart.html")
    written = []
    for record, previous, following in jobs:
        base = site.book.get("site_url", "").rstrip("/")
        address = f"{base}/{page_name(record)}" if base else page_name(record)
        sections = [_section(record, s, template, address, site.book.get("license", "")) for s in record["sections"]]
        context = council_context(record, sections)
        context["sources"] = source_entries(record["figure_sources"])
        page = page_context(site, f"council-{record['slug']}", record["name"], page_name(record), "", card)
        page["description"] = (f"Children's services in {record['name']}: key figures beside {record['region']} "
                               "and England, Ofsted judgements, placements and spending.")
        page["previous"], page["next"] = previous, following
        page["styles"] = [STYLE]
        if any(s["figure"] for s in sections):
            page["scripts"] = [{"src": f"assets/{bundle}", "module": False},
                               {"src": "assets/charts.js", "module": False},
                               {"src": "assets/explorer.js", "module": False},
                               {"src": "assets/share.js", "module": False}]
        written.append(render(env, "council.html", out / page_name(record), page, common | {"council": context}))
    return written


_ENVIRONMENT: list = []  # a worker's template environment, made once


def _worker_environment():
    if not _ENVIRONMENT:
        _ENVIRONMENT.append(environment(TEMPLATES))
    return _ENVIRONMENT[0]


class PagePool:
    """Worker processes, one per core, that write council pages. They fork from a server that has imported
    the page code, started when the pool is made (before the PDF, say), so that start overlaps the build's
    other steps; the builder's own threads and sockets are never forked. Each dies with the build, even one
    killed with `kill -9` (report.builder.children)."""

    def __init__(self, workers: int):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["report.explorer.pages", "report.builder.site"])
        self.workers = workers
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=die_with_parent,
                                         initargs=(os.getpid(),))  # no worker outlives the build
        for _ in range(workers):
            self._pool.submit(_worker_environment)

    def submit(self, *args):
        return self._pool.submit(*args)

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, *_) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _section(record: dict, section: dict, template, address: str, licence: str) -> dict:
    meta = next(s for s in SECTIONS if s.key == section["key"])
    figure = _figure(section, template, address, licence) if "label" in section else None
    return {"key": meta.key, "heading": meta.heading, "figure": figure, "missing": section.get("missing", ""),
            "before": [], "after": section_notes(record, meta.key)}


def _figure(section: dict, template, address: str, licence: str) -> str:
    """The chart component of the chapters (templates/chart.html) without a static picture: the browser draws
    the chart from its Vega spec and makes the SVG and PNG downloads; the table and the CSV (a `data:` link) are
    in the page."""
    chart = Chart(section["label"], section["caption"], section["vegalite"], section["vega"],
                  narrow_vega=section.get("narrow_vega"))
    tables = chart_tables(chart.vegalite, chart.label)
    files = ChartFiles(tables, inline_tables(chart.label, tables))
    title = (chart.vegalite.get("title") or {}).get("text", chart.caption)
    files.share = {"url": f"{address}#{chart.label}", "embed": "", "title": title, "source": chart.source_text,
                   "licence": licence, "fonts": FONTS, "family": FAMILY}  # the browser adds title, source, licence and address to its exports
    caption = f"<figcaption>{html.escape(chart.caption)}</figcaption>"
    body = template.render(chart=chart, spec_json=script_json(chart.vega), svg="",
                           narrow_json=narrow_json(chart), narrow_svg="", caption_html=caption,
                           figure_name=plain_text(caption), sources=chart_sources(chart), files=files,
                           links=LINKS, exports=EXPORTS)
    return f'<figure id="{chart.label}" class="report-figure">\n{body}</figure>'


def council_context(record: dict, sections: list[dict]) -> dict:
    """What council.html shows besides the charts: figures as text, history, delivery, the figures' CSV."""
    figures = [{**f, **{f"{area}_text": _value(f[area], f["unit"]) for area in ("council", "region", "england")}}
               for f in record["figures"]]
    return {**record, "figures": figures, "sections": sections, "history": history(record),
            "delivery": delivery_text(record), "figures_csv": figures_csv(record),
            "region_text": ("the " if record["region"] in THE else "") + record["region"], "index": INDEX}


def _value(value, unit: str) -> str:
    return "not published" if value is None else UNITS[unit](value)


def history(record: dict) -> list[str]:
    """What reorganisation changed, and what that means for the figures (said, never papered over)."""
    name, notes = record["name"], []
    for item in record["former"]:
        if item["status"] == "merged":
            notes.append(f"On 1 April {item['until']}, {_former_name(item, name)} merged into {name}.")
        else:
            after = [f"the new {s} council" if s == item["la_name"] else s for s in item["successors"]]
            notes.append(f"On 1 April {item['until']}, {_former_name(item, name)} was split between "
                         f"{fmt.and_list(after)}; {name} took over part of its area.")
    with_data = [i for i in record["former"] if i.get("has_data", True)]
    without = [i for i in record["former"] if not i.get("has_data", True)]
    if with_data:
        names = fmt.and_list(dict.fromkeys(_former_name(i, name) for i in with_data))
        area = "a different area" if len(with_data) == 1 else "different areas"
        notes.append(f"{name}'s own figures begin with its first year ({record['first_year']} for children "
                     f"looked after on 31 March). Figures for {names} covered {area}, so they are "
                     f"never added to {name}'s: the chart of children in care and the Ofsted timeline show "
                     "them under their own names.")
    if without:
        names = fmt.and_list(dict.fromkeys(_former_name(i, name) for i in without))
        notes.append(f"The data begin after this change ({name}'s first figures are for "
                     f"{record['first_year']}), so they hold no figures for {names}.")
    return notes


def _former_name(item: dict, name: str) -> str:
    """A replaced council's name; "the former Dorset council" where a successor has the same name."""
    same = item["la_name"] == name or item["la_name"] in item["successors"]
    return f"the former {item['la_name']} council" if same else item["la_name"]


def section_notes(record: dict, key: str) -> list[str]:
    """Notes under a chart: what the data leave out for this council."""
    notes = []
    if key == "ofsted" and record["ungraded"]:
        dates = fmt.and_list(fmt.day_month_year(pd.Timestamp(i["date"])) for i in record["ungraded"])
        count = len(record["ungraded"])
        notes.append(f"Not shown: {fmt.count_words(count)} earlier {'inspection' if count == 1 else 'inspections'}"
                     f" of {record['name']} under frameworks that gave no overall grade (SLAC, 2009 to 2012), "
                     f"published {dates}.")
    if key == "ofsted" and record["later"]:
        later = record["later"]
        grade = f"an overall grade of {later['grade'].lower()}" if later["grade"] else "no overall grade"
        notes.append(f"A later inspection ({later['framework']}, report published "
                     f"{fmt.day_month_year(pd.Timestamp(later['date']))}) is not yet in Ofsted's official records; "
                     f"data-to-insight's scrape of the report, which is not an official statistic, gives it {grade}.")
    if key == "spending":
        notes.append("Gross spending on the four blocks of children's social care in councils' section 251 "
                     "returns: 2008-09 to 2013-14 from DfE's outturn files, 2016-17 on from LAIT; neither holds "
                     "2014-15 or 2015-16. Real terms use HM Treasury's GDP deflator.")
    return notes


def delivery_text(record: dict) -> list[str]:
    """Trusts and companies that run or ran the services, in words; or that none is recorded."""
    if not record["delivery"]:
        return [f"The report's delivery-models package records no trust or company running {record['name']}'s "
                "children's services: the council runs them itself."]
    out = []
    for link in record["delivery"]:
        start = fmt.day_month_year(pd.Timestamp(link["from"]))
        span = (f"has run {link['council']}'s children's services since {start}" if link["to"] is None else
                f"ran {link['council']}'s children's services from {start} until "
                f"{fmt.day_month_year(pd.Timestamp(link['to']))}")
        now = f" Now: {link['now']}." if link["now"] else ""
        out.append(f"{link['organisation']} ({link['model']}) {span}. Why it was set up: "
                   f"{link['why'][:1].lower()}{link['why'][1:]}.{now}")
    return out


def figures_csv(record: dict) -> Download:
    """council-<slug>-figures.csv, a `data:` link: the key figures table as data (the same guard as chart CSVs)."""
    names = {"council": record["name"], "region": record["region"], "england": "England"}
    columns = [Column("figure", "Figure"), Column("year", "Year")] + [Column(n, n) for n in names.values()]
    rows = [{"figure": FIGURES[i].label.format(year=f["period"]), "year": f["period"],
             **{names[a]: _csv_number(f[a]) for a in names}}
            for i, f in enumerate(record["figures"])]
    data = csv_text(ChartTable(columns, rows)).encode("utf-8")
    return csv_link(data, f"council-{record['slug']}-figures.csv")


def write_index(payload: dict, out: Path, env, site, common: dict, card) -> Path:
    """councils.html: every council, sortable and filterable in the page, with a CSV of every key figure."""
    rows = []
    for row in payload["index"]:
        grade = row["grade"] or "Not graded"
        when = f" ({fmt.month_year(pd.Timestamp(row['grade_date']))})" if row["grade_date"] else ""
        rows.append({**row, "href": f"council-{row['slug']}.html", "grade_text": grade + when,
                     "rate_value": "" if row["rate"] is None else f"{row['rate']:g}",
                     "rate_text": "not published" if row["rate"] is None else fmt.number(row["rate"]),
                     "trust_text": row["trust"]})
    csv = write_index_csv(payload, out)
    page = page_context(site, "councils", "Councils", INDEX, "", card)
    page["description"] = "Every council with children's services in England: figures, Ofsted grades and more."
    page["scripts"] = [{"src": "assets/explorer.js", "module": False}]
    page["styles"] = [STYLE]
    extra = {"rows": rows, "regions": sorted({r["region"] for r in rows}),
             "grades": [g for g in ["Outstanding", "Good", "Requires improvement", "Inadequate", "Not graded"]
                        if any((r["grade"] or "Not graded") == g for r in rows)],
             "trusts": [t for t in ("Yes", "Formerly", "No") if any(r["trust"] == t for r in rows)],
             "rate_year": rows[0]["rate_year"] if rows else "", "csv": csv,
             "sources": source_entries(payload["councils"][0]["figure_sources"]) if payload["councils"] else []}
    return render(env, "councils.html", out / INDEX, page, common | extra)


def write_index_csv(payload: dict, out: Path) -> Download:
    """councils.csv: one row per council, its index columns and every key figure beside region and England."""
    fields = ["la_code_old", "council", "region", "latest_grade", "latest_grade_framework", "latest_grade_published",
              "trust_or_company"]
    for figure in FIGURES:
        fields += [figure.key, f"{figure.key}_region", f"{figure.key}_england"]
    index = {row["code"]: row for row in payload["index"]}
    rows = []
    for record in payload["councils"]:
        row = index[record["code"]]
        line = {"la_code_old": record["code"], "council": record["name"], "region": record["region"],
                "latest_grade": row["grade"], "latest_grade_framework": row["grade_framework"],
                "latest_grade_published": row["grade_date"], "trust_or_company": row["trust"]}
        for f in record["figures"]:
            for area, suffix in (("council", ""), ("region", "_region"), ("england", "_england")):
                line[f["key"] + suffix] = _csv_number(f[area])
        rows.append(line)
    data = csv_text(ChartTable([Column(n, n) for n in fields], rows)).encode("utf-8")
    (out / "councils.csv").write_bytes(data)
    return Download("councils.csv", "CSV data", len(data))


def shortfalls(records: list[dict]) -> list[dict]:
    """Council charts below WCAG, one entry per kind of chart, for the accessibility statement."""
    entries: dict[str, dict] = {}
    for record in records:
        for section in record["sections"]:
            for finding in section.get("findings", []):
                entry = entries.setdefault(section["key"], {
                    "href": f"{page_name(record)}#{section['label']}", "councils": set(), "problems": [],
                    "heading": next(s.heading for s in SECTIONS if s.key == section["key"])})
                entry["councils"].add(record["code"])
                if finding["reader"] not in entry["problems"]:
                    entry["problems"].append(finding["reader"])
    return [{"href": e["href"], "problems": e["problems"],
             "figure": f"“{e['heading']}” chart on {len(e['councils'])} council page(s)"} for e in entries.values()]


def _csv_number(value: float | None):
    """Counts as whole numbers, rates and money to two decimal places."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def _neighbour(records: list[dict], i: int) -> dict | None:
    if 0 <= i < len(records):
        return {"href": page_name(records[i]), "title": records[i]["name"]}
    return None
