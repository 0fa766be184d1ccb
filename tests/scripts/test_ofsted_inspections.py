"""The ofsted-inspections script: fails loudly on a changed header; the package reproduces Ofsted's counts."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import RAW_SOURCES, needs_sources

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import ofsted_inspections  # noqa: E402

PACKAGE = ROOT / "data" / "ofsted-inspections"
SHARED = RAW_SOURCES
JUDGEMENTS_2025 = SHARED / "ofsted-la" / "ofsted_la_judgements_as_at_31_March_2025.csv"


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def inspections() -> pd.DataFrame:
    return read(PACKAGE / "inspections.csv")


def test_changed_header_fails_loudly(tmp_path):
    wide = tmp_path / "ofsted_la_inspections_2009_2023.csv"
    wide.write_text("Local authority name,LA region,SLAC date\nBarnet,London,2012-02-24\n")
    others = [tmp_path / "ofsted_ilacs_inspection_history_2018_2025.csv",
              tmp_path / "d2i_ofsted_csc_ilacs_overview_latest.csv"]
    for path in others:
        path.write_text("a,b\n1,2\n")
    with pytest.raises(SystemExit, match="publisher header changed"):
        ofsted_inspections.main([str(wide), *map(str, others), "--out", str(tmp_path / "out")])


def test_first_sif_to_march_2016_matches_ofsted_annual_report(inspections):
    """Ofsted's 2016 annual report: 87 councils inspected under the SIF by 31 March 2016; ~3/4 not good."""
    sif = inspections[(inspections["framework"] == "SIF") & (inspections["publication_date"] <= "2016-03-31")]
    assert len(sif) == 87 and sif["la_code_old"].is_unique
    assert sif["overall_effectiveness"].isin(["Requires improvement", "Inadequate"]).sum() == 64


@needs_sources
def test_row_counts_match_the_publisher_files(inspections):
    wide = read(SHARED / ofsted_inspections.SOURCES[0])
    for framework, (date_column, _) in ofsted_inspections.WIDE_FRAMEWORKS.items():
        expected = wide[date_column].str.strip().ne("").sum()
        assert (inspections["framework"] == framework).sum() == expected, framework
    history = read(SHARED / ofsted_inspections.SOURCES[1])
    assert inspections["framework"].str.startswith("ILACS").sum() == len(history) == 271
    assert (inspections["source"] == "ofsted_2025").sum() == 271


@needs_sources
def test_latest_ilacs_per_current_la_equals_ofsted_judgements_at_march_2025(inspections):
    las = read(ROOT / "data" / "local-authorities" / "local-authorities.csv")
    current = set(las.loc[las["status"] == "current", "la_code_old"])
    ilacs = inspections[inspections["framework"].str.startswith("ILACS")
                        & inspections["la_code_old"].isin(current)]
    latest = ilacs.sort_values("publication_date").groupby("la_code").tail(1).set_index("la_code")
    ofsted = read(JUDGEMENTS_2025).set_index("Local authority area code")
    assert sorted(latest.index) == sorted(ofsted.index) and len(ofsted) == 153
    grades = ofsted["Overall effectiveness"].str.replace(" to be good", "")
    assert (latest.loc[ofsted.index, "overall_effectiveness"] == grades).all()
    assert (latest.loc[ofsted.index, "publication_date"] == ofsted["Publication date"].str[:10]).all()


def test_scraped_rows_are_only_those_after_ofsteds_history(inspections):
    later = read(PACKAGE / "ilacs-after-march-2025.csv")
    assert set(later["source"]) == {"d2i_scrape"}
    assert ((later["inspection_date"] > "2025-03-31") | (later["publication_date"] > "2025-06-30")).all()
    both = later.merge(inspections, on=["la_code_old", "publication_date"])
    assert both.empty


def test_every_la_is_in_the_reference_list(inspections):
    las = set(read(ROOT / "data" / "local-authorities" / "local-authorities.csv")["la_code_old"])
    later = read(PACKAGE / "ilacs-after-march-2025.csv")
    assert set(inspections["la_code_old"]) <= las and set(later["la_code_old"]) <= las
