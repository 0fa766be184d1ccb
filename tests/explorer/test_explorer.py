"""The council explorer stage and pages: which data it needs, one page per council with the figures of the CSVs,
the index, the cache that re-draws only when the explorer's packages change, and the PDF profile."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest

from report.builder.cache import Store
from report.builder.site import Card, Site, common_context, environment
from report.explorer import provider as explorer
from report.explorer import pages as explorer_pages
from report.explorer.council_pdf import CouncilError, find
from report.explorer.data import council_records, index_rows
from report.explorer.plugin import CouncilPages
from report.measures import councils
from tests.conftest import ROOT, pdf_text, run_report
from tests.measures.test_councils import CHOSEN, areas, latest, read_csv, value

RECORDS = [{"name": "Bristol, City of", "code": "801", "la_code": "E06000023", "slug": "bristol-city-of"},
           {"name": "Bath and North East Somerset", "code": "800", "la_code": "E06000022",
            "slug": "bath-and-north-east-somerset"}]


def test_a_council_is_found_by_name_number_ons_code_or_page_name():
    for query in ("bristol, city of", "801", "E06000023", "bristol-city-of", " Bristol, City of "):
        assert find(RECORDS, query)["code"] == "801"
    with pytest.raises(CouncilError, match="did you mean 'Bristol, City of'"):
        find(RECORDS, "Bristol City")
    with pytest.raises(CouncilError, match="DfE number"):
        find(RECORDS, "Atlantis")


def test_the_explorer_is_built_when_the_data_has_every_package_it_reads():
    everything = {name: {} for name in explorer.packages_used()}
    assert explorer.missing(everything) == []
    assert "local-authorities" in explorer.missing({"widgets": {}})
    del everything["placements"]
    assert explorer.missing(everything) == ["placements"]


def draw_councils(codes: list[str]) -> tuple[dict, dict]:
    """The explorer's payload for some councils, drawn as the build draws them, and the frames."""
    frames = explorer.load_frames(ROOT / "data")
    records = [r for r in council_records(frames) if r["code"] in codes]
    with ThreadPoolExecutor(1) as compiler:
        drawn = explorer.draw_kinds(explorer.SECTIONS, frames, records, compiler)
    cached = {"figures": {"councils": records, "index": index_rows(frames)}} | drawn
    return explorer.assemble(cached, ROOT / "data"), frames


@pytest.fixture(scope="module")
def sampled():
    """Councils with a trust, new, merged, split, tiny (no child placed) and plain."""
    return draw_councils(["805", "330", "942", "839", "940", "420", "202"])


@pytest.mark.parametrize("section", explorer.SECTIONS, ids=lambda s: s.key)
def test_each_councils_chart_is_its_chart_function_drawn_for_that_council(section, sampled):
    """One compiled spec per kind, each council's parts put in, gives what drawing the council alone gives."""
    from report import theme
    from report.charts import CHARTS
    from report.charts.councils import NoChart
    from report.display import CHART_MIME, chart_bundle

    payload, frames = sampled
    theme.enable()
    entry = CHARTS[section.chart]
    for record in payload["councils"]:
        drawn = next(s for s in record["sections"] if s["key"] == section.key)
        try:
            alone = entry.function(**{a: frames[ref] for a, ref in entry.inputs.items()}, council=record["code"])
        except NoChart as reason:
            assert drawn["missing"] and drawn["missing"] in str(reason)
            continue
        spec = alone.to_dict(validate=False)
        assert drawn["vega"] == chart_bundle(spec)[CHART_MIME]["vega"]
        assert drawn["vegalite"]["datasets"] == spec["datasets"]
        assert record["name"] in drawn["vegalite"]["description"]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """Two councils' pages and the index, written as the build writes them (charts drawn in this process)."""
    out = tmp_path_factory.mktemp("explorer") / "_site"
    out.mkdir()
    payload, _ = draw_councils(["805", "942"])
    book = {"title": "T", "short_title": "T", "date": "2026-11-26", "edition": "E", "author": "A"}
    site = Site(book, [], {"href": "report.pdf", "size": "1 MB"},
                licences=[{"title": "OGL", "path": "", "count": 1}])
    common = common_context(site, [], [CouncilPages.link])
    pages, shortfalls = explorer_pages.write(payload, out, environment(explorer_pages.TEMPLATES), site, common,
                                             Card("assets/card.png", "card", 1, 1), "vega.js")
    return out, pages, shortfalls, payload


