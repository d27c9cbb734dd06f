"""Test helpers: Beian and the simulator served on loopback by threads of the test process.

Both servers share the test database connection (as Django's LiveServerTestCase does with an
in-memory SQLite); the simulator only touches its own ``authority_sim*`` tables, so in a
test it behaves as in its own process. Calls go over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager

from django.db import connections
from django.test.testcases import LiveServerThread

from beian.authority.sim.wsgi import SimHandler


def _shared_connections() -> dict:
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            shared[conn.alias] = conn
    return shared


@contextmanager
def serve(handler_factory=None):
    """Serve a WSGI app (Beian's by default) on 127.0.0.1:<free port>; yields the base URL."""
    shared = _shared_connections()
    for conn in shared.values():
        conn.inc_thread_sharing()
    static = (lambda app: handler_factory()) if handler_factory else (lambda app: app)
    thread = LiveServerThread("127.0.0.1", static, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        # Let request threads still finishing (slow answers, keep-alive) end before the
        # shared connection stops being shared.
        for other in threading.enumerate():
            if other is not threading.current_thread() and "process_request_thread" in other.name:
                other.join(timeout=5)
        for conn in shared.values():
            conn.dec_thread_sharing()


@contextmanager
def serve_simulator():
    with serve(SimHandler) as url:
        yield url


class Browser:
    """A tiny form-posting HTTP client with cookies and CSRF, for the simulator's pages."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, form_path: str, data: dict) -> str:
        page = self.get(form_path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + form_path}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


def seed_site_filed_elsewhere(domain: str = "other-host.cn", filing_password: str = "old-password"):
    """The seed's filer already has a site numbered in Beijing at another provider,
    known to the simulator (for add-access and filing-password tests)."""
    from beian.authority.sim import services as sim
    from beian.demo.seed import SEED_ID, SEED_MOBILE

    return sim.seed_external_filing(
        province="110000",
        subject_name="张伟",
        certificate_type=2,
        certificate_number=SEED_ID,
        domains=[domain],
        website_name="张伟的旧站",
        principal={
            "name": "张伟",
            "mobile": SEED_MOBILE,
            "email": "zw@example.cn",
            "certificate_number": SEED_ID,
        },
        filing_password=filing_password,
    )


def deliver_all() -> int:
    """Rounds of the notification worker until nothing is due (the demo data leaves
    more messages than one round takes)."""
    from beian.notify.delivery import deliver_due

    total = 0
    while done := deliver_due("test-worker"):
        total += done
    return total


def filing_password_on_the_phone(phone: str) -> str:
    """The filing password (备案密码) the administration sent, as the person in charge's
    phone shows it: one round of the notification worker sends the relayed SMS (the
    recording backend is the demo's phone screen); Beian's own rows keep it blanked."""
    import re as _re

    from beian.notify.models import RecordedSms

    deliver_all()
    for row in RecordedSms.objects.order_by("-recorded_at", "-pk"):
        found = _re.search(r"备案密码为([A-Za-z0-9]+)", row.text)
        if row.phone == phone and found:
            return found.group(1)
    raise AssertionError(f"no filing password on {phone}")
