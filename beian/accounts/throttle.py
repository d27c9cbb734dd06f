"""Throttling of failed logins, for the portal's login and the Django admin's.

Three counters, each over a window of LOCK_SECONDS, in the cache
(BEIAN_CACHE_URL when several web processes share them):

- the account from one address (MAX_FAILURES): the lock-out a person sees;
- the account from any address (ACCOUNT_MAX_FAILURES): guessing spread over
  many addresses;
- the address for any account (IP_MAX_FAILURES): one address trying many
  accounts (password spraying).

The account is the one the identifier resolves to (username, mobile written
with `-`, spaces or `+86`, or e-mail: one account, one counter); an identifier
that names no account is counted under its normalised spelling, so that the
answer does not tell whether the account exists.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from beian.accounts.services import _plain_mobile, find_user
from beian.core import crypto
from beian.core.errors import Refusal, register

logger = logging.getLogger("beian.accounts")

register(
    {
        "login_throttled": (
            "登录失败次数过多，请 {minutes} 分钟后再试。",
            "Too many failed logins; try again in {minutes} minutes.",
        ),
    }
)

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _limits() -> dict[str, int]:
    beian = getattr(settings, "BEIAN", {})
    return {
        "pair": MAX_FAILURES,
        "account": beian.get("LOGIN_ACCOUNT_MAX_FAILURES", 20),
        "ip": beian.get("LOGIN_IP_MAX_FAILURES", 50),
    }


# If the cache cannot be reached, logging in still works (the password is still
# checked) and the outage is logged as an error: an unreachable Redis must not
# lock everybody out.
_CACHE_DOWN = "login throttle not applied: the cache is unavailable"


def account_key(identifier: str) -> str:
    """One key per account, whatever the spelling of the identifier."""
    user = find_user(identifier)
    if user is not None:
        return f"user:{user.pk}"
    value = (identifier or "").strip().lower()
    if "@" not in value:
        mobile = _plain_mobile(value)
        if mobile.isdigit():
            value = mobile
    return "name:" + value


def _keys(identifier: str, ip: str) -> dict[str, str]:
    account = account_key(identifier)

    def hashed(kind: str, value: str) -> str:
        return f"login-fail:{kind}:" + crypto.lookup_hash(value)[:32]

    return {
        "pair": hashed("pair", f"{account}|{ip}"),
        "account": hashed("account", account),
        "ip": hashed("ip", ip),
    }


def check_login_allowed(identifier: str, ip: str) -> None:
    """Refuses while the account or the address has failed too often."""
    keys = _keys(identifier, ip)
    try:
        counts = cache.get_many(list(keys.values()))
    except Exception:  # the cache backend's own errors (e.g. Redis down)
        logger.error(_CACHE_DOWN, exc_info=True)
        return
    limits = _limits()
    if any(counts.get(key, 0) >= limits[kind] for kind, key in keys.items()):
        raise Refusal("login_throttled", status=429, params={"minutes": LOCK_SECONDS // 60})


def _incr(key: str) -> int:
    cache.add(key, 0, LOCK_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCK_SECONDS)
        return 1


def record_login_failure(identifier: str, ip: str) -> int:
    """Counts a failure; returns the count of the account from this address."""
    keys = _keys(identifier, ip)
    try:
        counts = {kind: _incr(key) for kind, key in keys.items()}
    except Exception:
        logger.error(_CACHE_DOWN, exc_info=True)
        return 0
    return counts["pair"]


def clear_login_failures(identifier: str, ip: str) -> None:
    """A success from this address clears the account's count from it (not the others)."""
    try:
        cache.delete(_keys(identifier, ip)["pair"])
    except Exception:
        logger.error(_CACHE_DOWN, exc_info=True)
