"""Static forms of every chart (Vega spec, SVG, PNG), rendered once per distinct chart and cached.

The kernels hand over only the Vega-Lite spec. A separate worker process renders with vl-convert while
the kernels go on executing, so rendering overlaps execution; a chart whose spec did not change since a
previous build costs nothing. Entries carry a checksum; a damaged entry is rendered again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from report.builder.cache import Key, Store
from report.builder.children import die_with_parent
from report.builder.kernel import CHART_MIME
from report.builder.narrow import fit
from report.fonts import register_with_vl_convert
from report.theme import PHONE

PNG_SCALE = 2
DATETIME_MS = re.compile(r"datetime\((-?\d+(?:\.\d+)?)\)")
NARROW_SOURCE = Path(__file__).with_name("narrow.py")  # the phone layout is part of a chart's identity


@dataclass(frozen=True)
class Views:
    vega: dict
    svg: str
    png: bytes
    narrow_vega: dict | None = None  # the phone form (report/builder/narrow.py): same data, laid out for 340 px
    narrow_svg: str = ""


def spec_key(spec: dict) -> str:
    """The chart's identity: its spec and the renderer's version (fonts are pinned with the project)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    layout = NARROW_SOURCE.read_text(encoding="utf-8") + json.dumps(PHONE, sort_keys=True)
    return hashlib.sha256(f"{metadata.version('vl-convert-python')}\0{layout}\0{text}".encode()).hexdigest()


WARM_UP = {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}}


def _warm_worker(builder: int) -> None:
    """The worker dies with the build (children.die_with_parent); vl-convert's engine started and the fonts
    registered, by one tiny chart."""
    die_with_parent(builder)
    render_views(WARM_UP, png=False)


def render_views(spec: dict, png: bool = True) -> tuple[dict, str, bytes, dict, str]:
    """Vega-Lite -> (Vega, SVG, PNG at twice the size or b"" if not `png`, phone Vega, phone SVG), with the
    house fonts registered."""
    import vl_convert

    vega, svg = draw(spec)
    _, narrow_vega, narrow_svg = fit(spec, draw)
    return vega, svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE) if png else b"", narrow_vega, narrow_svg


def draw(spec: dict) -> tuple[dict, str]:
    """Vega-Lite -> (Vega, SVG) by vl-convert, with the house fonts."""
    import vl_convert

    register_with_vl_convert()
    vega = plain_times(vl_convert.vegalite_to_vega(spec))
    return vega, vl_convert.vega_to_svg(vega)


def plain_times(node):
    """`{"signal": "datetime(<ms>)"}` (Vega-Lite's form of a time given in milliseconds) as the number: the
    CSP-safe interpreter reads datetime(ms) as a year and gives no date, so a time scale with such a domainMin
    drew nothing in the browser."""
    if isinstance(node, dict):
        match = DATETIME_MS.fullmatch(node.get("signal", "")) if set(node) == {"signal"} else None
        return json.loads(match.group(1)) if match else {key: plain_times(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain_times(value) for value in node]
    return node


def vega_svg(vega: dict) -> str:
    """A compiled Vega spec drawn as SVG, with the house fonts (the post-build checks draw published specs)."""
    import vl_convert

    register_with_vl_convert()
    return vl_convert.vega_to_svg(vega)


class ChartRenderer:
    """Render charts in one worker process as they arrive; serve repeats from `.cache/charts/`."""

    def __init__(self, cache_dir: Path):
        self.store = Store(Path(cache_dir) / "charts")  # entries named by the spec's hash
        self.pending: dict[str, Future] = {}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "ChartRenderer":
        return self

    def __exit__(self, *_) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:  # spawn: the builder holds zmq sockets and threads that must not be forked
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_warm_worker, initargs=(os.getpid(),))
        return self._pool

    def executor(self) -> ProcessPoolExecutor:
        """The worker itself, for other vl-convert work (a page provider's chart compiles): its engine is warm."""
        return self._worker()

    def warm(self) -> None:
        """Start the worker now, so its start-up overlaps the kernels'."""
        self._worker()

    def submit(self, spec: dict) -> None:
        key = spec_key(spec)
        if key not in self.pending and self._read(key) is None:
            self.pending[key] = self._worker().submit(render_views, spec)

    def views(self, spec: dict) -> Views:
        key = spec_key(spec)
        cached = self._read(key)
        if cached is not None:
            return cached
        future = self.pending.pop(key, None) or self._worker().submit(render_views, spec)
        views = Views(*future.result())
        self._write(key, views)
        return views

    def _read(self, key: str) -> Views | None:
        payload, _ = self.store.lookup(key, Key({"spec": key}))
        if payload is None:
            return None
        return Views(payload["vega"], payload["svg"], base64.b64decode(payload["png"]),
                     payload["narrow_vega"], payload["narrow_svg"])

    def _write(self, key: str, views: Views) -> None:
        payload = {"vega": views.vega, "svg": views.svg, "png": base64.b64encode(views.png).decode(),
                   "narrow_vega": views.narrow_vega, "narrow_svg": views.narrow_svg}
        self.store.write(key, Key({"spec": key}), payload)


def chart_specs(notebook) -> list[dict]:
    """The Vega-Lite specs a chapter's notebook displayed, in order."""
    return [output["data"][CHART_MIME]["vegalite"] for cell in notebook.cells
            for output in cell.get("outputs", []) if CHART_MIME in output.get("data", {})]
