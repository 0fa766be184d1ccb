"""What every chart function shares: a finding as title, a subtitle, alt text, and the data's provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import altair as alt
import pandas as pd


@dataclass(frozen=True)
class ChartEntry:
    function: Callable
    inputs: dict[str, str]
    samples: dict[str, tuple] = field(default_factory=dict)  # a parameter's values the chart tests try


CHARTS: dict[str, ChartEntry] = {}


def chart(*, samples: dict[str, tuple] | None = None, **inputs: str) -> Callable:
    """Register a chart function and the resources its arguments take (`series="package/resource"`).
    `samples` gives values the tests try for a parameter that is not data (`{"council": ("805", ...)}`)."""
    def register(function: Callable) -> Callable:
        if function.__name__ in CHARTS:
            raise ValueError(f"two charts are named {function.__name__}")
        CHARTS[function.__name__] = ChartEntry(function, inputs, dict(samples or {}))
        return function
    return register


def finding(chart: alt.TopLevelMixin, *, title: str, subtitle: str | list[str], description: str,
            data: list[pd.DataFrame] | pd.DataFrame) -> alt.TopLevelMixin:
    """Title states the finding; subtitle gives measure, geography, period; usermeta credits the packages."""
    frames = data if isinstance(data, list) else [data]
    return chart.properties(
        title=alt.TitleParams(text=title, subtitle=[subtitle] if isinstance(subtitle, str) else list(subtitle)),
        description=description,
        usermeta={"report": {"sources": provenance(frames)}},
    )


def provenance(frames: list[pd.DataFrame]) -> list[dict]:
    """Each package once, in the order first used."""
    seen, sources = set(), []
    for frame in frames:
        for item in frame.attrs.get("provenance", []):
            key = (item["package"], item["version"])
            if key not in seen:
                seen.add(key)
                sources.append(item)
    if not sources:
        raise ValueError("chart data carries no provenance: load it with report.data.load()")
    return sources


def year_axis(field: str = "year", title: str | None = None) -> alt.X:
    """Years as whole numbers on a continuous axis (no "2,015")."""
    return alt.X(f"{field}:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1))


def spread_labels(values: pd.Series, gap: float, lines: pd.Series | None = None) -> pd.Series:
    """Label positions on an upward axis at least `gap` apart, each as near its value as the ordering allows.

    A label of several `lines` hangs down from its position (as Vega draws it), so it sits `gap` per line
    above the label below it."""
    order = values.sort_values()
    lines = (lines if lines is not None else pd.Series(1, index=values.index)).reindex(order.index)
    placed: list[float] = []
    for value, height in zip(order, lines):
        placed.append(max(value, placed[-1] + gap * height) if placed else value)
    return pd.Series(placed, index=order.index).reindex(values.index)


def stack_labels(rows: pd.DataFrame, value: str, gap: float, text: str | None = None) -> pd.Series:
    """Where to name each segment of one stacked bar (`rows` bottom first): its middle, spread `gap` apart
    per line of the label in column `text`."""
    tops = rows[value].cumsum()
    lines = rows[text].str.count("\n") + 1 if text else None
    return spread_labels(tops - rows[value] / 2, gap, lines)


def end_of_band(x: alt.X) -> alt.X:
    """The same band-scale x, placed at the right edge of the band (for labels beside the last bar)."""
    return alt.X(**(x.to_dict() | {"bandPosition": 1}))
