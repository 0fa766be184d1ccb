"""`report lint`: statistics typed into prose fail, the same figures through inline code pass."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from report import fmt
from report.lint import lint_paths, lint_text
from report.project import Project
from tests.conftest import ROOT, run_report

FRONT = '---\ntitle: "Fixture 2024"\npackages: [children-looked-after]\n---\n\n'
SETUP = "```{python}\n#| include: false\nfrom report.chapter import *\n```\n\n"


def chapter(tmp_path: Path, body: str, name: str = "fixture.qmd") -> Path:
    path = tmp_path / name
    path.write_text(FRONT + SETUP + body, encoding="utf-8")
    return path


def found(body: str) -> list[str]:
    return [p.found for p in lint_text(FRONT + SETUP + body)]


def test_typed_percentage_and_count_fail_with_file_and_line(tmp_path):
    path = chapter(tmp_path, "Since 2008 referrals rose 22% a year.\n\nThere were 69,460 children in care.\n")
    done = run_report(tmp_path, "lint", str(path))
    assert done.returncode == 1
    lines = FRONT.count("\n") + SETUP.count("\n")
    assert f"fixture.qmd:{lines + 1}: '22%'" in done.stdout
    assert f"fixture.qmd:{lines + 3}: '69,460'" in done.stdout
    assert "referrals rose 22% a year" in done.stdout


def test_the_same_figures_through_inline_code_pass(tmp_path):
    path = chapter(tmp_path, "Since 2008 referrals rose `{python} fmt.percent(22)` a year.\n\n"
                             "There were `{python} fmt.number(69460)` children in care.\n")
    done = run_report(tmp_path, "lint", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 statistic(s)" in done.stdout


@pytest.mark.parametrize("text, expected", [
    ("rose 22 per cent", ["22 per cent"]),
    ("rose 5 percentage points", ["5 percentage points"]),
    ("a 1,000-strong team", ["1,000"]),
    ("cost £1.2 billion", ["£1.2"]),
    ("about 4500 staff and 12.5 posts", ["4500", "12.5"]),
    ("the year 2040", ["2040"]),
])
def test_statistics_in_prose_are_found(text, expected):
    assert found(text + "\n") == expected


@pytest.mark.parametrize("text", [
    "Between 2008 and 2015, in 1990 and 2039, and the 2010s; 2014-15 and 2016/17.",
    "Chapter 10 and Section 251 of the Children Act 1989; see sections 2 and 3.",
    "A rate per 10,000 children.",
    "Codes E09000021, S251 and SFR50/2017 are names, not counts.",
    "As argued before [@vibert2016, p. 123] and in @fig-referrals-rose, in [a page](https://x.org/a/12345).",
    "An autolink <https://example.org/2024/999> and <!-- a comment with 999 -->.",
    "## A heading {#sec-part-100}",
    "Four councils, nine trusts and 67 counties.",
])
def test_years_section_numbers_codes_links_and_citations_pass(text):
    assert found(text + "\n") == []


def test_code_blocks_cells_options_and_front_matter_are_not_prose():
    body = ("```{python}\n#| label: fig-x\n#| fig-cap: \"Children, 69,460 in 2015 (22%)\"\nx = 12345\n```\n\n"
            "```python\ny = 67890  # 22%\n```\n\n~~~\n100%\n~~~\n")
    assert found(body) == []
    assert lint_text('---\ntitle: "Up 22%"\nnote: 12345\n---\n\nText.\n') == []


def test_inline_code_spanning_a_line_break_is_not_prose():
    assert found("Children: `{python} fmt.number(\n69460)` in all.\n") == []


def test_lint_of_real_chapters_names_the_project_relative_file(tmp_path):
    (tmp_path / "chapters").mkdir()
    path = chapter(tmp_path / "chapters", "Up 300 places.\n")
    problems = lint_paths([path], tmp_path)
    assert [str(p).split(":")[0] for p in problems] == ["chapters/fixture.qmd"]


def test_chapters_and_landing_page_have_no_typed_statistics():
    paths = Project.find(ROOT).chapter_paths()
    assert ROOT / "index.qmd" in paths and len(paths) > 1
    problems = lint_paths(paths, ROOT)
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("text, expected", [
    ("## Ten organisations in a decade", ["Ten organisations"]),
    ("Twenty-one councils moved.", ["Twenty-one councils"]),
    ("The trust began on 14 May 2025.", ["14 May 2025"]),
    ("It opened 2025-05-14.", ["2025-05-14"]),
])
def test_spelled_out_counts_and_typed_dates_are_caught(text, expected):
    assert [problem.found for problem in lint_text(text)] == expected


@pytest.mark.parametrize("text", ["Ten years on, councils changed.", "rounded to the nearest ten",
                                  "On 31 March 2016 there were", "between November 2013 and March 2016"])
def test_periods_census_days_and_rounding_bases_pass(text):
    assert lint_text(text) == []


def _built_text(built: Path, page: str) -> str:
    """A built page's visible text, tags removed and spaces collapsed."""
    markup = (built / "_site" / f"{page}.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def test_rule_group_sizes_are_printed_beside_every_share_comparing_council_groups(built):
    """Rule guard: in the trust vs in-house comparison every percentage reads "N of M (P%)"."""
    text = _built_text(built, "what-works")
    section = text[text.index("That looks like success"):text.index("Both groups mostly improved")]
    shares = re.findall(r"\d+%", section)
    sized = re.findall(r"\b(\d+) of (\d+) \((\d+)%\)", section)
    assert shares and len(sized) == len(shares)
    for part, whole, share in sized:
        assert fmt.percent(int(part) / int(whole) * 100) == f"{share}%"


def test_rule_sums_of_money_name_financial_years_not_calendar_years(built):
    """Rule guard: a sum of money is "in 2010-11", never "in 2010" (spending is by financial year)."""
    calendar = re.compile(r"£[\d.,]+(?: million| billion)? in (?:19|20)\d\d(?![-–\d])")
    for page in ["introduction", "money", "pitfalls", "recommendations", "what-works", "index"]:
        assert not calendar.findall(_built_text(built, page)), page
