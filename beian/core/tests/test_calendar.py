"""The working-day calendar: chinese-calendar data, admin overrides, fallback."""

from __future__ import annotations

import datetime as dt
import logging
import warnings

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beian.core import calendar
from beian.core.calendar import (
    CalendarNotLoadedWarning,
    add_working_days,
    coverage_warnings,
    is_working_day,
    is_year_covered,
    next_working_day,
    working_days_between,
)
from beian.core.models import CalendarOverride

D = dt.date

pytestmark = pytest.mark.django_db

# Hypothesis runs many examples inside one test (one DB transaction); the
# fixtures it shares are safe to share.
property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Starts well inside chinese_calendar's data, so that results (up to 40
# working days later) stay inside it too.
covered_dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31))
small_n = st.integers(min_value=0, max_value=40)
offsets = st.integers(min_value=-200, max_value=200)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # A rolled-back test transaction fires no signals: start and end clean.
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def override(day: D, working: bool, name: str = "test") -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, is_working_day=working, name=name)


# --- properties -------------------------------------------------------------


@property_settings
@given(start=covered_dates, n=st.integers(min_value=1, max_value=40))
def test_add_then_between_round_trips(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@property_settings
@given(start=covered_dates)
def test_add_zero_is_start_or_next_working_day(start):
    result = add_working_days(start, 0)
    if is_working_day(start):
        assert result == start
        assert working_days_between(start, result) == 0
    else:
        assert result == next_working_day(start)
        assert working_days_between(start, result) == 1


@property_settings
@given(start=covered_dates, n=small_n, m=small_n)
def test_add_is_monotonic_in_n(start, n, m):
    n, m = sorted((n, m))
    if n == m:
        return
    if n == 0:
        assert add_working_days(start, n) <= add_working_days(start, m)
    else:
        assert add_working_days(start, n) < add_working_days(start, m)


@property_settings
@given(a=covered_dates, b=covered_dates, n=small_n)
def test_add_is_monotonic_in_start(a, b, n):
    a, b = sorted((a, b))
    assert add_working_days(a, n) <= add_working_days(b, n)


@property_settings
@given(start=covered_dates, n=small_n)
def test_result_is_a_working_day_and_never_a_holiday(start, n):
    result = add_working_days(start, n)
    assert is_working_day(result)
    assert chinese_calendar.is_workday(result)
    assert result not in chinese_calendar.holidays
    assert result >= start


@property_settings
@given(start=covered_dates, n=st.integers(min_value=1, max_value=40))
def test_add_skips_no_working_day(start, n):
    result = add_working_days(start, n)
    days = [start + dt.timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in days) == n


@pytest.mark.filterwarnings("ignore::beian.core.calendar.CalendarNotLoadedWarning")
@property_settings
@given(a=covered_dates, ab=offsets, bc=offsets)
def test_between_is_antisymmetric_and_additive(a, ab, bc):
    b = a + dt.timedelta(days=ab)
    c = b + dt.timedelta(days=bc)
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)
    assert working_days_between(a, a) == 0


@property_settings
@given(start=covered_dates)
def test_next_working_day_is_add_one(start):
    assert next_working_day(start) == add_working_days(start, 1)


@property_settings
@given(start=covered_dates, n=st.integers(min_value=1, max_value=30))
def test_overrides_change_results(start, n):
    before = add_working_days(start, n)
    # The result day becomes a holiday: the deadline moves to a later day.
    row = override(before, working=False)
    try:
        moved = add_working_days(start, n)
        assert moved > before
        assert moved == next_working_day(before)
        assert not is_working_day(before)
    finally:
        row.delete()
    assert add_working_days(start, n) == before
    # A day off before the result becomes a working day: one more working
    # day in the window, so the deadline comes earlier.
    day_off = next(
        (
            start + dt.timedelta(days=i)
            for i in range(1, 15)
            if not is_working_day(start + dt.timedelta(days=i))
        ),
        None,
    )
    if day_off is None or day_off >= before:
        return
    row = override(day_off, working=True)
    try:
        earlier = add_working_days(start, n)
        assert earlier < before
        assert working_days_between(start, before) == n + 1
    finally:
        row.delete()


# --- the weeks around National Day and Spring Festival ----------------------

