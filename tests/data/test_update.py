"""`report data update`: the semver bump from a diff, the input plan, and whole updates on a project copy."""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap

import pandas as pd
import pytest

from report.data.diff import MAJOR, MINOR, PATCH, diff, next_version
from report.data.update import plan_inputs, prepend_changelog
from tests.conftest import ROOT, SOURCES, copy_project, run_report

TIME_SERIES = "dfe-cla/cla_time_series_1994_2024.csv"
PACKAGE = "children-looked-after"


# The bump, on tiny descriptors and frames

def table(**columns) -> pd.DataFrame:
    return pd.DataFrame({name: [str(v) for v in values] for name, values in columns.items()})


def descriptor(*fields, key=("year",), description="Counts.") -> dict:
    return {"name": "tiny", "title": "Tiny", "resources": [{
        "name": "counts", "path": "counts.csv", "description": description,
        "schema": {"fields": list(fields), "primaryKey": list(key)}}]}


YEAR = {"name": "year", "type": "year"}
COUNT = {"name": "count", "type": "integer", "constraints": {"minimum": 0}}
NOTE = {"name": "note", "type": "string"}
BASE = table(year=[2023, 2024], count=[10, 20], note=["a", "b"])


def compare(new_fields=(YEAR, COUNT, NOTE), new_frame=BASE, **options):
    old = descriptor(YEAR, COUNT, NOTE)
    return diff(old, descriptor(*new_fields, **options), {"counts": BASE}, {"counts": new_frame})


def test_nothing_changed_means_no_new_version():
    result = compare()
    assert result.bump is None and result.lines() == []
    assert next_version("1.2.3", result.bump) == "1.2.3"


def test_a_dropped_field_is_major():
    result = compare((YEAR, COUNT), BASE.drop(columns="note"))
    assert result.bump == MAJOR
    assert any("field `note` removed" in line for line in result.lines())


def test_added_renamed_and_retyped_fields_are_major():
    added = compare((YEAR, COUNT, NOTE, {"name": "extra", "type": "string"}), BASE.assign(extra="x"))
    renamed = compare((YEAR, COUNT, {"name": "remark", "type": "string"}), BASE.rename(columns={"note": "remark"}))
    retyped = compare((YEAR, {**COUNT, "type": "number"}, NOTE))
    assert added.bump == renamed.bump == retyped.bump == MAJOR
    assert any("`extra` added" in line for line in added.lines())
    assert any("`note` renamed to `remark`" in line for line in renamed.lines())
    assert any("`count` retyped integer → number" in line for line in retyped.lines())


def test_a_tightened_constraint_is_major_and_a_loosened_one_minor():
    tighter = compare((YEAR, {**COUNT, "constraints": {"minimum": 5}}, NOTE))
    required = compare((YEAR, COUNT, {**NOTE, "constraints": {"required": True}}))
    looser = compare((YEAR, {**COUNT, "constraints": {}}, NOTE))
    assert tighter.bump == required.bump == MAJOR
    assert any("`minimum` tightened (0 → 5)" in line for line in tighter.lines())
    assert looser.bump == MINOR


def test_new_rows_of_a_new_year_are_minor_and_name_the_period():
    grown = pd.concat([BASE, table(year=[2025], count=[30], note=["c"])], ignore_index=True)
    result = compare(new_frame=grown)
    assert result.bump == MINOR
    assert result.resources[0].rows_added == 1 and result.resources[0].new_periods == ["2025"]
    assert any("1 row added (new period 2025)" in line for line in result.lines())


def test_a_corrected_value_is_patch_with_old_and_new_value():
    result = compare(new_frame=BASE.assign(count=["10", "21"]))
    assert result.bump == PATCH
    assert result.resources[0].rows_changed == 1 and result.resources[0].cells == {"count": 1}
    assert any("year 2024: `count` 20 → 21" in line for line in result.lines())


def test_many_changes_are_counted_per_field_with_a_few_examples():
    old = table(year=range(2000, 2020), count=range(20), note=["a"] * 20)
    new = old.assign(count=[str(v + 1) for v in range(20)], note=["a"] * 19 + ["z"])
    result = diff(descriptor(YEAR, COUNT, NOTE), descriptor(YEAR, COUNT, NOTE), {"counts": old}, {"counts": new})
    line = next(line for line in result.lines() if "changed" in line)
    assert "20 rows changed (`count` 20, `note` 1)" in line
    assert line.count("→") == 3


