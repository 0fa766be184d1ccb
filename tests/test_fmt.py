"""The prose formatters added for the chapters: financial years, dates, multiples and small counts."""

from __future__ import annotations

import pandas as pd

from report import fmt


def test_financial_year_and_dates_read_as_prose():
    assert fmt.financial_year(2015) == "2014-15"
    assert fmt.financial_year(2000) == "1999-00"
    assert fmt.day_month_year(pd.Timestamp("2016-03-31")) == "31 March 2016"
    assert fmt.month_year(pd.Timestamp("2025-05-14")) == "May 2025"


def test_times_words_and_count_words():
    assert fmt.times_words(2.8) == "nearly trebled"
    assert fmt.times_words(2.1) == "more than doubled"
    assert fmt.times_words(1.3) == "risen by 30%"
    assert fmt.times_words(0.9) == "fallen by 10%"
    assert fmt.count_words(4.08) == "four"
    assert fmt.count_words(12) == "12"
