"""Per-client rate limit of the public query (fixed one-minute windows in
Django's cache; with several processes configure a shared cache)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from beian.core.errors import Refusal
from beian.registry import errors  # noqa: F401 - registers the codes

WINDOW = 60


def limit_per_minute() -> int:
    return int(getattr(settings, "BEIAN", {}).get("QUERY_RATE_LIMIT", 30))


def client_of(request) -> str:
    # Behind a trusted proxy, configure it to set REMOTE_ADDR (e.g. uvicorn --proxy-headers).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check(request) -> None:
    """Count one query of this client; refuse (429) beyond the limit."""
    now = time.time()
    window = int(now // WINDOW)
    key = f"registry:query:{client_of(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        count = 1
    if count > limit_per_minute():
        seconds = max(1, int((window + 1) * WINDOW - now))
        raise Refusal("registry.rate_limited", status=429, params={"seconds": seconds})
