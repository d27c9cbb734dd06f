"""Deadlines from the injectable clock, in Chinese working days."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.core import calendar
from beian.core.clock import CHINA
from beian.core.deadlines import (
    DeadlineKind,
    deadline_for,
    end_of_day,
    is_due_today,
    is_overdue,
    working_days_left,
)
from beian.core.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def eod(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, 999999, tzinfo=CHINA)


def test_end_of_day_is_last_microsecond_in_shanghai():
    moment = end_of_day(dt.date(2026, 10, 8))
    assert moment == eod(2026, 10, 8)
    assert moment.utcoffset() == dt.timedelta(hours=8)


# Wednesday 2026-09-30 10:00: National Day 2026 is Oct 1-7, Saturday Oct 10 is worked.
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("initial_review", eod(2026, 10, 8)),
        ("submission", eod(2026, 10, 8)),
        # Oct 8, 9, 10 (Saturday, adjusted working day).
        ("backdrop_delivery", eod(2026, 10, 10)),
        # Oct 8-10 (3), 12-16 (8), 19-23 (13), 26-30 (18), Nov 2 (19), Nov 3 (20).
        ("authority_review", eod(2026, 11, 3)),
        # Wall-clock hours: the holiday does not stop the SMS window.
        ("sms_code", dt.datetime(2026, 10, 1, 10, tzinfo=CHINA)),
        # Calendar days, to the end of the 45th day.
        ("order_expiry", eod(2026, 11, 14)),
    ],
)
def test_deadlines_from_the_clock(clock, kind, expected):
    clock.set(2026, 9, 30, 10)
    assert deadline_for(kind) == expected
    assert deadline_for(DeadlineKind(kind), clock.now()) == expected


def test_friday_submission_gets_the_adjusted_sunday():
    # Submitted Friday 2025-09-26: initial review ends with Sunday 2025-09-28 (调休).
    start = dt.datetime(2025, 9, 26, 17, 30, tzinfo=CHINA)
    assert deadline_for("initial_review", start) == eod(2025, 9, 28)


def test_saturday_submission_counts_from_the_next_working_day():
    # Saturday 2025-09-27 is a day off; the next working day is Sunday 2025-09-28.
    start = dt.datetime(2025, 9, 27, 9, tzinfo=CHINA)
    assert deadline_for("initial_review", start) == eod(2025, 9, 28)


def test_start_is_read_in_china_time():
    # 2025-09-25 17:00 UTC is already Friday 2025-09-26 01:00 in Shanghai.
    start = dt.datetime(2025, 9, 25, 17, tzinfo=dt.UTC)
    assert deadline_for("initial_review", start) == eod(2025, 9, 28)
    # A naive start means China time, like clock.set.
    assert deadline_for("initial_review", dt.datetime(2025, 9, 26, 1)) == eod(2025, 9, 28)


def test_knobs_come_from_settings(clock, settings):
    clock.set(2026, 9, 30, 10)
    settings.BEIAN = {
        **settings.BEIAN,
        "AUTHORITY_REVIEW_WORKING_DAYS": 2,
        "SMS_CODE_HOURS": 48,
        "ORDER_EXPIRY_DAYS": 60,
    }
    assert deadline_for("authority_review") == eod(2026, 10, 9)
    assert deadline_for("sms_code") == dt.datetime(2026, 10, 2, 10, tzinfo=CHINA)
    assert deadline_for("order_expiry") == eod(2026, 11, 29)


@pytest.mark.parametrize("kind", list(DeadlineKind))
def test_defaults_live_in_settings_only(clock, settings, kind):
    # The code has no default of its own: without the knob a deadline is a
    # configuration error, not a second, silently different default.
    clock.set(2026, 9, 30, 10)
    knob = {
        DeadlineKind.INITIAL_REVIEW: "INITIAL_REVIEW_WORKING_DAYS",
        DeadlineKind.SUBMISSION: "SUBMISSION_WORKING_DAYS",
        DeadlineKind.AUTHORITY_REVIEW: "AUTHORITY_REVIEW_WORKING_DAYS",
        DeadlineKind.BACKDROP_DELIVERY: "BACKDROP_DELIVERY_WORKING_DAYS",
        DeadlineKind.AUTHORITY_NOTICE: "AUTHORITY_NOTICE_WORKING_DAYS",
        DeadlineKind.AUTHORITY_VERIFICATION: "AUTHORITY_VERIFICATION_WORKING_DAYS",
        DeadlineKind.SMS_CODE: "SMS_CODE_HOURS",
        DeadlineKind.ORDER_EXPIRY: "ORDER_EXPIRY_DAYS",
    }[kind]
    settings.BEIAN = {k: v for k, v in settings.BEIAN.items() if k != knob}
    with pytest.raises(KeyError, match=knob):
        deadline_for(kind)


def test_override_moves_a_deadline(clock):
    clock.set(2026, 9, 30, 10)
    CalendarOverride.objects.create(date=dt.date(2026, 10, 8), is_working_day=False, name="x")
    assert deadline_for("initial_review") == eod(2026, 10, 9)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown deadline kind"):
        deadline_for("coffee_break", dt.datetime(2026, 9, 30, 10, tzinfo=CHINA))


def test_overdue_after_the_last_microsecond(clock):
    clock.set(2026, 9, 30, 10)
    deadline = deadline_for("initial_review")
    clock.set(2026, 10, 8, 23, 59, 59, 999999)
    assert not is_overdue(deadline)
    clock.advance(microseconds=1)
    assert is_overdue(deadline)
    # Explicit `now` and other time zones compare as instants.
    assert is_overdue(deadline, dt.datetime(2026, 10, 8, 16, 0, 1, tzinfo=dt.UTC))
    assert not is_overdue(deadline, dt.datetime(2026, 10, 8, 15, 59, tzinfo=dt.UTC))


def test_due_today(clock):
    clock.set(2026, 9, 30, 10)
    deadline = deadline_for("initial_review")  # end of 2026-10-08
    clock.set(2026, 10, 7, 18)
    assert not is_due_today(deadline)
    clock.set(2026, 10, 8, 0, 0)
    assert is_due_today(deadline)
    clock.set(2026, 10, 8, 23, 59)
    assert is_due_today(deadline)
    clock.set(2026, 10, 9, 0, 0)
    assert not is_due_today(deadline)  # overdue, not due


def test_sms_code_due_today_until_the_hour(clock):
    clock.set(2026, 9, 30, 10)
    deadline = deadline_for("sms_code")  # 2026-10-01 10:00
    clock.set(2026, 10, 1, 9, 59)
    assert is_due_today(deadline) and not is_overdue(deadline)
    clock.set(2026, 10, 1, 10, 1)
    assert is_overdue(deadline) and not is_due_today(deadline)


def test_working_days_left(clock):
    clock.set(2026, 9, 30, 10)
    review = deadline_for("initial_review")  # end of Thursday 2026-10-08
    authority = deadline_for("authority_review")
    assert working_days_left(review) == 1
    assert working_days_left(authority) == 20
    clock.set(2026, 10, 3, 10)  # in the holiday: still one working day to go
    assert working_days_left(review) == 1
    clock.set(2026, 10, 8, 10)
    assert working_days_left(review) == 0
    clock.set(2026, 10, 9, 10)
    assert working_days_left(review) == -1
    clock.set(2026, 10, 10, 10)  # Saturday, but an adjusted working day
    assert working_days_left(review) == -2
    clock.set(2026, 10, 11, 10)  # Sunday: no working day passed since Saturday
    assert working_days_left(review) == -2
    assert working_days_left(review, dt.datetime(2026, 10, 1, tzinfo=CHINA)) == 1


@pytest.mark.filterwarnings("ignore::beian.core.calendar.CalendarNotLoadedWarning")
def test_deadline_in_uncovered_year_is_weekends_only(clock):
    clock.set(2031, 9, 30, 10)  # Tuesday; 2031 holidays are not loaded
    assert deadline_for("initial_review") == eod(2031, 10, 1)
    assert [w.year for w in calendar.coverage_warnings([2031])] == [2031]
