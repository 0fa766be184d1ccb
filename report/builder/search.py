"""The search index: Pagefind run on the staging folder, so search works offline from `_site/pagefind/`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchError(Exception):
    """Pagefind could not index the site."""


def index(site: Path) -> Path:
    """Index the pages marked `data-pagefind-body` and write `site/pagefind/`; returns that folder."""
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
                          capture_output=True, text=True)
    folder = Path(site) / "pagefind"
    if done.returncode != 0 or not (folder / "pagefind.js").is_file():
        raise SearchError(f"pagefind failed ({done.returncode}): {(done.stderr or done.stdout).strip()}")
    return folder
