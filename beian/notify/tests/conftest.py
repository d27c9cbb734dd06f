"""Real servers on loopback for the notify tests: an SMTP server (aiosmtpd)
and an HTTP SMS gateway (http.server), both in threads of the test process."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailSink:
    """Collects every message the SMTP server accepts. `hold_first` makes the
    server sit on the first message (after receiving all of it) until
    `release` is set: the window in which a test kills the worker."""

    def __init__(self, hold_first: bool = False):
        self.received: list[email.message.EmailMessage] = []
        self.hold_first = hold_first
        self.first_seen = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.received.append(parsed)
            first = len(self.received) == 1
        if first and self.hold_first:
            self.first_seen.set()
            for _ in range(200):  # at most 20 s, without blocking the event loop
                if self.release.is_set():
                    break
                await asyncio.sleep(0.1)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.received]


class SmtpServer:
    def __init__(self, port: int, sink: MailSink):
        self.port = port
        self.sink = sink
        self.controller = Controller(sink, hostname="127.0.0.1", port=port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.sink.release.set()
        self.controller.stop()


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    server = SmtpServer(smtp_port, MailSink()).start()
    yield server
    server.stop()


@pytest.fixture
def use_smtp(settings, smtp_port):
    """Route Django's mail through real SMTP on loopback (pytest-django
    installs the in-memory backend by default)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "beian@beian.test"
    settings.BEIAN = {**settings.BEIAN, "MESSAGE_ID_DOMAIN": "beian.test"}
    return settings


class SmsGateway:
    """A tiny HTTP SMS gateway: records requests; answers with the next status
    in `statuses` (200 when empty); drops a repeated Idempotency-Key like a
    gateway that honours it (answers 200, delivers once)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.statuses: list[int] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                record = {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": raw.decode("utf-8"),
                    "status": status,
                }
                gateway.requests.append(record)
                key = self.headers.get("Idempotency-Key", "")
                if status == 200 and key not in gateway.delivered:
                    gateway.delivered[key] = record
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"ok": status == 200, "id": key}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SmsGateway:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sms_gateway(settings):
    gateway = SmsGateway().start()
    settings.BEIAN = {
        **settings.BEIAN,
        "SMS_BACKEND": "beian.notify.backends.sms.HttpGatewayBackend",
        "SMS_GATEWAY": {
            "URL": gateway.url,
            "USERNAME": "beian",
            "PASSWORD": "s3cret",
            "RATE_PER_HOUR": 3,
            "TIMEOUT": 5,
        },
    }
    yield gateway
    gateway.stop()


@pytest.fixture
def notify_user(db):
    from beian.accounts.models import User

    return User.objects.create_user(
        username="zhangwei-n",
        password="beian-demo-2026",
        email="zhang.wei@example.cn",
        mobile="13962100000",
        language="zh-hans",
    )


@pytest.fixture
def operator(db):
    from beian.accounts.models import Role, User

    return User.objects.create_user(
        username="operator-n", password="x-beian-2026", role=Role.OPERATOR
    )
