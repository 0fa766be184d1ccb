"""The Quarto subset: front matter, `{python}` cells with `#|` options, inline code, errors with lines."""

from __future__ import annotations

import pytest

from report.builder.parse import Markdown, ParseError, parse_chapter


def write(tmp_path, text, name="02-demand.qmd"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_cells_options_and_inline_code(tmp_path):
    chapter = parse_chapter(write(tmp_path, (
        "---\ntitle: Rising demand\npackages: [children-in-need]\n---\n\n"
        "Referrals rose by `{python} fmt.percent(rise)` over the period.\n\n"
        "```{python}\n#| label: fig-referrals\n#| fig-cap: \"Referrals\"\nchart(x)\n```\n\n"
        "```python\nnot executed\n```\n")))
    assert chapter.name == "demand" and chapter.title == "Rising demand"
    assert chapter.packages == ["children-in-need"]
    cells = chapter.cells
    assert len(cells) == 1 and cells[0].source == "chart(x)"
    assert cells[0].options == {"label": "fig-referrals", "fig-cap": "Referrals"}
    assert cells[0].line == 8  # the line of the opening fence
    markdown = [b for b in chapter.blocks if isinstance(b, Markdown)]
    assert markdown[0].inline_expressions == ["fmt.percent(rise)"]
    assert "not executed" in markdown[-1].text


def test_title_from_the_first_heading(tmp_path):
    chapter = parse_chapter(write(tmp_path, "# Money {#sec-money}\n\nText.\n"))
    assert chapter.title == "Money"
    assert chapter.meta["_title_in_body"]


@pytest.mark.parametrize("text, message", [
    ("No title here.\n", "no title"),
    ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
    ("---\ntitle: A\n", "never closed"),
    ("---\ntitle: A\n---\n```{python}\nx = 1\n", "never closed"),
    ("---\ntitle: A\n---\n```{python}\n#| fig-width: 3\nx = 1\n```\n", "unsupported cell option"),
    ("---\ntitle: A\npackages: children-in-need\n---\n", "must be a list"),
    ("---\ntitle: A\n---\n# A again\n", "given twice"),
])
def test_outside_the_subset_is_an_error_naming_the_file(tmp_path, text, message):
    with pytest.raises(ParseError, match=message) as error:
        parse_chapter(write(tmp_path, text))
    assert "02-demand.qmd" in str(error.value)


def test_a_label_used_twice_in_the_book_stops_the_build(tmp_path):
    from tests.conftest import run_report

    cell = "```{python}\n#| label: fig-same\n#| fig-cap: A\n1\n```\n"
    (tmp_path / "_quarto.yml").write_text("book:\n  title: T\n  chapters: [index.qmd, b.qmd]\n")
    (tmp_path / "index.qmd").write_text("---\ntitle: A\n---\n\n" + cell)
    (tmp_path / "b.qmd").write_text("---\ntitle: B\n---\n\n" + cell)
    (tmp_path / "data").mkdir()
    done = run_report(tmp_path, "build")
    assert done.returncode != 0
    assert "label fig-same is used more than once (index.qmd:5, b.qmd:5)" in done.stderr
