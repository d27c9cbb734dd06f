"""Browser tests: Playwright for Python driving Debian's Chromium.

They skip with a clear message where /usr/bin/chromium or the playwright
package is absent (never `playwright install`: no downloaded browsers).
Screenshots of each step are kept in artifacts/browser/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
# The Chromium browser itself is the session fixture `chromium_browser` (root conftest.py).


class Visit:
    """A page plus what the tests check on every step: screenshots, labelled
    fields, and that nothing is loaded from outside the server."""

    def __init__(self, page, base_url: str, name: str) -> None:
        self.page = page
        self.base = base_url
        self.host = urlsplit(base_url).netloc
        self.outside: list[str] = []
        self.step = 0
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        page.on("request", self._watch)

    def _watch(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if urlsplit(url).netloc != self.host:
            self.outside.append(url)

    def go(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def shot(self, label: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{label}.png"), full_page=True)

    def assert_labelled(self) -> None:
        """Every visible input, select and textarea has a label or an aria-label."""
        unlabelled = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('input, select, textarea'))
                .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                .map(e => e.name || e.id)"""
        )
        assert unlabelled == [], f"fields without a label on {self.page.url}: {unlabelled}"


@pytest.fixture
def visit(chromium_browser, live_server, request):
    context = chromium_browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    v = Visit(page, live_server.url, request.node.name)
    yield v
    context.close()
    assert v.outside == [], f"pages loaded things from outside the server: {v.outside}"


@pytest.fixture
def settings_dns(settings):
    """The resolve check asks a DNS server on loopback, never the network."""
    from .dns_server import LoopbackDns

    with LoopbackDns() as dns:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": dns.address}
        yield dns
