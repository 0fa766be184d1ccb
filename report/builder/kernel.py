"""The kernel side of the builder's protocol: what a chapter's kernel hands back, and how.

A chart is a display output of CHART_MIME holding its Vega-Lite spec; a paragraph's inline expressions are
one output of INLINE_MIME, the list of their texts. Both are read back by report/builder/convert.py.
"""

from __future__ import annotations

import re

CHART_MIME = "application/vnd.report.chart+json"
INLINE_MIME = "application/vnd.report.inline+json"
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>@$~^&:;\"'=%])")


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
    from IPython.display import display  # IPython exists only in a kernel

    display({INLINE_MIME: [inline_text(thunk()) for thunk in thunks]}, raw=True)


def chart_output(spec: dict) -> dict:
    """What a kernel hands the builder for a chart: the Vega-Lite spec only (the builder renders the rest)."""
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return {CHART_MIME: {"vegalite": spec},
            "text/plain": f"<chart: {' '.join(text) if isinstance(text, list) else text}>"}
