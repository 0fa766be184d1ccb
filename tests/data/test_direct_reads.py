"""Package files are parsed by report/data/load.py alone: no other report module, and no chapter cell, calls a
pandas reader (a chapter that does is refused by the build: tests/robustness/corpus.py)."""

from __future__ import annotations

import shutil

from report.data.direct_reads import code_problems, direct_reads
from tests.conftest import ROOT


def test_no_report_module_but_the_loader_calls_a_pandas_reader():
    assert code_problems(ROOT / "report") == []


def test_a_planted_reader_in_a_report_module_is_found(tmp_path):
    report = tmp_path / "report"
    shutil.copytree(ROOT / "report", report, ignore=shutil.ignore_patterns("__pycache__", "assets", "templates"))
    (report / "charts" / "sneaky.py").write_text("import pandas\n\n\ndef f():\n    return pandas.read_csv('data/x.csv')\n")
    assert code_problems(report) == ["report/charts/sneaky.py:5: calls pandas.read_csv(); only "
                                     "report/data/load.py parses package files"]


def test_every_way_of_calling_a_reader_is_seen_and_load_is_not():
    source = "\n".join([
        "import pandas as p",
        "from pandas import read_excel as sheet",
        "from report.data.load import read_table",
        "a = p.read_csv('data/widgets/widgets.csv')",
        "b = sheet('x.xlsx')",
        "c = load('widgets')",
        "d = read_table('data/widgets/widgets.csv', {})",
        "e = pd.read_parquet('data/x.parquet')",
    ])
    assert direct_reads(source) == [(4, "p.read_csv"), (5, "sheet"), (8, "pd.read_parquet")]
