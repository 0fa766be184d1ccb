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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from report.builder.cache import Key, Store
from report.builder.kernel import CHART_MIME
from report.builder.children import die_with_parent

PNG_SCALE = 2


@dataclass(frozen=True)
class Views:
    vega: dict
    svg: str
    png: bytes


def spec_key(spec: dict) -> str:
    """The chart's identity: its spec and the renderer's version (fonts are pinned with the project)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{metadata.version('vl-convert-python')}\0{text}".encode()).hexdigest()


WARM_UP = {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}}


def _warm_worker(builder: int) -> None:
    """The worker dies with the build (children.die_with_parent); vl-convert's engine started and the fonts
    registered, by one tiny chart."""
    die_with_parent(builder)
    render_views(WARM_UP, png=False)


def render_views(spec: dict, png: bool = True) -> tuple[dict, str, bytes]:
    """Vega-Lite -> (Vega, SVG, PNG at twice the size, or b"" if not `png`), with the house fonts registered."""
    import vl_convert

    from report.fonts import register_with_vl_convert

    register_with_vl_convert()
    vega = vl_convert.vegalite_to_vega(spec)
    svg = vl_convert.vega_to_svg(vega)
    return vega, svg, vl_convert.svg_to_png(svg, scale=PNG_SCALE) if png else b""


def vega_svg(vega: dict) -> str:
    """A compiled Vega spec drawn as SVG, with the house fonts (the post-build checks draw published specs)."""
    import vl_convert

    from report.fonts import register_with_vl_convert

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
        vega, svg, png = future.result()
        views = Views(vega, svg, png)
        self._write(key, views)
        return views

    def _read(self, key: str) -> Views | None:
        payload, _ = self.store.lookup(key, Key({"spec": key}))
        return None if payload is None else Views(payload["vega"], payload["svg"], base64.b64decode(payload["png"]))

    def _write(self, key: str, views: Views) -> None:
        payload = {"vega": views.vega, "svg": views.svg, "png": base64.b64encode(views.png).decode()}
        self.store.write(key, Key({"spec": key}), payload)


def chart_specs(notebook) -> list[dict]:
    """The Vega-Lite specs a chapter's notebook displayed, in order."""
    return [output["data"][CHART_MIME]["vegalite"] for cell in notebook.cells
            for output in cell.get("outputs", []) if CHART_MIME in output.get("data", {})]
