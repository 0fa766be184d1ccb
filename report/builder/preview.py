"""`report preview`: build, serve `_site/` on 127.0.0.1 with live reload, rebuild when a source changes.

The builder runs in this one process, so the loaded packages (Altair, pandas, frictionless, the
builder itself) stay imported between rebuilds. The server reads `_site/` afresh on every request; as
a build publishes atomically, a failed build leaves the last good site served while the error is shown
in the browser (an overlay drawn by the injected client script) and in the terminal.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from report.builder.pipeline import BuildOptions, build
from report.project import Project

STATUS_PATH = "/__preview/status"
CLIENT_PATH = "/__preview/client.js"
CLIENT_FILE = Path(__file__).parent / "assets" / "preview-client.js"
CLIENT_TAG = f'<script src="{CLIENT_PATH}"></script>'.encode()
WATCHED = ["chapters", "_quarto.yml", "data", "report", "references.bib", "index.qmd"]
IGNORED_PARTS = {"__pycache__", ".cache", "_site"}


@dataclass
class PreviewState:
    """What the browser polls: a generation bumped on each good build, and the last build's error."""

    generation: int = 0
    error: str | None = None
    building: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error,
                               "building": self.building}).encode()


def make_handler(site: Path, state: PreviewState):
    """A request handler serving `site` with the live-reload script added to each HTML page."""

    class PreviewHandler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            route = self.path.split("?", 1)[0]
            if route == STATUS_PATH:
                return self._send(state.as_json(), "application/json")
            if route == CLIENT_PATH:
                return self._send(CLIENT_FILE.read_bytes(), "text/javascript")
            target = Path(self.translate_path(route))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._send(inject_client(target.read_bytes()), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler


def inject_client(page: bytes) -> bytes:
    """The page with the live-reload script before `</body>` (only as served by preview, never on disk)."""
    at = page.rfind(b"</body>")
    return page + CLIENT_TAG if at < 0 else page[:at] + CLIENT_TAG + page[at:]


def start_server(site: Path, state: PreviewState, port: int) -> http.server.ThreadingHTTPServer:
    """Serve `site` on 127.0.0.1:`port` (0: any free port) from a daemon thread."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(site, state))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="preview-server", daemon=True).start()
    return httpd


def rebuild(project: Project, options: BuildOptions, state: PreviewState, say) -> None:
    """One build; a failure becomes the state's error (shown in the browser) and the old site stays."""
    with state.lock:
        state.building = True
    started = time.perf_counter()
    try:
        build(project, options, say=say)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # any build failure is shown, the loop goes on watching
        message = str(error) or type(error).__name__
        say(f"preview: build failed ({time.perf_counter() - started:.1f} s):\n{message}")
        with state.lock:
            state.error, state.building = message, False
        return
    say(f"preview: rebuilt in {time.perf_counter() - started:.1f} s")
    with state.lock:
        state.error, state.building = None, False
        state.generation += 1


def watched_paths(project: Project) -> list[Path]:
    return [project.root / name for name in WATCHED if (project.root / name).exists()]


def relevant(change: watchfiles.Change, path: str) -> bool:
    """Skip caches and editors' swap files: they are not sources."""
    parts = set(Path(path).parts)
    name = Path(path).name
    return not (parts & IGNORED_PARTS or name.endswith(("~", ".swp", ".pyc")) or name.startswith(".#"))


def preview(project: Project, options: BuildOptions, port: int = 4200, say=print,
            stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on each change until Ctrl-C, SIGTERM or `stop` is set."""
    state = PreviewState()
    rebuild(project, options, state, say)
    httpd = start_server(Path(options.site_dir or project.site_dir), state, port)
    say(f"preview: serving http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C stops)")
    try:
        for _changes in watchfiles.watch(*watched_paths(project), watch_filter=relevant, stop_event=stop,
                                         debounce=50, step=20, raise_interrupt=True):
            rebuild(project, options, state, say)
    finally:
        httpd.shutdown()
        httpd.server_close()