def test_a_description_alone_is_patch_and_removed_rows_are_major():
    assert compare(description="Counts, corrected.").bump == PATCH
    assert compare(new_frame=BASE.iloc[:1]).bump == MAJOR


@pytest.mark.parametrize("bump, expected", [(MAJOR, "2.0.0"), (MINOR, "1.3.0"), (PATCH, "1.2.4")])
def test_next_version(bump, expected):
    assert next_version("1.2.3", bump) == expected


# Which files the script reads

@pytest.fixture
def fake_script(tmp_path):
    """A project with one ingest script: a single time-series file and one file per year."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "fake.py").write_text(textwrap.dedent("""
        INPUTS = {"series": "series_*.csv", "yearly": "year_????.csv"}
        SOURCES = ["pub/series_2024.csv", "pub/year_2023.csv", "pub/year_2024.csv"]
    """))
    new = tmp_path / "new"
    new.mkdir()
    for name in ("series_2025.csv", "year_2024.csv", "year_2025.csv", "other.csv"):
        (new / name).write_text("x\n")
    return tmp_path


def test_a_new_file_replaces_the_one_file_of_its_role(fake_script):
    inputs = plan_inputs(fake_script, "fake", [fake_script / "new" / "series_2025.csv"], fake_script / "src")
    assert sorted(p.name for p in inputs.files) == ["series_2025.csv", "year_2023.csv", "year_2024.csv"]
    assert inputs.lines() == ["`series_2025.csv` replaces `pub/series_2024.csv`"]


def test_a_yearly_file_is_added_or_replaces_the_one_of_the_same_name(fake_script):
    files = [fake_script / "new" / "year_2025.csv", fake_script / "new" / "year_2024.csv"]
    inputs = plan_inputs(fake_script, "fake", files, fake_script / "src")
    names = sorted(str(p.relative_to(fake_script)) for p in inputs.files)
    assert names == ["new/year_2024.csv", "new/year_2025.csv", "src/pub/series_2024.csv", "src/pub/year_2023.csv"]
    assert inputs.lines() == ["`year_2025.csv` added", "`year_2024.csv` replaces `pub/year_2024.csv`"]


def test_a_file_the_script_does_not_read_is_refused(fake_script):
    with pytest.raises(Exception, match="other.csv is not a file its script reads"):
        plan_inputs(fake_script, "fake", [fake_script / "new" / "other.csv"], fake_script / "src")


def test_the_entry_goes_under_the_title_and_takes_in_unreleased_notes(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog: x\n\n## Unreleased\n\n- a note\n\n## 1.0.0 (2026-01-01)\n\n- First.\n")
    prepend_changelog(path, "## 1.1.0 (2026-02-01)\n\nMINOR: new rows.\n")
    text = path.read_text()
    assert text.index("# Changelog: x") < text.index("## 1.1.0") < text.index("- a note") < text.index("## 1.0.0")
    assert "Unreleased" not in text


# Whole updates on a copy of the project

needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the publishers' files are not at {SOURCES}")


@pytest.fixture
def project(tmp_path):
    """A copy of the project with its ingest scripts (update runs them)."""
    target = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "scripts", target / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def publisher_rows(relative: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((SOURCES / relative).read_text(encoding="utf-8-sig"))))
    return rows[0], rows[1:]


def write_release(path, header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def in_care_row(rows) -> int:
    """The latest 'looked after at 31 March' row of the publisher's time series."""
    latest = max(int(r[0]) for r in rows)
    return next(i for i, r in enumerate(rows) if int(r[0]) == latest and r[5] == "Children looked after at 31 March")


def update(project, *args):
    return run_report(project, "data", "update", PACKAGE, *map(str, args), "--sources", str(SOURCES))


