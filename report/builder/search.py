"""The search index: Pagefind run on the staging folder, so search works offline from `_site/pagefind/`.

What is indexed is said in the templates. A chapter says what it is in its metadata, `kind` `chapter` or
`appendix` (page.html); a page provider's pages carry the one filter, `kind` with the provider's own value
(its SearchGroup); the site's own pages have neither. The search page (assets/search.js) lists chapters first and shows a provider's pages as one
result with a count. Boilerplate is `data-pagefind-ignore` (source lines, downloads, tables behind charts,
pagers, a provider's page furniture), so matches and excerpts come from the prose."""

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
