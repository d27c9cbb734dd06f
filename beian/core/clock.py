"""The injectable clock: every "now" in Beian comes from here.

Tests move time with `clock.set(...)`/`clock.advance(...)` (or the `clock`
fixture); production reads the system time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

CHINA = ZoneInfo("Asia/Shanghai")

_fixed: dict[str, dt.datetime | None] = {"now": None}


def now() -> dt.datetime:
    fixed = _fixed["now"]
    return fixed if fixed is not None else timezone.now()


def today() -> dt.date:
    """Today's date in China, where the working-day calendar applies."""
    return now().astimezone(CHINA).date()


def set(moment: dt.datetime | None) -> None:  # noqa: A001 - reads well: clock.set(...)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=CHINA)
    _fixed["now"] = moment


def advance(**delta) -> dt.datetime:
    current = now()
    set(current + dt.timedelta(**delta))
    return now()


def reset() -> None:
    _fixed["now"] = None
