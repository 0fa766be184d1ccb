"""The prose formatters: financial years, dates, multiples, small counts and lists."""

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
    assert fmt.count_words(1200) == "1,200"
    assert fmt.count_words(0) == "zero" and fmt.count_words(0, zero="none") == "none"


def test_lists_and_parts_of_a_whole_read_as_prose():
    assert fmt.and_list(["a", "b", "c"]) == "a, b and c" and fmt.and_list([2018]) == "2018"
    assert fmt.and_list([]) == ""
    assert fmt.all_or_some(7, 7) == "all seven" and fmt.all_or_some(5, 7) == "five of the seven"
    assert fmt.all_or_some(11, 12) == "11 of the 12"


def test_exact_halves_round_away_from_zero_as_official_tables_do():
    assert fmt.percent(92.5) == "93%" and fmt.percent(0.5) == "1%" and fmt.percent(2.5) == "3%"
    assert fmt.percent(-2.5, signed=True) == "−3%" and fmt.percent(12.25, 1) == "12.3%"
    assert fmt.number(2.675, 2) == "2.68" and fmt.number(1234.5) == "1,235"
    assert fmt.money(1_250_000_000) == "£1.3 billion" and fmt.money(2_500_000) == "£3 million"
    assert fmt.count_words(2.5) == "three" and fmt.share(37, 40) == "93%"