def test_each_council_page_has_its_figures_charts_sources_and_downloads(small_site):
    out, pages, shortfalls, _ = small_site
    assert {p.name for p in pages} == {"council-hartlepool.html", "council-cumberland.html", "councils.html"}
    assert shortfalls == []
    page = (out / "council-cumberland.html").read_text(encoding="utf-8")
    assert page.count('<div class="chart" id="chart-fig-council-cumberland-') == 4
    for key in ("care", "ofsted", "placements", "spending"):
        header = linked_csv(page, f"fig-council-cumberland-{key}.csv").splitlines()[0]
        assert len(header.split(",")) >= 2
        for ext in ("svg", "png"):  # made in the browser from the drawn chart (tests/browser/test_explorer.py)
            assert f'data-export="{ext}" data-file="fig-council-cumberland-{key}.{ext}"' in page
    assert "Cumbria was split between Cumberland and Westmorland and Furness" in unescape(page)
    assert linked_csv(page, "council-cumberland-figures.csv").startswith("Figure,Year,Cumberland,")
    assert page.count('class="chart-source"') == 5  # the figures table and each chart
    assert 'aria-current="page"' not in page.split('<nav class="site-links"')[1].split("</nav>")[0]


def linked_csv(page: str, name: str) -> str:
    """The CSV a page's `data:` download link saving as `name` holds."""
    found = re.findall(rf'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="{re.escape(name)}"', page)
    assert len(found) == 1, name
    return base64.b64decode(found[0]).decode("utf-8")


def test_the_figures_csv_holds_the_tables_values(small_site):
    out, _, _, payload = small_site
    text = linked_csv((out / "council-hartlepool.html").read_text(encoding="utf-8"), "council-hartlepool-figures.csv")
    header, *rows = [line.split(",") for line in text.strip().splitlines()]
    assert header == ["Figure", "Year", "Hartlepool", "North East", "England"]
    record = next(r for r in payload["councils"] if r["code"] == "805")
    assert len(rows) == len(councils.FIGURES) == len(record["figures"])


def test_the_index_lists_every_council_with_its_grade_rate_and_trust(small_site):
    out, _, _, payload = small_site
    page = (out / "councils.html").read_text(encoding="utf-8")
    links = re.findall(r'<th scope="row" data-value="[^"]*"><a href="(council-[^"]+\.html)">', page)
    assert len(links) == len(payload["index"]) == len(councils.councils(
        explorer.load_frames(ROOT / "data")[explorer.AUTHORITIES]))
    assert '<script src="assets/explorer.js" defer>' in page and "<form" in page and " hidden>" in page
    lines = (out / "councils.csv").read_bytes().split(b"\r\n")
    assert len(lines) == len(payload["councils"]) + 2 and lines[-1] == b""
    protection = read_csv("children-in-need", "child-protection")
    plans = int(value(protection, "cpp_at31", "Local authority", "805", latest(protection)))
    assert f",{plans},".encode() in next(line for line in lines if b"Hartlepool" in line)  # a count: no ".0"


# The full build (one per session, shared with the other slow tests)

def figures_table(page: str) -> dict[str, list[str]]:
    body = page.split('<table class="key-figures">')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", body, re.S):
        label = unescape(re.sub(r"<[^>]+>", "", row.split("</th>")[0])).replace(" (computed here)", "")
        rows[label] = [unescape(c) for c in re.findall(r'<td class="numeric">([^<]*)</td>', row)]
    return rows


def number(text: str) -> float | None:
    return None if text == "not published" else float(text.replace("£", "").replace(",", ""))


