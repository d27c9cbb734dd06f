"""Test-wide fixtures: a movable clock, and users for every role."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.core import clock as clock_module


@pytest.fixture(autouse=True)
def _reset_clock_and_calendar():
    from beian.core import calendar

    calendar.invalidate_cache()
    yield
    clock_module.reset()
    calendar.invalidate_cache()


class MovableClock:
    """`clock.set(2026, 9, 30, 10)` / `clock.advance(days=1)` in tests."""

    def set(self, *args, **kwargs) -> dt.datetime:
        moment = (
            args[0] if args and isinstance(args[0], dt.datetime) else dt.datetime(*args, **kwargs)
        )
        clock_module.set(moment)
        return clock_module.now()

    def advance(self, **delta) -> dt.datetime:
        return clock_module.advance(**delta)

    def now(self) -> dt.datetime:
        return clock_module.now()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def staff(db):
    """One user per provider role, plus the administration."""
    from beian.accounts.models import Role
    from beian.testing import make_user

    return {
        role: make_user(f"{role}-1", role)
        for role in (
            Role.REVIEWER,
            Role.MAILROOM,
            Role.PHOTO_VERIFIER,
            Role.OPERATOR,
            Role.ADMIN,
            Role.AUTHORITY,
        )
    }


@pytest.fixture
def applicant(db):
    from beian.testing import SEED_MOBILE, make_user

    return make_user("zhangwei", mobile=SEED_MOBILE)


@pytest.fixture
def hosting_owner(db):
    from beian.accounts.models import Role
    from beian.testing import make_user

    return make_user("cloud-owner", Role.HOSTING_OWNER)
