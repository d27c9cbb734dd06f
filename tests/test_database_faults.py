"""The database read-only or down (issue 15): pages and API answer 503 with a stable
code and both languages, never a 500; reads go on where they can (token auth does
not write on every request); nothing is half-written; the gate answers from its
snapshot; /healthz stays up while /readyz says the database failed.

Read-only is the database's own, set on the test's real connection: SQLite's
`PRAGMA query_only`, PostgreSQL's `SET SESSION CHARACTERISTICS AS TRANSACTION READ
ONLY` — on the connection open now and on any opened meanwhile (connection_created).
"""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client

from beian.accounts.models import ApiToken
from beian.filings.models import Application
from testing import SEED_ID, make_code, make_user

pytestmark = pytest.mark.django_db(transaction=True)

START = {
    "nature": "individual",
    "certificate_type": "resident_id",
    "certificate_number": SEED_ID,
    "province": "320000",
    "domains": ["zhangwei-notes.cn"],
    "subject_name": "张伟",
}


def _set_read_only(conn, on: bool) -> None:
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        else:
            mode = "READ ONLY" if on else "READ WRITE"
            cursor.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION {mode}")


@contextmanager
def read_only():
    def on_connect(sender, connection, **kwargs):
        _set_read_only(connection, True)

    connection_created.connect(on_connect)
    _set_read_only(connection, True)
    try:
        yield
    finally:
        connection_created.disconnect(on_connect)
        _set_read_only(connection, False)


@pytest.fixture
def web():
    # A 5xx is the answer under test, not an exception to re-raise.
    return Client(raise_request_exception=False)


@pytest.fixture
def people(db):
    applicant = make_user("zhangwei-ro")
    owner = make_user("cloud-owner-ro", "hosting_owner")
    token, key = ApiToken.issue(applicant, "read-only test")
    return applicant, owner, token, {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_read_only_database_reads_go_on_and_writes_answer_503(web, people):
    applicant, owner, token, bearer = people
    code = make_code(owner)
    web.force_login(applicant)
    before = Application.objects.count()
    with read_only():
        # A read by token: answered, though the token's "last used" is not written.
        listed = web.get("/api/v1/filings/applications", **bearer)
        assert listed.status_code == 200 and listed.json() == []
        # A page, logged in.
        assert web.get("/filings/").status_code == 200
        # A write by API: 503, its code, its message in the caller's language.
        started = web.post(
            "/api/v1/filings/applications",
            {"service_code": code, **START},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
            **bearer,
        )
        assert started.status_code == 503, started.content
        assert started["Retry-After"] == "30"
        body = started.json()
        assert body["code"] == "database_read_only"
        assert body["message"].startswith("Beian is in maintenance")
        # A write by page: the bilingual 503 page, Chinese first.
        page = web.post("/filings/start/", {"service_code": code, **START, "domains": "a.cn"})
        assert page.status_code == 503
        text = page.content.decode()
        assert text.index("系统维护中") < text.index("Beian is in maintenance")
        assert "database_read_only" not in text and "Traceback" not in text
        # The gate answers from its snapshot.
        assert web.get("/gate/check", {"host": "unfiled.cn"}).status_code == 403
        assert web.get("/healthz").status_code == 200
        assert web.get("/readyz").status_code == 200  # reads work: still in the pool
    # Nothing was half-written: no application, the code still free.
    assert Application.objects.count() == before
    assert web.get("/api/v1/filings/applications", **bearer).json() == []
    started = web.post(
        "/api/v1/filings/applications",
        {"service_code": code, **START},
        content_type="application/json",
        **bearer,
    )
    assert started.status_code in (200, 201), started.content


def test_token_use_is_stamped_at_most_every_few_minutes(web, people, clock, settings):
    _applicant, _owner, token, bearer = people
    clock.set(2026, 12, 2, 10)
    assert web.get("/api/v1/filings/applications", **bearer).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first == clock.now()
    clock.advance(seconds=settings.BEIAN["API_TOKEN_TOUCH_SECONDS"] - 1)
    web.get("/api/v1/filings/applications", **bearer)
    token.refresh_from_db()
    assert token.last_used_at == first
    clock.advance(seconds=2)
    web.get("/api/v1/filings/applications", **bearer)
    token.refresh_from_db()
    assert token.last_used_at == clock.now()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database_down(tmp_path):
    """The default database unreachable: a PostgreSQL port nobody listens on, a
    SQLite file in a folder that does not exist. The open connection is set
    aside (Django keeps an in-memory SQLite's one open) and given back after."""
    saved_settings = dict(connection.settings_dict)
    saved_connection = connection.connection
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "gone" / "db.sqlite3")
    else:
        connection.settings_dict["PORT"] = _free_port()
        connection.settings_dict["HOST"] = "127.0.0.1"
    try:
        yield
    finally:
        if connection.connection is not None and connection.connection is not saved_connection:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


def test_database_down_answers_503_and_readyz_names_it(web, people, tmp_path):
    _applicant, _owner, _token, bearer = people
    with database_down(tmp_path):
        listed = web.get("/api/v1/filings/applications", **bearer)
        assert listed.status_code == 503
        assert listed.json()["code"] == "database_unavailable"
        assert listed.json()["message"].startswith("数据库暂时无法访问")
        page = web.get("/query/", {"q": "zhangwei-notes.cn"})
        assert page.status_code == 503 and "数据库暂时无法访问" in page.content.decode()
        assert web.get("/healthz").status_code == 200
        ready = web.get("/readyz")
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["database"]["ok"] is False and checks["cache"]["ok"] is True
    assert web.get("/api/v1/filings/applications", **bearer).status_code == 200