@pytest.mark.slow
def test_one_page_per_current_council_as_many_as_the_reference_list(built):
    site = built / "_site"
    current = [r for r in read_csv("local-authorities", "local-authorities") if r["status"] == "current"]
    pages = sorted(site.glob("council-*.html"))
    assert len(pages) == len(current)
    index = (site / "councils.html").read_text(encoding="utf-8")
    assert all(f'href="{p.name}"' in index for p in pages)
    for page in site.glob("*.html"):
        assert 'councils.html"' in page.read_text(encoding="utf-8"), page.name  # 404.html links from the root
    assert json.loads((built / ".cache" / "last-build.json").read_text())["pages"]["explorer"].startswith("built")


@pytest.mark.slow
@pytest.mark.parametrize("code", CHOSEN)
def test_a_council_pages_figures_equal_values_computed_from_the_csvs(built, code):
    slug = councils.slug(next(r["la_name"] for r in read_csv("local-authorities", "local-authorities")
                              if r["la_code_old"] == code))
    shown = figures_table((built / "_site" / f"council-{slug}.html").read_text(encoding="utf-8"))
    rates = [r for r in read_csv("children-looked-after", "la-rates") if r["measure"] == "looked_after_at_31_march"]
    referrals = read_csv("children-in-need", "referrals")
    year, ref_year = latest(rates), latest(referrals)
    looked_after = shown[f"Children looked after on 31 March {year}"]
    referred = shown[f"Referrals per 10,000 children under 18, year to 31 March {ref_year}"]
    for column, (_, level, where) in enumerate(areas(code)):
        assert number(looked_after[column]) == value(rates, "number", level, where, year)
        people = value(rates, "population_under_18", level, where, ref_year)
        expected = value(referrals, "referral_count", level, where, ref_year) / people * 10_000
        assert number(referred[column]) == round(expected)


def change_one_value(project, package: str, resource: str) -> None:
    """A publisher correction: the first number in the resource goes up by one; hash, bytes and version follow."""
    folder = project / "data" / package
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    lines = (folder / spec["path"]).read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    field = next(f["name"] for f in spec["schema"]["fields"] if f["type"] == "integer" and f["name"] in header)
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if len(cells) == len(header) and cells[header.index(field)].isdigit():
            cells[header.index(field)] = str(int(cells[header.index(field)]) + 1)
            lines[i] = ",".join(cells)
            break
    data = "\n".join(lines).encode("utf-8")
    (folder / spec["path"]).write_bytes(data)
    spec.update({"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    major, minor, patch = map(int, descriptor["version"].split("."))
    descriptor["version"] = f"{major}.{minor}.{patch + 1}"
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")


@pytest.mark.slow
def test_council_pages_are_redrawn_only_when_their_packages_change(built, tmp_path):
    from report.project import Project

    project = tmp_path / "project"
    shutil.copytree(built, project)
    change_one_value(project, "children-looked-after", "england-series")  # no council page reads it
    run_report(project, "build", check=True)
    record = json.loads((project / ".cache" / "last-build.json").read_text())
    assert record["pages"]["explorer"] == "reused" and "rising-demand" in record["executed"]
    version = json.loads((project / "data" / "children-looked-after" / "datapackage.json").read_text())["version"]
    page = (project / "_site" / "council-hartlepool.html").read_text(encoding="utf-8")
    assert f"children-looked-after {version}</a>" in page  # the source lines name the new version
    change_one_value(project, "placements", "placement-provider")
    keys = explorer.cache_keys(Project(project))
    store = Store(project / ".cache" / "explorer")
    old = {name: store.read(name)[0] for name in keys}
    redraw = {name for name, key in keys.items() if old[name]["key"] != key.digest}
    assert redraw == {"placements"}  # the placement charts only: no figure and no other chart reads them
    assert explorer.changed(old["placements"]["parts"], keys["placements"].parts) == \
        "placements/placement-provider changed"


@pytest.mark.slow
def test_build_council_writes_a_pdf_profile_and_names_close_matches_for_an_unknown_council(built, tmp_path):

    output = tmp_path / "profile.pdf"
    run_report(built, "build", "--council", "cumberland", "--output", str(output), check=True)
    text = pdf_text(output)
    assert "Cumberland" in text and "Key figures" in text and "Cumbria was split" in text
    done = run_report(built, "build", "--council", "Cumberlnd")
    assert done.returncode == 1 and "did you mean 'Cumberland'" in done.stderr
