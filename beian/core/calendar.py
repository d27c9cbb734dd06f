"""The Chinese working-day calendar (工作日), as Beian counts deadlines.

A day is a working day when, in this order of precedence:

1. a `CalendarOverride` row for that date says so (admins add next year's
   holidays and adjusted working days, 调休, without a release);
2. else, for a year the bundled `chinese-calendar` package knows, the package
   says so (weekends off, public holidays off, adjusted working days on);
3. else it is Monday to Friday. This fallback is made visible: a
   `CalendarNotLoadedWarning` (warnings module), a log line once per year and
   process, and `coverage_warnings()` / `is_year_covered()` for the UI.

A year counts as *covered* when `chinese-calendar` has data for it OR the
database holds at least one override dated in it. One override is enough on
purpose: it means an admin has started loading that year's arrangement, and
a half-loaded year must then be finished by the admin (see docs/working-days.md).

Counting rules (deadlines are built on these):

- `next_working_day(d)`: the first working day strictly after `d`.
- `add_working_days(d, n)`, n >= 0: for n >= 1 the n-th working day strictly
  after `d` (the start day itself never counts, whether it is a working day or
  not: "1 working day" from a Friday is the next working day). For n == 0: `d`
  if it is a working day, else the next working day.
- `working_days_between(a, b)`: the number of working days in (a, b]; negative
  (-count of (b, a]) when b < a. So for n >= 1,
  `working_days_between(d, add_working_days(d, n)) == n`.

Overrides are read once per process and cached; saving or deleting a
`CalendarOverride` drops the cache (a signal receiver below), and the
cache also expires after `settings.BEIAN["CALENDAR_CACHE_SECONDS"]` (default
300) so that other processes see an admin's change without a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from beian.core import clock
from beian.core.models import CalendarOverride

logger = logging.getLogger(__name__)

# How far ahead `coverage_warnings()` looks by default: longer than the longest
# deadline (20 working days of authority review across Spring Festival, or the
# 45-day order expiry), so the warning for next year appears in early November,
# when the State Council publishes the arrangement.
DEFAULT_HORIZON_DAYS = 60


class CalendarNotLoadedWarning(UserWarning):
    """A year's holiday arrangement is unknown; weekends-only was used."""


@dataclass(frozen=True)
class CoverageWarning:
    """A message for the UI: a year whose holidays are not loaded."""

    year: int

    @property
    def message_zh(self) -> str:
        return f"{self.year} 年的节假日安排尚未录入，按周末计算"

    @property
    def message_en(self) -> str:
        return f"The {self.year} holiday calendar is not loaded; counting weekends only"

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


# --- the bundled data -------------------------------------------------------

# chinese_calendar raises NotImplementedError outside [first, last]; it derives
# the range from its holiday table, so do we.
_LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@functools.lru_cache(maxsize=8192)
def _library_is_working_day(day: dt.date) -> bool | None:
    """What chinese_calendar says, or None for a year it does not know.
    Cached: the package rescans its table on every call."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


# --- the overrides (database), cached per process ---------------------------


@dataclass(frozen=True)
class _Overrides:
    days: dict[dt.date, bool]
    years: frozenset[int]
    loaded_at: float


_lock = threading.Lock()
_cache: dict[str, _Overrides | None] = {"overrides": None}
# Bumped on invalidation, so that a load racing with a change is not kept.
_generation = [0]
_logged_years: set[int] = set()


def invalidate_cache() -> None:
    """Forget the cached overrides (called on every save/delete of a
    CalendarOverride; call it yourself after a bulk `.update()`)."""
    with _lock:
        _cache["overrides"] = None
        _generation[0] += 1
        _logged_years.clear()


@receiver([post_save, post_delete], sender=CalendarOverride)
def _calendar_override_changed(**kwargs) -> None:
    # Beside the cache it drops: every change of an override forgets the cached ones.
    invalidate_cache()


def _cache_seconds() -> float:
    return float(getattr(settings, "BEIAN", {}).get("CALENDAR_CACHE_SECONDS", 300))


def _overrides() -> _Overrides:
    current = _cache["overrides"]
    if current is not None and time.monotonic() - current.loaded_at < _cache_seconds():
        return current
    generation = _generation[0]
    days = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
    fresh = _Overrides(days=days, years=frozenset(d.year for d in days), loaded_at=time.monotonic())
    with _lock:
        if generation == _generation[0]:
            _cache["overrides"] = fresh
    return fresh


# --- coverage ---------------------------------------------------------------


def is_year_covered(year: int) -> bool:
    """True when chinese_calendar knows the year or an admin entered at least
    one override in it; False means weekends-only is being used."""
    return year in _LIBRARY_YEARS or year in _overrides().years


def coverage_warnings(years: Iterable[int] | None = None) -> list[CoverageWarning]:
    """One `CoverageWarning` per uncovered year, for the UI to show.

    Without `years`: this year and the year `DEFAULT_HORIZON_DAYS` from today
    (so next year is flagged from early November)."""
    if years is None:
        today = clock.today()
        years = {today.year, (today + dt.timedelta(days=DEFAULT_HORIZON_DAYS)).year}
    return [CoverageWarning(year) for year in sorted(set(years)) if not is_year_covered(year)]


def _warn_fallback(years: set[int]) -> None:
    for year in sorted(years):
        warning = CoverageWarning(year)
        warnings.warn(str(warning), CalendarNotLoadedWarning, stacklevel=4)
        if year not in _logged_years:
            _logged_years.add(year)
            logger.warning("%s", warning)


# --- the rules --------------------------------------------------------------


class _Day:
    """Answers "is this a working day?" for one computation, noting which
    uncovered years it had to guess, so it can warn once at the end."""

    def __init__(self) -> None:
        self.overrides = _overrides()
        self.fallback_years: set[int] = set()

    def is_working(self, day: dt.date) -> bool:
        override = self.overrides.days.get(day)
        if override is not None:
            return override
        library = _library_is_working_day(day)
        if library is not None:
            return library
        if day.year not in self.overrides.years:
            self.fallback_years.add(day.year)
        return day.weekday() < 5

    def done(self) -> None:
        if self.fallback_years:
            _warn_fallback(self.fallback_years)


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date subclass; take its China-local date, not its UTC one.
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(clock.CHINA)
        return value.date()
    return value


def is_working_day(day: dt.date) -> bool:
    calendar = _Day()
    result = calendar.is_working(_as_date(day))
    calendar.done()
    return result


def _next(calendar: _Day, day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not calendar.is_working(day):
        day += dt.timedelta(days=1)
    return day


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    calendar = _Day()
    result = _next(calendar, _as_date(day))
    calendar.done()
    return result


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after `start` (n >= 1); for n == 0,
    `start` itself if it is a working day, else the next working day."""
    if n < 0:
        raise ValueError("n must be >= 0")
    calendar = _Day()
    day = _as_date(start)
    if n == 0:
        result = day if calendar.is_working(day) else _next(calendar, day)
    else:
        for _ in range(n):
            day = _next(calendar, day)
        result = day
    calendar.done()
    return result


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]; negative when b < a (then -count of (b, a])."""
    a, b = _as_date(a), _as_date(b)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    calendar = _Day()
    count = 0
    day = a + dt.timedelta(days=1)
    while day <= b:
        count += calendar.is_working(day)
        day += dt.timedelta(days=1)
    calendar.done()
    return sign * count
