"""The staff digest: once a working day, items due today and overdue, per stage.

The notify app does not know the workflow's deadlines; the workflow registers a
source that answers for one staff member (already scoped to their role and
provinces):

    from beian.notify.digest import register_source

    @register_source
    def filing_deadlines(user) -> list[dict]:
        return [{"stage": "初审 / Initial review", "due_today": 3, "overdue": 1}, ...]

Who counts as staff is the accounts app's knowledge, which sits above notify: it
registers the recipients in its AppConfig.ready() (`register_recipients`).

The job (`notify.staff_digest` in jobs.py) sends each staff member with
something due one inbox message and one e-mail per working day, after
settings.BEIAN["STAFF_DIGEST_HOUR"] (China time, default 8). The idempotency key
holds the date, so running the job again the same day sends nothing new.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from beian.core import clock
from beian.core.calendar import is_working_day
from beian.notify import services

_SOURCES: list[Callable] = []
# One callable returning the users the digest goes to (accounts: active staff).
_RECIPIENTS: list[Callable] = []


def register_source(func: Callable) -> Callable:
    if func not in _SOURCES:
        _SOURCES.append(func)
    return func


def register_recipients(func: Callable) -> Callable:
    """Set who receives the digest: ``func()`` returns a queryset of users."""
    _RECIPIENTS[:] = [func]
    return func


def sources() -> list[Callable]:
    return list(_SOURCES)


def rows_for(user) -> list[dict]:
    rows = []
    for source in _SOURCES:
        for row in source(user) or []:
            if row.get("due_today") or row.get("overdue"):
                rows.append(row)
    return rows


def _staff():
    if not _RECIPIENTS:
        return get_user_model().objects.none()
    return _RECIPIENTS[0]()


def send_staff_digest() -> int:
    """Enqueue today's digest for every staff member with items; returns how many."""
    now_china = clock.now().astimezone(clock.CHINA)
    today = now_china.date()
    hour = int(getattr(settings, "BEIAN", {}).get("STAFF_DIGEST_HOUR", 8))
    if now_china.hour < hour or not is_working_day(today):
        return 0
    sent = 0
    for user in _staff():
        rows = rows_for(user)
        if not rows:
            continue
        with transaction.atomic():
            services.enqueue(
                template="staff_digest",
                context={"rows": rows, "date": today.isoformat()},
                idempotency_key=f"staff_digest:{user.pk}:{today.isoformat()}",
                user=user,
                channels=("inbox", "email"),
            )
        sent += 1
    return sent
