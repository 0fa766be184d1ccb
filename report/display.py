"""The display path: one chart object, two outputs. Chapters never test the output format; this does.

A chart shown in a chapter becomes a display bundle holding its Vega-Lite spec. The builder then compiles
it to Vega (so the site ships no Vega-Lite compiler) and renders the static SVG (for the PDF and first
paint) and PNG (report/builder/render.py); `chart_bundle` does the same in-process.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.builder.kernel import (CHART_MIME, INLINE_MIME, Markdown, chart_output,  # noqa: F401  (re-exported)
                                   escape_markdown, inline, inline_text)
from report.fonts import register_with_vl_convert


def chart_bundle(spec: dict) -> dict:
    """Vega-Lite spec -> {chart json, svg, plain text}, rendered in this process with the house fonts (as
    the builder's renderer does), for tests and notebooks."""
    import vl_convert  # only here: kernels never start vl-convert's engine

    register_with_vl_convert()
    vega = vl_convert.vegalite_to_vega(spec)
    bundle = chart_output(spec)
    return {**bundle, CHART_MIME: {"vegalite": spec, "vega": vega}, "image/svg+xml": vl_convert.vega_to_svg(vega)}


def _renderer(spec: dict, **_) -> dict:
    return chart_output(spec)


def enable() -> None:
    """Route every displayed Altair chart through `chart_output`; keep all rows (charts are small)."""
    if "report" not in alt.renderers.names():
        alt.renderers.register("report", _renderer)
    alt.renderers.enable("report")
    alt.data_transformers.disable_max_rows()


class Table:
    """A DataFrame shown as a Markdown pipe table, so the site and the PDF get the same table."""

    def __init__(self, frame: pd.DataFrame, align: str | None = None):
        self.frame = frame
        self.align = align

    def _repr_markdown_(self) -> str:
        frame = self.frame
        head = "| " + " | ".join(escape_markdown(str(c)) for c in frame.columns) + " |"
        rule = "|" + "|".join(_rule(frame[c]) for c in frame.columns) + "|"
        rows = ["| " + " | ".join(escape_markdown(_cell(v)) for v in row) + " |"
                for row in frame.itertuples(index=False)]
        return "\n".join([head, rule, *rows]) + "\n"

    def __repr__(self) -> str:
        return self.frame.to_string()


def _rule(column: pd.Series) -> str:
    return "---:" if pd.api.types.is_numeric_dtype(column) else ":---"


def _cell(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def table(frame: pd.DataFrame) -> Table:
    return Table(frame)