# (date, is it a working day?) from chinese_calendar 1.11 (State Council notices).
KNOWN_DAYS = [
    # Spring Festival 2024: Feb 10-17 off; Sun Feb 4 and Sun Feb 18 worked.
    (D(2024, 2, 4), True),
    (D(2024, 2, 9), True),
    (D(2024, 2, 10), False),
    (D(2024, 2, 17), False),
    (D(2024, 2, 18), True),
    # National Day 2024: Oct 1-7 off; Sun Sep 29 and Sat Oct 12 worked.
    (D(2024, 9, 28), False),
    (D(2024, 9, 29), True),
    (D(2024, 10, 1), False),
    (D(2024, 10, 7), False),
    (D(2024, 10, 8), True),
    (D(2024, 10, 12), True),
    (D(2024, 10, 13), False),
    # Spring Festival 2025: Jan 28 - Feb 4 off; Sun Jan 26 and Sat Feb 8 worked.
    (D(2025, 1, 26), True),
    (D(2025, 1, 28), False),
    (D(2025, 2, 4), False),
    (D(2025, 2, 5), True),
    (D(2025, 2, 8), True),
    # National Day + Mid-Autumn 2025: Oct 1-8 off; Sun Sep 28 and Sat Oct 11 worked.
    (D(2025, 9, 27), False),
    (D(2025, 9, 28), True),
    (D(2025, 10, 1), False),
    (D(2025, 10, 8), False),
    (D(2025, 10, 9), True),
    (D(2025, 10, 11), True),
    # Spring Festival 2026: Feb 15-23 off; Sat Feb 14 and Sat Feb 28 worked.
    (D(2026, 2, 14), True),
    (D(2026, 2, 15), False),
    (D(2026, 2, 23), False),
    (D(2026, 2, 24), True),
    (D(2026, 2, 28), True),
    # National Day 2026: Oct 1-7 off; Sun Sep 20 and Sat Oct 10 worked.
    (D(2026, 9, 20), True),
    (D(2026, 10, 1), False),
    (D(2026, 10, 7), False),
    (D(2026, 10, 8), True),
    (D(2026, 10, 10), True),
]


@pytest.mark.parametrize(("day", "working"), KNOWN_DAYS)
def test_known_days(day, working):
    assert is_working_day(day) is working
    assert chinese_calendar.is_workday(day) is working  # our table matches the package


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Submitted Friday 2025-09-26: 1 working day is Sunday 2025-09-28 (adjusted).
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        # Over National Day 2025: Sep 30 -> Oct 9, 10, then Saturday Oct 11.
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2025, 10, 3), 0, D(2025, 10, 9)),
        # Saturday 2025-09-27 is a day off: 1 working day is Sunday 2025-09-28.
        (D(2025, 9, 27), 1, D(2025, 9, 28)),
        (D(2025, 9, 27), 0, D(2025, 9, 28)),
        (D(2025, 9, 26), 0, D(2025, 9, 26)),
        # Spring Festival 2025.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 2, 7), 1, D(2025, 2, 8)),
        # 2024.
        (D(2024, 9, 27), 1, D(2024, 9, 29)),
        (D(2024, 9, 30), 1, D(2024, 10, 8)),
        (D(2024, 2, 8), 2, D(2024, 2, 18)),
        # 2026: Friday Feb 13 -> Saturday Feb 14 (adjusted), then Feb 24.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
    ],
)
def test_add_working_days_around_holidays(start, n, expected):
    assert add_working_days(start, n) == expected
    if n >= 1:
        assert working_days_between(start, expected) == n


def test_between_counts_half_open_interval():
    # (Sep 26, Oct 12] 2025: Sep 28, 29, 30, Oct 9, 10, 11 are working days.
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 12)) == 6
    assert working_days_between(D(2025, 10, 12), D(2025, 9, 26)) == -6
    # Inside the holiday: nothing.
    assert working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0


def test_add_working_days_rejects_negative_n():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 9, 26), -1)


def test_datetime_counts_by_its_china_date():
    # 2025-09-25 17:00 UTC is Friday 2025-09-26 01:00 in Shanghai.
    moment = dt.datetime(2025, 9, 25, 17, 0, tzinfo=dt.UTC)
    assert add_working_days(moment, 1) == D(2025, 9, 28)


# --- coverage and the weekends-only fallback --------------------------------


def test_known_years_are_covered():
    assert is_year_covered(2024)
    assert is_year_covered(2025)
    assert is_year_covered(2026)
    assert coverage_warnings([2024, 2025, 2026]) == []


