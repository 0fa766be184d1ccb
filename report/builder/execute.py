"""Execute chapters on a small pool of long-lived Jupyter kernels.

Each kernel starts once, imports the chapter setup once (pandas, altair, vl-convert, the theme), and
then runs chapters one after another through one connected client, clearing its namespace between them.
Kernels run in parallel, one per core by default. A failing chapter is reported with its name, cell and error; the others finish.
"""

from __future__ import annotations

import asyncio
import signal
import os
import re
import shutil
import tempfile
import time
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from report.builder.parse import Cell, Chapter, Markdown

# The chapter setup (charts are rendered by the builder, not here, so no vl-convert start-up).
# gc.freeze() then sets everything imported aside from garbage collection: `%reset -f` between chapters
# runs gc.collect(), which otherwise walks all of pandas and altair each time (~0.15-0.4 s per chapter).
WARM_UP = """{setup}import gc
gc.freeze()"""
DEFAULT_CELL_TIMEOUT = 120
SETUP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
# After a chapter: the files of every module the kernel has imported (the cache keys a chapter on them).
MODULES = ("import json as __json, sys as __sys\n"
           "print(__json.dumps(sorted({getattr(m, '__file__', None) or '' for m in list(__sys.modules.values())})))\n"
           "del __json, __sys")
WARM_UP_TIMEOUT = 300  # the imports, not a chapter's cell: --cell-timeout does not apply (a loaded machine
# can take several seconds to import pandas and Altair)


@dataclass
class ChapterRun:
    """The executed notebook of one chapter, or the error that stopped it."""

    chapter: Chapter
    notebook: nbformat.NotebookNode | None
    error: str | None
    seconds: float
    modules: list[str] = field(default_factory=list)  # the files of the modules the kernel had imported

    @property
    def ok(self) -> bool:
        return self.error is None


def to_notebook(chapter: Chapter, root: Path, setup: str = "") -> nbformat.NotebookNode:
    """One preamble cell, then a cell per `{python}` block and per paragraph group with inline code."""
    cells = [_code(_preamble(chapter, root, setup), role="preamble")]
    for index, block in enumerate(chapter.blocks):
        if isinstance(block, Cell) and block.options.get("eval", True):
            cells.append(_code(block.source, role="code", block=index))
        elif isinstance(block, Markdown) and block.inline_expressions:
            thunks = ",\n".join(f"    lambda: ({expr})" for expr in block.inline_expressions)
            cells.append(_code(f"__report_inline__(\n{thunks},\n)", role="inline", block=index))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def _preamble(chapter: Chapter, root: Path, setup: str) -> str:
    """A clean namespace in the project folder; the setup module told which chapter runs, if it asks (a
    `declare(name, packages)` function: the report's limits `load` to the packages declared)."""
    declare = ([f"import {setup} as __setup",
                f"getattr(__setup, 'declare', lambda *_: None)({chapter.name!r}, {chapter.packages!r})",
                "del __setup"] if setup else [])
    return "\n".join([
        "get_ipython().run_line_magic('reset', '-f')",
        "import os as __os",
        f"__os.chdir({str(root)!r})",
        "del __os",
        *declare,
        "from report.builder.kernel import inline as __report_inline__",
    ])


def setup_module(name: str) -> str:
    """The module each kernel imports once (`_quarto.yml` report.kernel-setup), checked to be a module name."""
    if name and not SETUP_NAME.fullmatch(name):
        raise ValueError(f"_quarto.yml: report.kernel-setup: {name!r} is not a module name")
    return name


def _code(source: str, **report) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["report"] = report
    return cell


