"""Display check against local web servers reached through the configured proxy."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from beian.registry import display
from beian.registry.models import DisplayFinding, DisplayOutcome

pytestmark = pytest.mark.django_db

PAGES: dict[str, str] = {}


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy that serves each host's page from PAGES (404 otherwise)."""

    def do_GET(self):  # noqa: N802 - http.server's name
        host = urlsplit(self.path).hostname or self.headers.get("Host", "")
        body = PAGES.get(host)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        BEIAN={**settings.BEIAN, "DISPLAY_CHECK_PROXY": f"http://127.0.0.1:{server.server_port}"}
    ):
        yield PAGES
    server.shutdown()
    server.server_close()
    PAGES.clear()


def footer(number: str, href: str = "https://beian.miit.gov.cn/") -> str:
    return f'<html><body><p>hello</p><footer><a href="{href}" target="_blank">{number}</a></footer></body></html>'


def test_missing_wrong_and_correct_footers(proxy, filed, clock):
    clock.set(2026, 3, 2, 10)  # a Monday
    good = filed(["good.cn"])
    wrong = filed(["wrong.cn"])
    missing = filed(["missing.cn"])
    unlinked = filed(["unlinked.cn"])
    proxy["www.good.cn"] = footer(good.icp_number)
    proxy["www.wrong.cn"] = footer(good.icp_number)  # someone else's number
    proxy["www.missing.cn"] = "<html><body><p>no footer</p></body></html>"
    proxy["www.unlinked.cn"] = f"<html><body><footer>{unlinked.icp_number}</footer></body></html>"

    findings = {f.website_id: f for f in display.check_due_websites()}
    assert findings[good.pk].outcome == DisplayOutcome.OK and findings[good.pk].deadline is None
    assert findings[wrong.pk].outcome == DisplayOutcome.WRONG
    assert findings[wrong.pk].shown == good.icp_number
    assert findings[missing.pk].outcome == DisplayOutcome.MISSING
    assert findings[unlinked.pk].outcome == DisplayOutcome.NOT_LINKED
    # Five working days to fix: Mon 2 March -> Mon 9 March, end of day.
    assert findings[missing.pk].deadline.date().isoformat() == "2026-03-09"
    # Checked websites are not due again until the interval has passed.
    assert display.check_due_websites() == []


def test_a_fix_resolves_the_finding_and_the_deadline_stays_while_unfixed(proxy, filed, clock):
    clock.set(2026, 3, 2, 10)
    website = filed(["site.cn"])
    proxy["www.site.cn"] = "<html><body>nothing</body></html>"
    first = display.check_website(website)
    assert first.outcome == DisplayOutcome.MISSING
    deadline = first.deadline
    clock.advance(days=1)
    proxy["www.site.cn"] = footer("苏ICP备00000001号-1")
    second = display.check_website(website)
    assert second.outcome == DisplayOutcome.WRONG and second.deadline == deadline
    clock.advance(days=1)
    proxy["www.site.cn"] = footer(website.icp_number, href="http://beian.miit.gov.cn")
    third = display.check_website(website)
    assert third.outcome == DisplayOutcome.OK and third.resolved_at == clock.now()
    assert third.deadline is None
    assert DisplayFinding.objects.count() == 1


def test_guangdong_shows_the_subject_number(proxy, filed):
    website = filed(["gd.cn"], province="440000", abbreviation="粤")
    proxy["www.gd.cn"] = footer(website.subject.icp_number)
    assert display.check_website(website).outcome == DisplayOutcome.OK


def test_number_linked_elsewhere_is_not_linked(proxy, filed):
    website = filed(["elsewhere.cn"])
    proxy["www.elsewhere.cn"] = footer(
        website.icp_number, href="https://beian.miit.gov.cn.evil.cn/"
    )
    assert display.check_website(website).outcome == DisplayOutcome.NOT_LINKED


def test_unreachable_home_page(proxy, filed):
    website = filed(["down.cn"])  # the proxy answers 404
    finding = display.check_website(website)
    assert finding.outcome == DisplayOutcome.UNREACHABLE and finding.deadline is not None


def test_home_url_is_used_when_set(proxy, filed):
    website = filed(["home.cn"], home_url="http://blog.home.cn/index.html")
    proxy["blog.home.cn"] = footer(website.icp_number)
    assert display.check_website(website).outcome == DisplayOutcome.OK