def test_uncovered_year_falls_back_to_weekends_and_says_so(caplog):
    assert not is_year_covered(2031)
    [warning] = coverage_warnings([2030, 2031, 2026])[-1:]
    assert warning.year == 2031
    assert str(warning) == (
        "2031 年的节假日安排尚未录入，按周末计算 / "
        "The 2031 holiday calendar is not loaded; counting weekends only"
    )
    with caplog.at_level(logging.WARNING, logger="beian.core.calendar"):
        with pytest.warns(CalendarNotLoadedWarning, match="2031"):
            # Wednesday 2031-10-01 would be National Day; unknown, so it counts.
            assert is_working_day(D(2031, 10, 1))
        with pytest.warns(CalendarNotLoadedWarning, match="2031"):
            assert not is_working_day(D(2031, 10, 4))  # Saturday
        with pytest.warns(CalendarNotLoadedWarning, match="2031"):
            # Friday Sep 26 + 1 -> Monday Sep 29: weekends only.
            assert add_working_days(D(2031, 9, 26), 1) == D(2031, 9, 29)
            assert add_working_days(D(2031, 9, 30), 5) == D(2031, 10, 7)
    # Logged once per process and year, not once per day counted.
    logged = [r for r in caplog.records if "2031" in r.getMessage()]
    assert len(logged) == 1


def test_crossing_into_an_uncovered_year_warns():
    with pytest.warns(CalendarNotLoadedWarning, match="2027"):
        # Authority review from mid-December 2026 ends in January 2027.
        assert add_working_days(D(2026, 12, 15), 20).year == 2027


def test_default_coverage_warnings_look_ahead(clock):
    clock.set(2026, 6, 1, 10)
    assert coverage_warnings() == []
    clock.set(2026, 11, 28, 10)  # Beyond the data's last year within 60 days.
    assert [w.year for w in coverage_warnings()] == [2027]


def test_override_makes_uncovered_year_covered_and_is_obeyed():
    override(D(2031, 10, 1), working=False, name="国庆节 / National Day")
    override(D(2031, 10, 2), working=False, name="国庆节 / National Day")
    override(D(2031, 10, 11), working=True, name="国庆节调休 / adjusted working day")
    assert is_year_covered(2031)
    assert coverage_warnings([2031]) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning any more
        assert not is_working_day(D(2031, 10, 1))
        assert is_working_day(D(2031, 10, 11))  # a Saturday, worked
        assert not is_working_day(D(2031, 10, 4))  # other Saturdays stay off
        assert add_working_days(D(2031, 9, 30), 1) == D(2031, 10, 3)
        assert add_working_days(D(2031, 10, 10), 1) == D(2031, 10, 11)


def test_override_wins_over_chinese_calendar():
    # Monday 2025-09-29 is a working day in the package; an admin says no.
    assert add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 29)
    row = override(D(2025, 9, 29), working=False)
    assert add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 30)
    # And a holiday in the package made a working day.
    override(D(2025, 10, 1), working=True)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 1)
    # Deleting drops the cache too.
    row.delete()
    assert add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 29)


def test_editing_an_override_is_seen_at_once():
    row = override(D(2025, 9, 29), working=False)
    assert not is_working_day(D(2025, 9, 29))
    row.is_working_day = True
    row.save()
    assert is_working_day(D(2025, 9, 29))


def test_overrides_are_cached(django_assert_max_num_queries, django_assert_num_queries):
    override(D(2031, 10, 1), working=False)
    with django_assert_max_num_queries(1):
        add_working_days(D(2031, 9, 1), 20)
    with django_assert_num_queries(0):
        add_working_days(D(2031, 9, 1), 20)
        working_days_between(D(2031, 1, 1), D(2031, 12, 31))
        is_year_covered(2031)


def test_cache_expires_for_changes_made_elsewhere(settings):
    # Another process's change (simulated by a bulk update, which sends no
    # signal) is seen once the cache expires.
    row = override(D(2025, 9, 29), working=False)
    assert not is_working_day(D(2025, 9, 29))
    CalendarOverride.objects.filter(pk=row.pk).update(is_working_day=True)
    assert not is_working_day(D(2025, 9, 29))  # still cached
    settings.BEIAN = {**settings.BEIAN, "CALENDAR_CACHE_SECONDS": 0}
    assert is_working_day(D(2025, 9, 29))
