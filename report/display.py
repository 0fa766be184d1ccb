"""The display path: one chart object, two outputs. Chapters never test the output format; this does.

A chart shown in a chapter becomes a display bundle holding its Vega-Lite spec. The builder then compiles
it to Vega (so the site ships no Vega-Lite compiler) and renders the static SVG (for the PDF and first
paint) and PNG (report/builder/render.py); `chart_bundle` does the same in-process.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from report.mime import CHART_MIME, INLINE_MIME  # noqa: F401  (re-exported)

MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>@$~^&:;\"'=%])")


def chart_bundle(spec: dict) -> dict:
    """Vega-Lite spec -> {chart json, svg, plain text}, rendered with the house fonts."""
    import vl_convert

    from report.fonts import register_with_vl_convert

    register_with_vl_convert()
    vega = vl_convert.vegalite_to_vega(spec)
    svg = vl_convert.vega_to_svg(vega)
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return {CHART_MIME: {"vegalite": spec, "vega": vega}, "image/svg+xml": svg,
            "text/plain": f"<chart: {' '.join(text) if isinstance(text, list) else text}>"}


def spec_bundle(spec: dict) -> dict:
    """What a kernel hands the builder: the Vega-Lite spec only (the builder renders the static forms)."""
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return {CHART_MIME: {"vegalite": spec},
            "text/plain": f"<chart: {' '.join(text) if isinstance(text, list) else text}>"}


def _renderer(spec: dict, **_) -> dict:
    return spec_bundle(spec)


def enable() -> None:
    """Route every displayed Altair chart through `spec_bundle`; keep all rows (charts are small)."""
    if "report" not in alt.renderers.names():
        alt.renderers.register("report", _renderer)
    alt.renderers.enable("report")
    alt.data_transformers.disable_max_rows()


class Markdown(str):
    """Text that is Markdown on purpose (not escaped when shown inline)."""


def escape_markdown(text: str) -> str:
    """Backslash-escape punctuation so text from data is shown as text, never as Markdown or HTML."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def inline_text(value) -> str:
    """What an inline `{python} expr` shows: strings escaped (unless Markdown), other values via str()."""
    if isinstance(value, Markdown):
        return str(value)
    return escape_markdown(str(value))


def inline(*thunks) -> None:
    """Evaluate a paragraph's inline expressions in order and hand their text to the builder."""
    from IPython.display import display

    display({INLINE_MIME: [inline_text(thunk()) for thunk in thunks]}, raw=True)


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