def test_back_office_lists_open_findings_for_staff_only(proxy, filed, client, staff, applicant):
    website = filed(["list.cn"])
    proxy["www.list.cn"] = "<html></html>"
    display.check_website(website)
    client.force_login(staff["reviewer"])
    page = client.get("/display-findings/")
    assert page.status_code == 200 and website.icp_number in page.content.decode()
    client.force_login(applicant)
    assert client.get("/display-findings/").status_code == 403


class _Crowd:
    """A forward proxy that holds the first requests until `size` are in flight
    at once (or 5 s pass), and notes the most it saw at once; hosts in `stall`
    are answered only after `stall_seconds`."""

    def __init__(self, size: int, stall: set[str] = frozenset(), stall_seconds: float = 0):
        crowd = self
        self.size = size
        self.in_flight = 0
        self.peak = 0
        self.cond = threading.Condition()

        class Handler(_Proxy):
            def do_GET(self):  # noqa: N802 - http.server's name
                host = urlsplit(self.path).hostname or ""
                if host in stall:
                    threading.Event().wait(stall_seconds)
                    return super().do_GET()
                with crowd.cond:
                    crowd.in_flight += 1
                    crowd.peak = max(crowd.peak, crowd.in_flight)
                    crowd.cond.notify_all()
                    crowd.cond.wait_for(lambda: crowd.peak >= crowd.size, timeout=5)
                try:
                    super().do_GET()
                finally:
                    with crowd.cond:
                        crowd.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def settings(self, **knobs):
        return override_settings(
            BEIAN={
                **settings.BEIAN,
                "DISPLAY_CHECK_PROXY": f"http://127.0.0.1:{self.server.server_port}",
                **knobs,
            }
        )

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        PAGES.clear()


def test_a_batch_fetches_its_pages_concurrently_and_bounded(filed, clock):
    clock.set(2026, 3, 2, 10)
    sites = [filed([f"crowd{i}.cn"]) for i in range(6)]
    for site in sites:
        PAGES[f"www.{site.domains.first().name}"] = footer(site.icp_number)
    crowd = _Crowd(size=3)
    try:
        with crowd.settings(DISPLAY_CHECK_CONCURRENCY=3):
            findings = display.check_due_websites()
    finally:
        crowd.stop()
    # Three requests were in flight at once, and never more than three.
    assert crowd.peak == 3
    assert {f.outcome for f in findings} == {DisplayOutcome.OK}
    assert len(findings) == 6


def test_a_page_slower_than_the_timeout_is_unreachable(filed, clock):
    clock.set(2026, 3, 2, 10)
    slow, fast = filed(["slow.cn"]), filed(["fast.cn"])
    PAGES["www.slow.cn"] = footer(slow.icp_number)
    PAGES["www.fast.cn"] = footer(fast.icp_number)
    crowd = _Crowd(size=1, stall={"www.slow.cn"}, stall_seconds=3)
    try:
        with crowd.settings(DISPLAY_CHECK_TIMEOUT=0.5, DISPLAY_CHECK_CONCURRENCY=2):
            findings = {f.website_id: f for f in display.check_due_websites()}
    finally:
        crowd.stop()
    assert findings[slow.pk].outcome == DisplayOutcome.UNREACHABLE
    assert "timed out" in findings[slow.pk].detail
    assert findings[fast.pk].outcome == DisplayOutcome.OK


def test_a_page_that_trickles_in_times_out_as_a_whole(filed, clock):
    # Every byte arrives well within the timeout, the whole page does not.
    website = filed(["trickle.cn"])

    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                threading.Event().wait(0.1)
            handler.wfile.write(footer(website.icp_number).encode())
        except OSError:
            pass  # the check gave up

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            trickle(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    knobs = {
        **settings.BEIAN,
        "DISPLAY_CHECK_PROXY": f"http://127.0.0.1:{server.server_port}",
        "DISPLAY_CHECK_TIMEOUT": 1,
    }
    try:
        with override_settings(BEIAN=knobs):
            finding = display.check_website(website)
    finally:
        server.shutdown()
        server.server_close()
    assert finding.outcome == DisplayOutcome.UNREACHABLE
    assert "not read within 1 s" in finding.detail
