"""Label placement for directly labelled lines and stacked bars."""

import pandas as pd

from report.charts._base import spread_labels


def test_labels_closer_than_the_gap_are_pushed_apart_in_order():
    placed = spread_labels(pd.Series({"a": 7.0, "b": 6.1, "c": 43.0, "d": 40.3}), 3.2)
    assert placed["b"] == 6.1 and placed["a"] == 6.1 + 3.2
    assert placed["d"] == 40.3 and placed["c"] == 43.5


def test_labels_far_apart_stay_where_they_are():
    values = pd.Series({"a": 10.0, "b": 50.0})
    assert spread_labels(values, 3).equals(values)


def test_a_label_of_two_lines_sits_two_gaps_above_the_label_below():
    values = pd.Series({"low": 10.0, "high": 10.5})
    placed = spread_labels(values, 1.0, pd.Series({"low": 1, "high": 2}))
    assert placed["low"] == 10.0 and placed["high"] == 12.0