def snapshot(folder) -> dict:
    """Every file of the project but the build cache (where the writer lock lives), by content."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def package_json(project) -> dict:
    return json.loads((project / "data" / PACKAGE / "datapackage.json").read_text())


@needs_sources
def test_a_corrected_value_is_a_patch_release_with_a_changelog_entry(project, tmp_path):
    header, rows = publisher_rows(TIME_SERIES)
    index = in_care_row(rows)
    year, old = rows[index][0], rows[index][6]
    rows[index][6] = str(int(old) + 10)
    before = package_json(project)["version"]
    done = update(project, write_release(tmp_path / "cla_time_series_1994_2024.csv", header, rows))
    assert done.returncode == 0, done.stderr
    descriptor = package_json(project)
    assert descriptor["version"] == next_version(before, PATCH)
    assert descriptor["created"].endswith("Z") and "T" in descriptor["created"]
    changelog = (project / "data" / PACKAGE / "CHANGELOG.md").read_text()
    entry = changelog.split("\n## ")[1]
    assert entry.startswith(f"{descriptor['version']} (")
    assert "PATCH: corrected values" in entry
    assert f"year {year}, measure looked_after_at_31_march: `number` {old} → {int(old) + 10}" in entry
    series = pd.read_csv(project / "data" / PACKAGE / "england-series.csv", dtype=str)
    latest = series[(series["year"] == year) & (series["measure"] == "looked_after_at_31_march")]
    assert latest["number"].tolist() == [str(int(old) + 10)]
    assert run_report(project, "data", "validate", PACKAGE).returncode == 0


@needs_sources
def test_a_new_year_is_a_minor_release_naming_the_period(project, tmp_path):
    header, rows = publisher_rows(TIME_SERIES)
    latest = max(int(r[0]) for r in rows)
    added = [[str(latest + 1), *r[1:6], str(int(r[6]) + 100)] for r in rows if int(r[0]) == latest]
    before = package_json(project)["version"]
    done = update(project, write_release(tmp_path / f"cla_time_series_1994_{latest + 1}.csv", header,
                                         added + rows))
    assert done.returncode == 0, done.stderr
    assert package_json(project)["version"] == next_version(before, MINOR)
    entry = (project / "data" / PACKAGE / "CHANGELOG.md").read_text().split("\n## ")[1]
    assert "MINOR: new periods" in entry
    assert f"`england-series`: {len(added)} rows added (new period {latest + 1})" in entry
    assert f"`cla_time_series_1994_{latest + 1}.csv` replaces `{TIME_SERIES}`" in entry
    assert "SOURCES" in done.stdout  # tells the analyst how to make this release the default


@needs_sources
def test_dry_run_prints_the_diff_and_writes_nothing(project, tmp_path):
    header, rows = publisher_rows(TIME_SERIES)
    rows[in_care_row(rows)][6] = "1"
    before = snapshot(project)
    done = update(project, write_release(tmp_path / "cla_time_series_1994_2024.csv", header, rows), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "PATCH" in done.stdout and "→ 1" in done.stdout and "nothing written" in done.stdout
    assert snapshot(project) == before


@needs_sources
def test_a_release_that_does_not_validate_writes_nothing(project, tmp_path):
    header, rows = publisher_rows(TIME_SERIES)
    rows[in_care_row(rows)][6] = "-5"  # `number` has minimum 0
    before = snapshot(project / "data")
    done = update(project, write_release(tmp_path / "cla_time_series_1994_2024.csv", header, rows))
    assert done.returncode == 1
    assert "does not validate" in done.stderr and "england-series" in done.stderr and "number" in done.stderr
    assert snapshot(project / "data") == before


@needs_sources
def test_a_changed_publisher_header_fails_loudly_and_writes_nothing(project, tmp_path):
    header, rows = publisher_rows(TIME_SERIES)
    before = snapshot(project / "data")
    done = update(project, write_release(tmp_path / "cla_time_series_1994_2024.csv", header[:-1],
                                         [r[:-1] for r in rows]))
    assert done.returncode == 1
    assert "publisher header changed in cla_time_series_1994_2024.csv" in done.stderr
    assert snapshot(project / "data") == before


@needs_sources
def test_the_same_release_again_changes_nothing(project):
    before = snapshot(project / "data")
    done = update(project, SOURCES / TIME_SERIES)
    assert done.returncode == 0, done.stderr
    assert "no changes" in done.stdout
    assert snapshot(project / "data") == before
