"""Serve a built site on 127.0.0.1 and drive Debian's Chromium through Playwright (Playwright's own browser download is never used)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import serve

@pytest.fixture(scope="session")
def server(built):
    with serve(built / "_site") as url:
        yield url


class PageVisit:
    """A page opened with every outside request blocked and recorded, and console errors collected."""

    def __init__(self, browser, url: str, javascript: bool = True, viewport: dict | None = None):
        self.context = browser.new_context(java_script_enabled=javascript, **({"viewport": viewport} if viewport else {}))
        self.page = self.context.new_page()
        self.outside, self.errors = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route("**/*", self._route)
        self.page.goto(url, wait_until="networkidle")

    def _route(self, route):
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            self.outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened = []

    def open_page(path: str, javascript: bool = True) -> PageVisit:
        page = PageVisit(browser, f"{server}/{path}", javascript)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()
