"""The chart runtime served from `_site/assets/`: Vega's view, parser and the transforms our specs use.

Specs are compiled to Vega at build time, so pages need no Vega-Lite compiler and no vega-embed. The
bundle is made offline by vl-convert from the ES modules it ships, imported by their absolute paths so
the bundler keeps only what is named here, and cached by vl-convert's version and the module list.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from importlib import metadata
from pathlib import Path

# The ES modules vl-convert 1.9 vendors (vega 6.2). `transforms` modules register their transforms.
VIEW = ("vega-view", "6.1.0")
PARSER = ("vega-parser", "7.1.0")
DATAFLOW = ("vega-dataflow", "6.1.0")
UTIL = ("vega-util", "2.1.0")
TOOLTIP = ("vega-tooltip", "1.0.0")
INTERPRETER = ("vega-interpreter", "2.0.0")  # expressions without eval, so pages keep CSP script-src 'self'
TRANSFORMS = [("vega-transforms", "5.1.0"), ("vega-view-transforms", "5.1.0"), ("vega-encode", "5.1.0"),
              ("vega-regression", "2.1.0")]
# Transforms of the modules left out (maps, networks, trees, word clouds, crossfilter, labels): a spec using
# one fails the build with this module's name rather than drawing nothing in the browser.
LEFT_OUT = {
    "vega-geo": {"contour", "geojson", "geopath", "geopoint", "geoshape", "graticule", "heatmap",
                 "isocontour", "kde2d", "projection"},
    "vega-force": {"force"},
    "vega-hierarchy": {"nest", "pack", "partition", "stratify", "tree", "treelinks", "treemap"},
    "vega-voronoi": {"voronoi"},
    "vega-wordcloud": {"wordcloud"},
    "vega-crossfilter": {"crossfilter", "resolvefilter"},
    "vega-label": {"label"},  # Vega-Lite never writes it
}
# What Altair's default HTML loads per chart page: vega 521 KB + vega-lite 258 KB + vega-embed 60 KB.
ALTAIR_DEFAULT_JS_BYTES = (521 + 258 + 60) * 1000
SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"', re.I)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\b(?:src|type)=)[^>]*>(.*?)</script>", re.I | re.S)


def snippet() -> str:
    """The ES module vl-convert bundles: `window.vega = {View, parse, Handler, expressionInterpreter}`, transforms registered."""
    def path(module):
        return f"/npm/{module[0]}@{module[1]}/+esm"

    names = [f"t{i}" for i in range(len(TRANSFORMS))]
    lines = [f'import {{View}} from "{path(VIEW)}";', f'import {{parse}} from "{path(PARSER)}";',
             f'import {{transforms}} from "{path(DATAFLOW)}";', f'import {{extend}} from "{path(UTIL)}";',
             f'import {{Handler}} from "{path(TOOLTIP)}";',
             f'import {{expressionInterpreter}} from "{path(INTERPRETER)}";']
    lines += [f'import * as {n} from "{path(m)}";' for n, m in zip(names, TRANSFORMS)]
    lines += [f"extend(transforms, {', '.join(names)});", "window.vega = {View, parse, Handler, expressionInterpreter};"]
    return "\n".join(lines) + "\n"


def js_bundle(cache_dir: Path) -> str:
    """The runtime as one minified script, cached because bundling takes ~3 s."""
    version = metadata.version("vl-convert-python")
    key = hashlib.sha256(snippet().encode()).hexdigest()[:12]
    path = Path(cache_dir) / "js" / f"vega-runtime-{version}-{key}.js"
    if path.is_file() and not os.environ.get("REPORT_FORCE"):  # --force bypasses the cache
        digest, _, text = path.read_text(encoding="utf-8").partition("\n")
        if digest == _entry_digest(key, text):  # a truncated or edited runtime is bundled again
            return text
    import vl_convert

    text = vl_convert.javascript_bundle(snippet())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(_entry_digest(key, text) + "\n" + text)
    os.replace(temp, path)
    return text


def _entry_digest(key: str, text: str) -> str:
    return hashlib.sha256(f"{key}\n{text}".encode()).hexdigest()


def bundle_name(text: str) -> str:
    """A file name that changes with the content, so browsers may cache it for good."""
    return f"vega-runtime.{hashlib.sha256(text.encode()).hexdigest()[:10]}.js"


def unsupported_transforms(spec: dict) -> list[str]:
    """`transform (module)` for each transform in a compiled Vega spec that the runtime lacks."""
    owner = {kind: module for module, kinds in LEFT_OUT.items() for kind in kinds}
    missing = set()

    def walk(node, in_transform: bool) -> None:
        if isinstance(node, dict):
            if in_transform and node.get("type") in owner:
                missing.add(f"{node['type']} ({owner[node['type']]})")
            if node.get("projections"):
                missing.add("projections (vega-geo)")
            for key, value in node.items():
                walk(value, key == "transform")
        elif isinstance(node, list):
            for value in node:
                walk(value, in_transform)

    walk(spec, False)
    return sorted(missing)


def page_js_bytes(page: Path) -> int:
    """Bytes of script a page loads: local `<script src>` files plus inline scripts (not JSON data)."""
    text = page.read_text(encoding="utf-8")
    total = sum(len(body.encode()) for body in INLINE_SCRIPT.findall(text))
    for src in SCRIPT_SRC.findall(text):
        path = page.parent / html.unescape(src).split("?")[0]
        total += path.stat().st_size if path.is_file() else 0
    return total


def js_bytes_ratio(site_dir: Path) -> float:
    """Script bytes of the heaviest chart page over Altair's default (vega + vega-lite + vega-embed)."""
    pages = [p for p in Path(site_dir).glob("*.html") if 'class="chart"' in p.read_text(encoding="utf-8")]
    if not pages:
        return 0.0
    return max(page_js_bytes(p) for p in pages) / ALTAIR_DEFAULT_JS_BYTES
