"""The whole report built from a copy of the project: pages, chart specs, the PDF's text and vectors."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from report.data import load
from report.fmt import number
from report.fonts import FAMILY
from tests.conftest import ROOT, pdf_text

pytestmark = pytest.mark.slow


def test_every_chapter_has_a_page_and_the_landing_page_is_index(built):
    site = built / "_site"
    manifest = json.loads((site / "build-manifest.json").read_text())
    assert (site / "index.html").is_file()
    for chapter in manifest["chapters"][1:]:
        assert (site / f"{chapter['name']}.html").is_file()


def test_chapter_page_contains_the_chart_spec_and_its_static_svg(built):
    page = (built / "_site" / "rising-demand.html").read_text()
    spec = re.search(r'<script type="application/json" class="chart-spec">(.*?)</script>', page, re.S)
    vega = json.loads(spec.group(1))
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert '<div class="chart-static" aria-hidden="true"><svg' in page


def test_pdf_has_the_chapter_title_and_the_inline_figure_from_the_csv(built):
    series = load("children-looked-after", "england-series", data_dir=ROOT / "data")
    latest = series[series["measure"] == "looked_after_at_31_march"].sort_values("year")["number"].iloc[-1]
    text = pdf_text(built / "_site" / "report.pdf")
    assert "Rising demand" in text
    assert number(latest) in text


def test_pdf_chart_is_vector_with_the_house_font(built):
    pdf = built / "_site" / "report.pdf"
    text = pdf_text(pdf)
    # axis labels of the chart are text in the PDF, not pixels
    assert "Children looked after" in text and "1994" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    families = {line.split()[0].split("+")[-1].split("-")[0] for line in fonts.splitlines()[2:]}
    assert families == {FAMILY.replace(" ", "")}, f"unexpected fonts: {families}"


def test_site_loads_nothing_from_outside(built):
    for page in (built / "_site").rglob("*.html"):
        text = page.read_text()
        head = re.sub(r'<link rel="canonical" href="[^"]*">', "", text.split("<main")[0])  # an address, not a load
        assert not re.search(r'(?:src|href)="(?:https?:)?//(?!www\.nationalarchives)', head), page
        assert "cdn." not in text and "unpkg" not in text


def test_figure_numbers_and_captions_match_between_site_and_pdf(built):
    site = built / "_site"
    manifest = json.loads((site / "build-manifest.json").read_text())
    pages = ["index.html"] + [f"{c['name']}.html" for c in manifest["chapters"][1:]]
    captions = []
    for page in pages:
        html = (site / page).read_text()
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S):
            text = " ".join(re.sub(r"<[^>]+>", "", caption).replace("&nbsp;", " ").replace("\xa0", " ").split())
            captions.append(text.replace("’", "'").replace("&#39;", "'").replace("&amp;", "&"))
    assert captions, "no figures found in the site"
    pdf = pdf_text(site / "report.pdf")
    for caption in captions:
        assert re.match(r"(Figure|Table) [0-9A-Z]+(\.\d+)? \S", caption), caption  # "Figure 2.3  Title"
        assert caption[:60] in pdf, f"PDF lacks {caption[:60]!r}"


def test_each_figure_heading_is_above_its_chart_and_the_source_below(built):
    """One scheme in both outputs: "Figure 2.3  Title", the chart, then its source line."""
    site = built / "_site"
    html = (site / "rising-demand.html").read_text()
    figures = re.findall(r'<figure id="(fig-[^"]+)"[^>]*>\s*<figcaption><span class="figure-number">'
                         r'Figure(?:&nbsp;|\xa0| )([\d.]+)</span>.*?</figcaption>\s*<div class="chart".*?'
                         r'<p class="chart-source"[ >]', html, re.S)
    assert figures, "no figure in rising-demand.html with its heading, chart and source in that order"
    layout = subprocess.run(["pdftotext", "-layout", str(site / "report.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    headings = [(m.group(1), m.start()) for m in re.finditer(r"^\s*Figure ([\d.]+) +\S", layout, re.M)]
    for label, figure_number in figures:
        at = [start for found, start in headings if found == figure_number]
        assert len(at) == 1, f"Figure {figure_number}: {len(at)} headings in the PDF"
        source = layout.find("Source:", at[0])
        assert not any(at[0] < start < source for _, start in headings), f"Figure {figure_number}: source not under it"


def test_every_chart_function_is_used_and_every_chapter_title_is_in_the_pdf(built):
    from report.charts import CHARTS

    sources = [p.read_text(encoding="utf-8") for p in [ROOT / "index.qmd", *(ROOT / "chapters").glob("*.qmd")]]
    sources += [p.read_text(encoding="utf-8") for p in (ROOT / "report").rglob("*.py")
                if "charts" not in p.relative_to(ROOT / "report").parts]
    unused = [name for name in CHARTS if not any(re.search(rf"\b{name}\b", text) for text in sources)]
    assert unused == [], f"chart functions no chapter or page uses: {unused}"
    manifest = json.loads((built / "_site" / "build-manifest.json").read_text())
    text = pdf_text(built / "_site" / "report.pdf")
    missing = [c["title"] for c in manifest["chapters"] if " ".join(c["title"].replace("’", "'").split()) not in text]
    assert missing == []
