"""Per-client rate limit of the public query (fixed one-minute windows in
Django's cache; with several web processes set BEIAN_CACHE_URL to a Redis so
that they share the counters).

If the cache cannot be reached the query is let through and the failure
logged: the public look-up stays up while the counter store is down."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

from beian.core.errors import Refusal
from beian.registry import errors  # noqa: F401 - registers the codes

WINDOW = 60

logger = logging.getLogger("beian.registry.ratelimit")


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
    try:
        count = _count(key)
    except Exception:  # the cache backend's own errors (e.g. Redis down)
        logger.warning("rate limit not applied: the cache is unavailable", exc_info=True)
        return
    if count > limit_per_minute():
        seconds = max(1, int((window + 1) * WINDOW - now))
        raise Refusal("registry.rate_limited", status=429, params={"seconds": seconds})


def _count(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW * 2)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW * 2)
        return 1
