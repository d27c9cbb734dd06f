"""The answer to an uncaught exception (`handler500` in beian/urls.py).

A database that is down, unreachable or read-only (PostgreSQL with
`default_transaction_read_only`, a hot standby, SQLite on a read-only file) is
not a bug in Beian: the request answers 503 with `Retry-After`, a stable code
and a message in both languages — JSON under /api/, a page elsewhere — and
nothing was written (every service writes in one transaction, rolled back
with the error). Reads that need no write go on working. Anything else is
the 500 page, as before. A value that does not decrypt under the configured
PII key (beian/core/keys.py stops such a process at start) is a 503 too.

The page is standalone (no base template: its context processors and the
user's session read the database, which may be what failed).
"""

from __future__ import annotations

import sys

from django import db
from django.http import HttpResponse, JsonResponse
from django.template import loader

from beian.core.crypto import WrongKey
from beian.core.errors import message_for, register

# SQLSTATE 25006: read_only_sql_transaction (PostgreSQL).
READ_ONLY_SQLSTATE = "25006"
RETRY_AFTER_SECONDS = 30


def database_fault(exc: BaseException | None) -> str | None:
    """ "database_read_only", "database_unavailable", "pii_key_wrong" or None (not the
    data's fault: the 500 page)."""
    chain = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    if any(isinstance(e, WrongKey) for e in chain):
        # Stopped at start (beian/core/keys.py); here only if the key changed under a
        # running process, or a value was tampered with.
        return "pii_key_wrong"
    if any(
        getattr(e, "sqlstate", None) == READ_ONLY_SQLSTATE or "readonly database" in str(e).lower()
        for e in chain
    ):
        return "database_read_only"
    if any(isinstance(e, db.OperationalError | db.InterfaceError) for e in chain):
        return "database_unavailable"
    return None


def server_error(request, template_name: str = "500.html"):
    code = database_fault(sys.exc_info()[1])
    if code is None:
        return HttpResponse(loader.get_template(template_name).render(), status=500)
    message = message_for(code)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": code, "message": message},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        page = loader.get_template("503.html").render(
            {"zh": message_for(code, "zh-hans"), "en": message_for(code, "en")}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


register(
    {
        "database_read_only": (
            "系统维护中，暂时只能查看、不能保存。刚才的操作没有保存，请稍后重试。",
            "Beian is in maintenance: pages can be read but nothing can be saved right now. "
            "What you just did was not saved; please try again shortly.",
        ),
        "pii_key_wrong": (
            "服务暂时无法读取数据（密钥配置有误），已记录。请稍后重试，或联系服务提供方。",
            "Beian cannot read its data right now (its key is misconfigured); this was logged. "
            "Please try again later or contact the provider.",
        ),
        "database_unavailable": (
            "数据库暂时无法访问。刚才的操作没有保存，请稍后重试。",
            "The database cannot be reached right now. What you just did was not saved; "
            "please try again shortly.",
        ),
    }
)
