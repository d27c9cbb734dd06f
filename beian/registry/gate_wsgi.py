"""`/gate/check` without Django's request machinery (issue 19).

nginx's `auth_request` asks `/gate/check` once per uncached request. Through
Django's handler and its twelve middlewares a check cost ~750 µs (about 1 300
checks/s per process); the decision itself is ~1 µs. This module answers the
route as a plain WSGI callable: no middleware, no URL resolver, no request
object, no template render per answer. The decision is still
`live_gate.allows` (the process's snapshot, `beian/registry/live.py`), so
the answers are those of the Django view in `views.py`, which stays for
`runserver` and the test client.

- `GateFront(django_app)` routes exactly `PATH_INFO == "/gate/check"` here and
  everything else to Django; `beian/wsgi.py` wraps the project's application
  with it, so waitress (`beian serve`) takes the lean path too.
- `check_app` alone is what `beian gate serve` runs on its own port.

Answers: 204 (no body) when the host may be served here; 403 with the
bilingual block page (`registry/blocked.html`, rendered once per process with
a marker where the host goes) and `Cache-Control: no-store` when not; 405 for
another method (like `require_GET`); 503 when no snapshot can be had (the
database unreachable at the very first load), never a 500.
"""

from __future__ import annotations

import html
import logging
import urllib.parse

from django.db import close_old_connections, connection

from beian.registry.live import live_gate
from beian.rules import hosts

logger = logging.getLogger("beian.registry.gate")

PATH = "/gate/check"
BLOCKED_PATH = "/gate/blocked"


def host_of(query_host: str | None, original_host: str | None, http_host: str | None) -> str:
    """The host a check is about: ?host=, else X-Original-Host (set by the edge), else Host."""
    return query_host or original_host or http_host or ""


def _query_host(query_string: str) -> str | None:
    # The last ?host= wins, as with Django's QueryDict.get; WSGI hands the
    # query as latin-1, Django decodes it as UTF-8 (errors replaced): the same.
    if "host=" not in query_string:
        return None
    if not query_string.isascii():
        query_string = query_string.encode("latin-1").decode("utf-8", "replace")
    found = None
    for key, value in urllib.parse.parse_qsl(
        query_string, keep_blank_values=True, encoding="utf-8", errors="replace"
    ):
        if key == "host":
            found = value
    return found


_MARK = "BEIANGATEHOSTMARK"
_pages: tuple[bytes, str] | None = None  # (the page without a host, with the marker)


def _block_page(host: str) -> bytes:
    """registry/blocked.html for `host`, as `render` would produce it."""
    global _pages
    if _pages is None:
        from django.template.loader import render_to_string

        empty = render_to_string("registry/blocked.html", {"host": ""}).encode()
        marked = render_to_string("registry/blocked.html", {"host": _MARK})
        _pages = (empty, marked)
    empty, marked = _pages
    if not host:
        return empty
    # Django's autoescape is html.escape (quotes included).
    return marked.replace(_MARK, html.escape(host)).encode()


_NO_BODY: list[bytes] = []


def check_app(environ, start_response):
    """The WSGI application of `/gate/check` (whatever the path it is mounted at)."""
    if environ.get("REQUEST_METHOD", "GET") != "GET":
        return _not_allowed(start_response)
    host = host_of(
        _query_host(environ.get("QUERY_STRING", "")),
        environ.get("HTTP_X_ORIGINAL_HOST"),
        environ.get("HTTP_HOST"),
    )
    try:
        allowed = live_gate.allows(host)
        # What Django's request_finished does: a connection opened by a
        # version check is closed or kept as CONN_MAX_AGE says (only when this
        # thread has one: the version is asked every few seconds, not per check).
        if connection.connection is not None and not connection.in_atomic_block:
            close_old_connections()
    except Exception:  # no snapshot at all yet, e.g. the database is down at the first load
        logger.exception("gate check without a snapshot")
        if not connection.in_atomic_block:
            close_old_connections()
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Retry-After", "5"),
                ("Cache-Control", "no-store"),
                ("Content-Length", "0"),
            ],
        )
        return _NO_BODY
    if allowed:
        start_response("204 No Content", [("Content-Type", "text/html; charset=utf-8")])
        return _NO_BODY
    return _blocked(start_response, hosts.normalise(host))


def _blocked(start_response, host: str):
    body = _block_page(host)
    start_response(
        "403 Forbidden",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


def _not_allowed(start_response):
    # As django.views.decorators.http.require_GET answers.
    start_response(
        "405 Method Not Allowed",
        [("Allow", "GET"), ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "0")],
    )
    return _NO_BODY


def blocked_app(environ, start_response):
    """`/gate/blocked?host=NAME`: the block page alone, as `views.blocked_page`."""
    if environ.get("REQUEST_METHOD", "GET") != "GET":
        return _not_allowed(start_response)
    host = _query_host(environ.get("QUERY_STRING", "")) or ""
    return _blocked(start_response, hosts.normalise(host))


def gate_only_app(environ, start_response):
    """`beian gate serve`: `/gate/check` and `/gate/blocked`, 404 for any other path."""
    path = environ.get("PATH_INFO")
    if path == PATH:
        return check_app(environ, start_response)
    if path == BLOCKED_PATH:
        return blocked_app(environ, start_response)
    start_response(
        "404 Not Found",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "0")],
    )
    return _NO_BODY


class GateFront:
    """A WSGI application: `/gate/check` by `check_app`, every other path by Django's."""

    def __init__(self, django_app) -> None:
        self.django_app = django_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return check_app(environ, start_response)
        return self.django_app(environ, start_response)
