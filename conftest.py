"""Test-wide fixtures: a movable clock, and users for every role."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.core import clock as clock_module


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock_module.reset()


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
