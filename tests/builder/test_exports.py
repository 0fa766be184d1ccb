"""Exported chart images keep their provenance: read back from the files the builder writes."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import altair as alt
import pandas as pd
import pytest

from report import theme
from report.builder.convert import Chart
from report.builder.downloads import write_chart_files
from report.builder.exports import SVG_NS, Provenance, png_size, png_text, text_faces, wrap
from report.display import CHART_MIME, chart_bundle
from report.fonts import FAMILY

PROVENANCE = Provenance("Referrals have stayed high – since 2013",
                        "Source: Department for Education, Children in need (data package children-in-need 1.2.0).",
                        "Contains public sector information licensed under the Open Government Licence v3.0.",
                        "https://example.org/report/rising-demand.html#fig-referrals")
FACE = re.compile(r'@font-face\{font-family:"([^"]+)";font-weight:(\d+);font-style:(\w+);'
                  r'src:url\(data:font/ttf;base64,([A-Za-z0-9+/=]+)\)')


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    theme.enable()
    data = pd.DataFrame({"year": [2020, 2021, 2022], "number": [10, 12, 11]})
    spec = alt.Chart(data).mark_line().encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d")), y="number:Q",
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("number:Q", title="Number", format=",")]
    ).properties(title=alt.TitleParams("A finding", subtitle=["Measure, place, years"]),
                 description="Line chart of a number.").to_dict()
    bundle = chart_bundle(spec)
    chart = Chart("fig-a", "A", spec, bundle[CHART_MIME]["vega"], bundle["image/svg+xml"])
    out = tmp_path_factory.mktemp("site")
    files = write_chart_files(out, chart, provenance=PROVENANCE, cache_dir=out / ".cache")
    return out, chart, files


def test_the_svg_carries_title_source_licence_and_address_as_text(written):
    out, _, _ = written
    root = ET.fromstring((out / "charts/fig-a.svg").read_text(encoding="utf-8"))
    texts = " ".join(" ".join(t.itertext()) for t in root.iter(f"{{{SVG_NS}}}text"))
    assert root.find(f"{{{SVG_NS}}}title").text == PROVENANCE.title
    assert "A finding" in texts  # the chart's own title, drawn
    for part in ("Department for Education, Children in need", "Open Government Licence v3.0", PROVENANCE.url):
        assert part in " ".join(texts.split()), part


def test_every_face_the_svgs_text_uses_is_embedded_with_its_characters(written):
    from base64 import b64decode
    from io import BytesIO

    from fontTools.ttLib import TTFont

    out, _, _ = written
    svg = (out / "charts/fig-a.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    families = {el.get("font-family") for el in root.iter() if el.get("font-family")}
    assert families == {FAMILY}, "all text names the embedded family"
    faces = {(int(w), s): TTFont(BytesIO(b64decode(data))) for family, w, s, data in FACE.findall(svg)
             if family == FAMILY}
    for face, chars in text_faces(svg).items():
        key = (700 if face.startswith("Bold") else 400, "italic" if face.endswith("Italic") else "normal")
        assert key in faces, f"{face} text without an embedded {face} face"
        cmap = faces[key].getBestCmap()
        assert all(ord(ch) in cmap for ch in chars if not ch.isspace()), face
    assert len(svg) < 200_000, "subset fonts, not whole files"


def test_the_png_grew_a_provenance_strip_and_holds_it_in_its_text_chunks(written):
    out, chart, files = written
    png = (out / "charts/fig-a.png").read_bytes()
    width, height = png_size(png)
    chart_width, chart_height = (float(n) for n in re.search(
        r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', chart.svg).groups())
    assert width == round(chart_width) * 2 and height >= (chart_height + 3 * 16) * 2
    assert files.png_size == (width, height)
    assert png_text(png) == {"Title": PROVENANCE.title, "Source": PROVENANCE.source,
                             "Copyright": PROVENANCE.licence, "URL": PROVENANCE.url}


def test_long_source_lines_wrap_to_the_charts_width():
    line = "Source: " + "Department for Education, Children looked after in England; " * 6
    lines = wrap(line, 400)
    assert len(lines) > 2 and " ".join(lines) == " ".join(line.split())


def test_beside_the_downloads_a_link_and_embed_code_work_as_plain_text(written):
    from report.builder.site import Site, chart_files, environment, fill_charts

    out, chart, _ = written
    chart.vegalite.setdefault("usermeta", {"report": {"sources": []}})
    site = Site({"site_url": "https://example.org/report/", "license": PROVENANCE.licence}, [], {},
                cache_dir=out / ".cache")
    files = chart_files(out, chart, "rising-demand.html#fig-a", site)
    assert files.share["url"] == "https://example.org/report/rising-demand.html#fig-a"
    fragment = '<figure id="fig-a" class="report-figure">\n<!--report-chart:fig-a-->\n</figure>'
    page = fill_charts(fragment, {"fig-a": chart}, {"fig-a": files}, environment())
    assert '<figure id="fig-a"' in page and '<a href="#fig-a">Link to this chart</a>' in page
    assert 'value="https://example.org/report/rising-demand.html#fig-a"' in page
    embed = re.search(r'<textarea readonly id="embed-fig-a"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert embed.startswith("&lt;figure&gt;&lt;a href=&#34;https://example.org/report/rising-demand.html#fig-a")
    assert "https://example.org/report/charts/fig-a.png" in embed and "Open Government Licence" in embed
    assert page.count("data-copy=") == 2 and page.count(" hidden>Copy") == 2  # shown by assets/share.js
