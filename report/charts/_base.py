"""What every chart function shares: a finding as title, a subtitle, alt text, and the data's provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import altair as alt
import pandas as pd


@dataclass(frozen=True)
class ChartEntry:
    function: Callable
    inputs: dict[str, str]


CHARTS: dict[str, ChartEntry] = {}


def chart(**inputs: str) -> Callable:
    """Register a chart function and the resources its arguments take (`series="package/resource"`)."""
    def register(function: Callable) -> Callable:
        if function.__name__ in CHARTS:
            raise ValueError(f"two charts are named {function.__name__}")
        CHARTS[function.__name__] = ChartEntry(function, inputs)
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
