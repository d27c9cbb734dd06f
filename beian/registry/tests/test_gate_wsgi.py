"""The lean /gate/check (beian/registry/gate_wsgi.py) answers exactly as the Django
view, without Django's handler or middleware."""

from __future__ import annotations

import io
import urllib.parse

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from beian.registry import gate_wsgi
from beian.registry.management.commands.gate import serve_argv

pytestmark = pytest.mark.django_db


def call(app, path="/gate/check", query=None, method="GET", **headers):
    """One real WSGI call: (status code, headers dict, body)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": urllib.parse.urlencode(query or {}),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "9190",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ[name] = value
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {k.lower(): v for k, v in response_headers}

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request calls no close_old_connections, which
    would close the test's own connection on PostgreSQL (its transaction is open)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def django_app():
    from django.core.handlers.wsgi import WSGIHandler

    return WSGIHandler()


CASES = [
    ({"host": "a.cn"}, {}),  # filed
    ({"host": "www.a.cn"}, {}),  # subdomain
    ({"host": "img.cdn.A.CN:443"}, {}),  # deeper, upper case, port
    ({"host": "unfiled.cn"}, {}),  # unfiled
    ({"host": "anan.cc.evil.com"}, {}),  # a filed domain's labels under another: bypass
    ({"host": "www.anan.cc.evil.com"}, {}),
    ({"host": "xanan.cc"}, {}),
    ({"host": "www.anan.cc"}, {}),
    ({"host": "203.0.113.9"}, {}),  # IP literals pass
    ({"host": "[2001:db8::1]:443"}, {}),
    ({}, {}),  # missing host (no Host header either)
    ({"host": ""}, {}),
    ({"host": "<b>x</b>.cn"}, {}),  # shown escaped on the block page
    ({"host": "例子.中国"}, {}),
    ({}, {"HTTP_X_ORIGINAL_HOST": "shop.a.cn"}),
    ({}, {"HTTP_X_ORIGINAL_HOST": "b.cn", "HTTP_HOST": "a.cn"}),
    ({}, {"HTTP_HOST": "a.cn"}),
    ({"host": "b.cn"}, {"HTTP_X_ORIGINAL_HOST": "a.cn"}),  # ?host= first
]


@pytest.mark.parametrize(("query", "headers"), CASES)
def test_the_lean_path_answers_as_the_django_view(filed, query, headers):
    filed(["a.cn"])
    filed(["anan.cc"])
    # Django answers a Host outside ALLOWED_HOSTS with 400 before the view (the
    # edge sends Host: 127.0.0.1); the lean path has no URLs to build from Host
    # and decides on it like the view does when the Host is allowed.
    with override_settings(ALLOWED_HOSTS=["*"]):
        old = call(django_app(), query=query, **headers)
    new = call(gate_wsgi.check_app, query=query, **headers)
    assert new[0] == old[0]
    assert new[2] == old[2]
    for header in ("content-type", "cache-control"):
        assert new[1].get(header) == old[1].get(header), header


def test_verdicts(filed):
    filed(["a.cn"])
    filed(["anan.cc"])
    allowed = {"a.cn", "www.a.cn", "www.anan.cc", "203.0.113.9", "[2001:db8::1]:443"}
    for host in allowed | {"unfiled.cn", "anan.cc.evil.com", "xanan.cc", ""}:
        status, headers, body = call(gate_wsgi.check_app, query={"host": host})
        assert status == (204 if host in allowed else 403), host
        assert (body == b"") == (host in allowed)
    status, headers, body = call(gate_wsgi.check_app, query={"host": "Unfiled.CN"})
    text = body.decode()
    assert "unfiled.cn" in text and "尚未在本服务商完成" in text and "not filed" in text
    assert headers["cache-control"] == "no-store"
    assert int(headers["content-length"]) == len(body)


def test_repeated_host_parameter_takes_the_last_as_django(filed):
    filed(["a.cn"])
    environ_query = "host=b.cn&host=a.cn"
    for app in (django_app(), gate_wsgi.check_app):
        status = _raw(app, environ_query)
        assert status == 204


def _raw(app, query_string):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/gate/check",
        "QUERY_STRING": query_string,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "9190",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    seen = {}
    b"".join(app(environ, lambda s, h, e=None: seen.setdefault("s", int(s.split()[0]))))
    return seen["s"]


def test_other_methods_are_refused_as_require_get(filed):
    filed(["a.cn"])
    for method in ("POST", "HEAD", "PUT"):
        old = call(django_app(), query={"host": "a.cn"}, method=method)
        new = call(gate_wsgi.check_app, query={"host": "a.cn"}, method=method)
        # Django's CSRF middleware refuses an unsafe method first (403), the
        # view HEAD (405); the lean path answers every method but GET with 405.
        assert old[0] == (405 if method == "HEAD" else 403)
        assert new[0] == 405 and new[1]["allow"] == "GET" and new[2] == b""


def test_the_front_skips_django_for_exactly_the_check(filed):
    filed(["a.cn"])

    def no_django(environ, start_response):
        raise AssertionError(f"Django ran for {environ['PATH_INFO']}")

    front = gate_wsgi.GateFront(no_django)
    assert call(front, query={"host": "a.cn"})[0] == 204
    assert call(front, query={"host": "b.cn"})[0] == 403
    reached = []

    def django(environ, start_response):
        reached.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return []

    front = gate_wsgi.GateFront(django)
    for path in ("/gate/check/", "/gate/blocked", "/", "/gate/checkx"):
        call(front, path=path)
    assert reached == ["/gate/check/", "/gate/blocked", "/", "/gate/checkx"]


def test_no_middleware_runs_on_the_lean_path(filed):
    # Django's answer carries the middleware's headers (CSP, frame options, the
    # request id, the language); the lean one none of them, and no cookie.
    filed(["a.cn"])
    for host in ("a.cn", "unfiled.cn"):
        _, old, _ = call(django_app(), query={"host": host})
        _, new, _ = call(gate_wsgi.check_app, query={"host": host})
        assert "content-security-policy" in old and "x-frame-options" in old
        for header in ("content-security-policy", "x-frame-options", "set-cookie", "vary"):
            assert header not in new, header
        assert set(new) <= {"content-type", "cache-control", "content-length"}


def test_the_project_wsgi_application_takes_the_lean_path(filed):
    from beian.wsgi import application

    filed(["a.cn"])
    status, headers, _ = call(application, query={"host": "unfiled.cn"})
    assert status == 403 and "content-security-policy" not in headers
    status, headers, _ = call(application, path="/gate/blocked", query={"host": "x.cn"})
    assert status == 403 and "content-security-policy" in headers  # Django's view


def test_no_database_query_per_check(filed, django_assert_num_queries):
    filed(["a.cn"])
    call(gate_wsgi.check_app, query={"host": "a.cn"})  # first load
    with override_settings(BEIAN={**settings.BEIAN, "GATE_REFRESH_SECONDS": 3600}):
        with django_assert_num_queries(0):
            for host in ("a.cn", "b.cn", "x.a.cn"):
                call(gate_wsgi.check_app, query={"host": host})


def test_no_snapshot_at_all_is_a_503_not_a_500(monkeypatch):
    from beian.registry import selectors

    def down(**kwargs):
        raise OSError("database unreachable")

    monkeypatch.setattr(selectors, "gate_version", down)
    status, headers, body = call(gate_wsgi.check_app, query={"host": "a.cn"})
    assert status == 503 and headers["retry-after"] == "5" and body == b""


def test_the_gate_server_answers_check_and_blocked_only(filed):
    filed(["a.cn"])
    app = gate_wsgi.gate_only_app
    assert call(app, query={"host": "www.a.cn"})[0] == 204
    old = call(django_app(), path="/gate/blocked", query={"host": "X.CN"})
    new = call(app, path="/gate/blocked", query={"host": "X.CN"})
    assert new[0] == old[0] == 403 and new[2] == old[2]
    assert call(app, path="/")[0] == 404
    assert call(app, path="/admin/")[0] == 404


def test_serve_runs_granian_on_the_configured_address():
    argv = serve_argv("127.0.0.1", 9191, 2)
    assert argv[1:3] == ["-m", "granian"]
    assert argv[argv.index("--port") + 1] == "9191" and argv[argv.index("--workers") + 1] == "2"
    assert argv[-1] == "beian.gate_app:application"


@pytest.mark.integration
def test_beian_gate_serve_answers_over_http(tmp_path):
    """The real thing: `beian gate serve` (granian) as its own process, on a
    migrated SQLite database with generated filed records."""
    import os
    import sqlite3
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from testing.edge import free_port

    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEIAN_", "DATABASE_URL"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BEIAN_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "beian.settings",
        }
    )
    run = dict(env=env, cwd=root, capture_output=True, text=True, timeout=300)
    assert subprocess.run([sys.executable, "-m", "beian", "migrate", "-v0"], **run).returncode == 0
    generated = subprocess.run(
        [sys.executable, str(root / "bench" / "generate.py"), "--domains", "30", "--pool", "20"],
        **run,
    )
    assert generated.returncode == 0, generated.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        name = db.execute("select name from filings_domain where status = 'filed'").fetchone()[0]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "beian", "gate", "serve", "--port", str(port)],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, dict(answer.headers), answer.read().decode()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/gate/check?host=x.cn")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        assert get(f"/gate/check?host=www.{name}")[0] == 204
        assert get("/gate/check?host=203.0.113.9")[0] == 204
        for host in ("unfiled-gate.cn", f"{name}.evil.com", f"x{name}"):
            status, headers, body = get(f"/gate/check?host={host}")
            assert status == 403 and host in body and "This site is not available" in body, host
            assert headers["cache-control"] == "no-store"
            assert "content-security-policy" not in {k.lower() for k in headers}
        assert get("/gate/blocked?host=X.CN")[0] == 403
        assert get("/admin/")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=15)
