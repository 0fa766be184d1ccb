"""The chart library served from `_site/assets/`: built once by vl-convert and cached by its version."""

from __future__ import annotations

import os
import tempfile
from importlib import metadata
from pathlib import Path


def js_bundle(cache_dir: Path) -> str:
    """vega + vega-embed (+ vega-lite) as one script, cached because building it takes ~2 s."""
    version = metadata.version("vl-convert-python")
    path = Path(cache_dir) / "js" / f"vl-convert-{version}.js"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    import vl_convert

    text = vl_convert.javascript_bundle()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temp, path)
    return text
