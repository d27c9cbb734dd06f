"""Test-wide fixtures: a movable clock, and users for every role."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from beian.core import clock as clock_module


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords are hashed with MD5 in tests: Django's PBKDF2 costs ~1 s a hash on
    this machine and no test is about hashing strength. Session-wide, so that the
    loopback servers the tests start (threads of this process) use it too."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


_gate_dirs = itertools.count(1)


@pytest.fixture(autouse=True)
def _own_gate_snapshot_folder(tmp_path_factory):
    """Each test its own folder of gate snapshot files (registry.snapshot): a
    file is named by the allow-list's version, and tests reuse the same
    clock moments, hence the same versions, for different names. Created only
    when a test builds a snapshot."""
    from django.conf import settings
    from django.test.utils import override_settings

    folder = tmp_path_factory.getbasetemp() / "gate" / str(next(_gate_dirs))
    with override_settings(BEIAN={**settings.BEIAN, "GATE_SNAPSHOT_DIR": str(folder)}):
        yield


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
    from testing import make_user

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
    from testing import SEED_MOBILE, make_user

    return make_user("zhangwei", mobile=SEED_MOBILE)


@pytest.fixture
def hosting_owner(db):
    from beian.accounts.models import Role
    from testing import make_user

    return make_user("cloud-owner", Role.HOSTING_OWNER)


# ---- browser tests -------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright, one per test session (Playwright's
    sync API allows one running instance per thread). Skips with a clear message
    where the browser or the package is absent; never downloads a browser."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is absent: pip install playwright (the package only)")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM
    # calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
