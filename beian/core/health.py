"""`/healthz` and `/readyz`, for load balancers and process supervisors.

- `/healthz`: the process is alive and answers. It touches nothing else (no
  database, no cache, no session): 200 `{"status": "ok"}`.
- `/readyz`: each check named in the answer, 200 when all pass, 503 when one
  fails. Core's own: `database` (a query), `cache` (a write and a read back),
  `storage` (a file written and removed in the private file storage). Upper
  apps add theirs with `register_check` in their `AppConfig.ready()` (the
  authority app: `authority`, the administration's interface reachable).

Neither needs a log-in, and `/readyz` never writes to the database. A check
that raises fails with the exception's class and text (no PII: the checks
handle none); each check's time is given in milliseconds.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from beian.core.errors import message_for, register
from beian.core.storage import private_storage

logger = logging.getLogger("beian.health")

# A check returns None (passed, nothing to say), a short note (passed), or raises.
Check = Callable[[], str | None]


class Skipped(Exception):
    """The check does not apply to this deployment (e.g. no interface configured)."""


_CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    _CHECKS[name] = check


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _cache() -> str | None:
    key, value = f"beian:readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not give back what was written")
    finally:
        cache.delete(key)
    return None


def _storage() -> str | None:
    name = private_storage.save(f".readyz/{secrets.token_hex(8)}", ContentFile(b"ok"))
    private_storage.delete(name)
    return None


register_check("database", _database)
register_check("cache", _cache)
register_check("storage", _storage)


def run_checks() -> tuple[bool, dict]:
    results = {}
    ready = True
    for name, check in _CHECKS.items():
        started = time.perf_counter()
        try:
            note = check()
            result = {"ok": True}
            if note:
                result["note"] = note
        except Skipped as exc:
            result = {"ok": True, "skipped": str(exc)}
        except Exception as exc:  # noqa: BLE001 - any failure is the answer, never a 500
            ready = False
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            logger.warning("readyz: %s failed: %s", name, result["error"])
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return ready, results


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    ready, results = run_checks()
    body = {"status": "ok" if ready else "fail", "checks": results}
    if not ready:
        body["code"] = "not_ready"
        body["message"] = message_for("not_ready")
    return JsonResponse(
        body, status=200 if ready else 503, json_dumps_params={"ensure_ascii": False}
    )


register(
    {
        "not_ready": (
            "服务尚未就绪：至少一项检查未通过（见 checks）。",
            "The service is not ready: at least one check failed (see checks).",
        ),
    }
)
