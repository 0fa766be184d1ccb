"""Authors, contact, licences, site-url and dates from _quarto.yml and the packages; the citation in APA,
BibTeX and RIS read back by Pandoc's own BibTeX and RIS readers; absolute og:url, og:image and canonical links
only with site-url; the 404 page's links from the site's root path."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from report.builder.attribution import cite, data_updated, full_title, root_path, settings
from report.builder.convert import pandoc_path
from report.builder.pages import from_root
from report.builder.site import Card, Site, common_context, environment, page_context, render

BOOK = {"title": "Costs & benefits: What Works?", "subtitle": "The 2016 argument, rebuilt", "date": "2026-11-26",
        "edition": "2026 edition", "publisher": "Team B", "short_title": "Costs"}
AUTHORS = [{"name": "Demos", "url": "https://demos.example/"},
           {"name": "Team B", "email": "team@b.example", "affiliation": {"name": "B"}}]
PACKAGES = [{"name": "a", "version": "1.0.0", "title": "A"}, {"name": "b", "version": "2.1.0", "title": "B"}]


def book(**extra) -> dict:
    config = {"author": AUTHORS, "license": ["CC BY", {"text": "Contains OGL data", "url": "https://ogl.example/"}]}
    return {**BOOK, **settings({**BOOK, **config, **extra}, {}, Path("/nonexistent"))}


def pandoc_reads(text: str, reader: str) -> list[dict]:
    done = subprocess.run([pandoc_path(), "-f", reader, "-t", "csljson"], input=text, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def plain(value: str) -> str:
    return re.sub(r"<[^>]+>", "", value).replace("’", "'")


def test_authors_contact_licences_and_site_url_follow_quartos_keys():
    settled = book(**{"site-url": "https://host.example/sub/path"})
    assert [a["name"] for a in settled["authors"]] == ["Demos", "Team B"]
    assert settled["authors"][1]["affiliation"] == "B" and settled["author"] == "Demos and Team B"
    assert settled["contact"] == {"name": "Team B", "email": "team@b.example"}
    assert settled["licenses"][0] == {"text": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert settled["license"] == "CC BY 4.0. Contains OGL data."
    assert settled["site_url"] == "https://host.example/sub/path/"
    website = settings(BOOK, {"website": {"site-url": "https://w.example"}}, Path("/nonexistent"))
    assert website["site_url"] == "https://w.example/" and website["authors"] == []


def test_data_last_updated_is_the_latest_release_of_a_current_version(tmp_path):
    for name, version, created, changelog in [
            ("a", "1.1.0", "2026-11-26T00:00:00Z", "## Unreleased\n\n- x\n\n## 1.1.0 (2026-12-07)\n\n## 1.0.0 (2026-11-26)\n"),
            ("b", "1.0.0", "2026-12-01T00:00:00Z", ""), ("c", "2.0.0", "2026-10-01T00:00:00Z", "## 1.0.0 (2027-01-01)\n")]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "datapackage.json").write_text(json.dumps({"version": version, "created": created}))
        (tmp_path / name / "CHANGELOG.md").write_text(changelog)
    assert data_updated(tmp_path) == "2026-12-07"  # c's 2027 entry is not its current version
    (tmp_path / "a" / "CHANGELOG.md").unlink()
    assert data_updated(tmp_path) == "2026-12-01"


def test_title_and_subtitle_join_without_a_colon_after_a_question_mark():
    assert full_title(BOOK) == "Costs & benefits: What Works? The 2016 argument, rebuilt"
    assert full_title({"title": "A", "subtitle": "b"}) == "A: b" and full_title({"title": "A"}) == "A"


def test_bibtex_parses_with_the_exact_title_every_author_and_the_url():
    entry = cite(book(**{"site-url": "https://host.example/r/"}), PACKAGES)["bibtex"]
    assert entry.count("{") == entry.count("}") and r"Costs \& benefits" in entry
    [item] = pandoc_reads(entry, "bibtex")
    assert plain(item["title"]) == full_title(BOOK)
    assert [a.get("literal") for a in item["author"]] == ["Demos", "Team B"]
    assert item["URL"] == "https://host.example/r/" and item["issued"]["date-parts"] == [[2026, 11]]
    assert "a 1.0.0, b 2.1.0" in item["note"]


def test_ris_has_its_tags_in_order_and_reads_back():
    record = cite(book(**{"site-url": "https://host.example/r/"}), PACKAGES)["ris"]
    tags = [line[:2] for line in record.splitlines()]
    assert tags[0] == "TY" and tags[-1] == "ER" and {"TI", "AU", "UR", "PY"} <= set(tags)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in record.splitlines())
    [item] = pandoc_reads(record, "ris")
    assert plain(item["title"]) == full_title(BOOK) and item["URL"] == "https://host.example/r/"
    # one field per name, as Zotero writes a group author; Pandoc splits it at the last space
    names = [a.get("literal") or " ".join(filter(None, (a.get("given"), a.get("family")))) for a in item["author"]]
    assert names == ["Demos", "Team B"]


def test_apa_names_the_authors_date_title_edition_and_url():
    citation = cite(book(**{"site-url": "https://host.example/r/"}), PACKAGES)
    assert citation["apa"] == ("Demos & Team B. (2026, November 26). Costs & benefits: What Works? The 2016 "
                               "argument, rebuilt (2026 ed.). https://host.example/r/")
    assert citation["reference"].endswith("Data: a 1.0.0, b 2.1.0.")
    assert "http" not in cite(book(), PACKAGES)["apa"]


def head_links(folder: Path, site_url: str, href: str = "cite.html") -> dict[str, str]:
    """The og:url, og:image and canonical addresses of a page rendered with the real templates."""
    site = Site(book(**({"site-url": site_url} if site_url else {})), PACKAGES, {"href": "report.pdf", "size": "1 MB"},
                licences=[{"title": "OGL", "path": "", "count": 2}])
    page = page_context(site, href.removesuffix(".html"), "Title", href, "<p>Body</p>",
                        Card("charts/fig-a.png", "A chart", 1200, 630)) | {"previous": None, "next": None}
    text = render(environment(), "page.html", folder / href, page, common_context(site, [])).read_text()
    found = {"og:url": re.search(r'property="og:url" content="([^"]+)"', text),
             "og:image": re.search(r'property="og:image" content="([^"]+)"', text),
             "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', text)}
    return {key: match.group(1) for key, match in found.items() if match}


def test_site_url_gives_absolute_og_url_og_image_and_canonical_and_none_without_it(tmp_path):
    links = head_links(tmp_path, "https://host.example/sub/path/")
    assert links == {"og:url": "https://host.example/sub/path/cite.html",
                     "og:image": "https://host.example/sub/path/charts/fig-a.png",
                     "canonical": "https://host.example/sub/path/cite.html"}
    assert head_links(tmp_path, "https://host.example/sub/path/", "index.html")["canonical"] == "https://host.example/sub/path/"
    assert head_links(tmp_path, "") == {"og:image": "charts/fig-a.png"}  # relative: no address is made up


@pytest.mark.parametrize("site_url, root", [("", "/"), ("https://host.example/sub/path", "/sub/path/")])
def test_the_404_page_links_everything_from_the_sites_root(tmp_path, site_url, root):
    assert root_path(site_url) == root
    site = Site(book(**({"site-url": site_url} if site_url else {})), PACKAGES, {"href": "report.pdf", "size": "1 MB"},
                licences=[{"title": "OGL", "path": "", "count": 2}])
    nav = [{"name": "index", "href": "index.html", "title": "Summary", "number": None}]
    page = page_context(site, "404", "Page not found", "404.html", "", Card("assets/card.png", "", 1, 1))
    path = render(environment(), "404.html", tmp_path / "404.html", page, common_context(site, nav))
    from_root(path, root)
    text = path.read_text()
    assert "<base" not in text and "canonical" not in text and 'property="og:url"' not in text
    refs = re.findall(r'\s(?:href|src|action)="([^"]*)"', text)
    local = [r for r in refs if not re.match(r"(mailto|https?):", r)]
    assert local and all(r.startswith(root) or r.startswith("#") for r in local), local
    assert f'href="{root}assets/site.css"' in text and 'href="#main"' in text


def code_block(page: str, label: str) -> str:
    match = re.search(rf'aria-label="{label}">\s*<pre><code>(.*?)</code></pre>', page, re.S)
    return html.unescape(match.group(1))


@pytest.mark.slow
def test_the_built_citation_page_parses_and_names_the_authors_title_and_site_url(built):
    config = yaml.safe_load((built / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    names = [a["name"] if isinstance(a, dict) else a for a in config["author"]]
    title, url = full_title(config), config.get("site-url", "")
    page = (built / "_site" / "cite.html").read_text(encoding="utf-8")
    bib, record = code_block(page, "BibTeX entry"), code_block(page, "RIS record")
    assert bib + "\n" == (built / "_site" / "cite.bib").read_text(encoding="utf-8") and bib.count("{") == bib.count("}")
    assert record == (built / "_site" / "cite.ris").read_text(encoding="utf-8")
    [entry], [item] = pandoc_reads(bib, "bibtex"), pandoc_reads(record, "ris")
    assert plain(entry["title"]) == plain(item["title"]) == title.replace("’", "'")
    assert [a["literal"] for a in entry["author"]] == names and entry.get("URL", "") == url == item.get("URL", "")
    assert {line[:2] for line in record.splitlines()} >= {"TY", "TI", "AU", "UR", "PY", "ER"}
    apa = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="reference">(.*?)</p>', page, re.S).group(1)))
    assert apa.startswith(" & ".join(names) if len(names) < 3 else names[0]) and title in apa and apa.endswith(url)


@pytest.mark.slow
def test_every_page_names_authors_contact_licences_and_both_dates(built):
    config = yaml.safe_load((built / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    names = [a["name"] if isinstance(a, dict) else a for a in config["author"]]
    emails = [a["email"] for a in config["author"] if isinstance(a, dict) and a.get("email")]
    licences = [item["url"] for item in config["license"] if isinstance(item, dict) and item.get("url")]
    updated = data_updated(built / "data")
    assert emails and licences and updated
    for path in (built / "_site").glob("*.html"):
        footer = path.read_text(encoding="utf-8").split('<footer class="site-footer">')[1]
        text = html.unescape(re.sub(r"<[^>]+>", "", footer))
        assert all(name in text for name in names), path.name
        assert f'href="mailto:{emails[0]}"' in footer and all(f'href="{u}"' in footer for u in licences), path.name
        assert f'datetime="{config["date"]}"' in footer and f'datetime="{updated}"' in footer, path.name
        assert "published" in text and "data last updated" in text, path.name
    statement = (built / "_site" / "accessibility.html").read_text(encoding="utf-8").split("<main")[1]
    assert f'href="mailto:{emails[0]}?subject=' in statement