class KernelPool:
    """Long-lived kernels that each run many chapters; restarted only when one dies or hangs.

    Each kernel keeps one connected client, so a chapter starts at once (a new client spends ~0.2 s
    connecting and waiting for the kernel to be ready).
    """

    def __init__(self, root: Path, size: int, cell_timeout: int, setup: str = ""):
        self.root, self.size, self.cell_timeout, self.setup = root, size, cell_timeout, setup_module(setup)
        self.idle: asyncio.Queue = asyncio.Queue()
        self.sigterm = signal.getsignal(signal.SIGTERM)  # the build's handler, restored after each chapter
        self.terminated, self.main = False, None  # SIGTERM while chapters run cancels `main` (execute_all)
        self.kernels: list[tuple] = []

    async def __aenter__(self) -> "KernelPool":
        await self.start()
        return self

    async def __aexit__(self, *_) -> None:
        await self.stop()

    async def start(self) -> None:
        kernels = await asyncio.gather(*(self._start() for _ in range(self.size)))
        for kernel in kernels:
            self.idle.put_nowait(kernel)

    async def stop(self) -> None:
        await asyncio.gather(*(self._stop(kernel) for kernel in self.kernels), return_exceptions=True)

    async def _start(self) -> tuple:
        env = {**os.environ, "REPORT_PROJECT": str(self.root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        # IPC sockets in a private temp folder: no open TCP ports, no "running over TCP" warnings
        sockets = tempfile.mkdtemp(prefix="report-kernel-")
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
        await km.start_kernel(cwd=str(self.root), env=env)
        kc = km.client()
        kernel = (km, kc)
        self.kernels.append(kernel)
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        warm_up = WARM_UP.format(setup=f"import {self.setup}\n" if self.setup else "")
        await self._client(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(warm_up)]),
                           kernel, timeout=max(self.cell_timeout, WARM_UP_TIMEOUT)).async_execute()
        return kernel

    async def _stop(self, kernel: tuple) -> None:
        km, kc = kernel
        kc.stop_channels()
        if await km.is_alive():
            await km.shutdown_kernel(now=True)
        await km.cleanup_resources()
        shutil.rmtree(os.path.dirname(km.ip), ignore_errors=True)

    def _client(self, notebook, kernel: tuple, on_cell_start=None, timeout=None) -> NotebookClient:
        client = NotebookClient(notebook, km=kernel[0], timeout=timeout or self.cell_timeout, allow_errors=False,
                                shutdown_kernel="immediate", record_timing=False, on_cell_start=on_cell_start)
        client.kc = kernel[1]  # the kernel's own client, already connected (not a constructor option)
        return client

    def _on_cell(self, current: dict, cell) -> None:
        """Each cell: note it, and take SIGTERM back from nbclient (which would kill one kernel and go on)."""
        current.update(cell=cell)
        if self.main is not None:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminate)

    def _terminate(self) -> None:
        self.terminated = True
        self.main.cancel()

    async def run(self, chapter: Chapter) -> ChapterRun:
        kernel = await self.idle.get()
        notebook = to_notebook(chapter, self.root, self.setup)
        current = {}
        client = self._client(notebook, kernel, lambda cell, cell_index: self._on_cell(current, cell))
        started = time.perf_counter()
        error, healthy = None, True
        modules = []
        try:
            await client.async_execute()
            modules = await self._modules(kernel)
        except CellExecutionError as failure:
            error = describe_failure(chapter, current.get("cell"), failure)
        except (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as failure:
            error, healthy = describe_failure(chapter, current.get("cell"), failure), False
        finally:  # nbclient's exit resets SIGTERM to "die at once"; ours unwinds and cleans up
            signal.signal(signal.SIGTERM, self.sigterm)
        if not healthy:
            await self._stop(kernel)
            self.kernels.remove(kernel)
            kernel = await self._start()
        self.idle.put_nowait(kernel)
        return ChapterRun(chapter, notebook if error is None else None, error,
                          time.perf_counter() - started, modules)

    async def _modules(self, kernel: tuple) -> list[str]:
        listing = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(MODULES)])
        await self._client(listing, kernel).async_execute()
        output = listing.cells[0].outputs[0]
        return [name for name in json.loads(output["text"]) if name]


def describe_failure(chapter: Chapter, cell, failure: Exception) -> str:
    """Chapter name, the cell's source line and the error, without the kernel's traceback noise."""
    where = _cell_location(chapter, cell)
    if isinstance(failure, CellExecutionError):
        message = f"{failure.ename}: {failure.evalue}"
    elif isinstance(failure, CellTimeoutError):
        message = f"timed out (per-cell limit reached): {str(failure).splitlines()[0]}"
    elif isinstance(failure, DeadKernelError):
        message = "the kernel died while running this cell"
    else:
        message = f"{type(failure).__name__}: {failure}"
    return f"chapter {chapter.name}, {where}: {message}"


def _cell_location(chapter: Chapter, cell) -> str:
    if cell is None:
        return "before the first cell"
    meta = cell.metadata.get("report", {})
    if meta.get("role") == "preamble":
        return "chapter setup"
    block = chapter.blocks[meta["block"]]
    kind = "inline code in the paragraph" if meta["role"] == "inline" else "cell"
    return f"{kind} at {chapter.path.name}:{block.line}"


async def execute_all(chapters: list[Chapter], root: Path, *, workers: int | None = None,
                      cell_timeout: int = DEFAULT_CELL_TIMEOUT, progress=None,
                      alongside=None, setup: str = "") -> list[ChapterRun]:
    """Run every chapter; results in the chapters' order, failures included.

    `alongside` (the build's data validation) runs in a thread while the kernels start; chapters run
    only after it returns, and none run if it raises (its error is raised once the kernels are stopped).
    """
    if not chapters:
        if alongside is not None:
            alongside()
        return []
    size = max(1, min(workers or os.cpu_count() or 1, len(chapters)))
    pool = KernelPool(root, size, cell_timeout, setup)
    starting = asyncio.ensure_future(pool.start())
    try:
        if alongside is not None:
            await asyncio.to_thread(alongside)
        await starting

        async def one(chapter: Chapter) -> ChapterRun:
            run = await pool.run(chapter)
            if progress:
                progress(run)
            return run

        pool.main = asyncio.current_task()
        return list(await asyncio.gather(*(one(c) for c in chapters)))
    except asyncio.CancelledError:
        if not pool.terminated:
            raise
        if callable(pool.sigterm):
            pool.sigterm(signal.SIGTERM, None)  # the command's own SIGTERM handler: unwind and clean up
        raise RuntimeError("terminated (SIGTERM)") from None
    finally:
        await asyncio.gather(starting, return_exceptions=True)
        await pool.stop()


def run_chapters(chapters: list[Chapter], root: Path, **options) -> list[ChapterRun]:
    return asyncio.run(execute_all(chapters, root, **options))
