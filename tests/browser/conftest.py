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


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Visit:
    """A page plus what the tests check on every step: screenshots, labelled
    fields, and that nothing is loaded from outside the server."""

    def __init__(self, page, base_url: str, name: str) -> None:
        self.page = page
        self.base = base_url
        self.origins = {_origin(base_url)}
        self.outside: list[str] = []
        self.step = 0
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        page.on("request", self._watch)

    def _watch(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if _origin(url) not in self.origins:
            self.outside.append(url)

    def allow(self, base_url: str) -> None:
        """Allow one more origin: the simulated MIIT's SMS page, on another loopback port."""
        assert urlsplit(base_url).hostname == "127.0.0.1", base_url
        self.origins.add(_origin(base_url))

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
    assert v.outside == [], f"pages loaded things from outside the allowed origins: {v.outside}"


@pytest.fixture
def settings_dns(settings):
    """The resolve check asks a DNS server on loopback, never the network."""
    from testing.dns import LoopbackDns

    with LoopbackDns() as dns:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": dns.address}
        yield dns


@pytest.fixture
def simulator(live_server, settings):
    """The simulated provincial administration on loopback (its SOAP services, console and
    MIIT SMS page), relaying its SMS codes to the live server, as in one-machine mode.
    Yields its base URL."""
    from testing.servers import serve_simulator

    with serve_simulator() as url:
        settings.BEIAN = {
            **settings.BEIAN,
            "AUTHORITY_URL": url,
            "AUTHORITY_SIM_SMS_RELAY_URL": f"{live_server.url}/api/v1/authority/sms-relay",
            "AUTHORITY_SIM_PASSWORD_RELAY_URL": f"{live_server.url}/api/v1/authority/filing-password-relay",
            "AUTHORITY_SMS_URL": f"{url}/sms/",
            "AUTHORITY_SIM_PROVINCE": "320000",
        }
        yield url
