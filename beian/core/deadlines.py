"""Deadlines of a filing, from the injectable clock and `settings.BEIAN`.

Kinds and how they are counted (knob in `settings.BEIAN`; its default is
written once, in `beian/settings.py`):

| kind              | knob                           | counted in                        |
|-------------------|--------------------------------|-----------------------------------|
| initial_review    | INITIAL_REVIEW_WORKING_DAYS    | working days                      |
| submission        | SUBMISSION_WORKING_DAYS        | working days                      |
| authority_review  | AUTHORITY_REVIEW_WORKING_DAYS  | working days                      |
| backdrop_delivery | BACKDROP_DELIVERY_WORKING_DAYS | working days                      |
| authority_notice  | AUTHORITY_NOTICE_WORKING_DAYS  | working days                      |
| authority_verification | AUTHORITY_VERIFICATION_WORKING_DAYS | working days          |
| sms_code          | SMS_CODE_HOURS                 | wall-clock hours                  |
| order_expiry      | ORDER_EXPIRY_DAYS              | calendar days                     |

A working-day deadline is the END (23:59:59.999999 Asia/Shanghai) of the n-th
working day strictly after the start's China-local date
(`calendar.add_working_days`): the start day never counts, so a filing
submitted on Friday 2025-09-26 gets its 1-working-day initial review until the
end of Sunday 2025-09-28 (an adjusted working day). An order expires at the end
of the N-th calendar day after its start date. The SMS code window is exact:
start + N hours.

All results are aware datetimes in Asia/Shanghai. A naive `start`/`now` is read
as China time, like `clock.set`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings

from beian.core import calendar, clock


class DeadlineKind(StrEnum):
    INITIAL_REVIEW = "initial_review"
    SUBMISSION = "submission"
    AUTHORITY_REVIEW = "authority_review"
    BACKDROP_DELIVERY = "backdrop_delivery"
    AUTHORITY_NOTICE = "authority_notice"
    AUTHORITY_VERIFICATION = "authority_verification"
    SMS_CODE = "sms_code"
    ORDER_EXPIRY = "order_expiry"


# kind -> its knob in settings.BEIAN
_WORKING_DAY_KNOBS = {
    DeadlineKind.INITIAL_REVIEW: "INITIAL_REVIEW_WORKING_DAYS",
    DeadlineKind.SUBMISSION: "SUBMISSION_WORKING_DAYS",
    DeadlineKind.AUTHORITY_REVIEW: "AUTHORITY_REVIEW_WORKING_DAYS",
    DeadlineKind.BACKDROP_DELIVERY: "BACKDROP_DELIVERY_WORKING_DAYS",
    DeadlineKind.AUTHORITY_NOTICE: "AUTHORITY_NOTICE_WORKING_DAYS",
    DeadlineKind.AUTHORITY_VERIFICATION: "AUTHORITY_VERIFICATION_WORKING_DAYS",
}


def _knob(name: str) -> int:
    # No default here: settings.py holds each one, so a missing knob is a
    # configuration error (KeyError), not a second, silent default.
    return int(settings.BEIAN[name])


def _china(moment: dt.datetime | None) -> dt.datetime:
    """`moment` (default: clock.now()) as an aware Asia/Shanghai datetime."""
    if moment is None:
        moment = clock.now()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=clock.CHINA)
    return moment.astimezone(clock.CHINA)


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59.999999 of `day` in China, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=clock.CHINA)


def deadline_for(kind: str, start: dt.datetime | None = None) -> dt.datetime:
    """The deadline of `kind` for something that started at `start`
    (default: now, from the injectable clock)."""
    try:
        kind = DeadlineKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in DeadlineKind)
        raise ValueError(f"unknown deadline kind {kind!r}; known: {known}") from None
    start = _china(start)
    if kind in _WORKING_DAY_KNOBS:
        n = _knob(_WORKING_DAY_KNOBS[kind])
        return end_of_day(calendar.add_working_days(start.date(), n))
    if kind is DeadlineKind.SMS_CODE:
        return start + dt.timedelta(hours=_knob("SMS_CODE_HOURS"))
    # ORDER_EXPIRY: calendar days, to the end of the last day.
    return end_of_day(start.date() + dt.timedelta(days=_knob("ORDER_EXPIRY_DAYS")))


def is_overdue(deadline: dt.datetime, now: dt.datetime | None = None) -> bool:
    """True once `now` is past the deadline (the deadline instant itself is
    still in time)."""
    return _china(now) > _china(deadline)


def is_due_today(deadline: dt.datetime, now: dt.datetime | None = None) -> bool:
    """True when the deadline falls later today (China date) and has not passed."""
    now = _china(now)
    deadline = _china(deadline)
    return not is_overdue(deadline, now) and deadline.date() == now.date()


def working_days_left(deadline: dt.datetime, now: dt.datetime | None = None) -> int:
    """Working days from today (China date) to the deadline's date:
    `calendar.working_days_between(today, deadline_day)`.

    0 = due today, or only days off until the deadline; 1 = the deadline is the
    next working day's end; negative = that many working days overdue. Counts
    dates, not hours: use `is_overdue` for the flag (a deadline that ended on
    Friday reads 0 on Saturday, and is overdue)."""
    return calendar.working_days_between(_china(now).date(), _china(deadline).date())
