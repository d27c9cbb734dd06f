"""Staff pages warn when a year's holidays are not loaded (weekends-only fallback)."""

import datetime as dt

import pytest

from beian.core.models import CalendarOverride
from testing import make_user

pytestmark = pytest.mark.django_db


def test_staff_see_the_missing_calendar_and_applicants_do_not(client, clock):
    clock.set(2031, 11, 20, 10)  # neither chinese_calendar nor the database knows 2031/2032
    client.force_login(make_user("rev", "reviewer"))
    page = client.get("/accounts/login/").content.decode()
    assert "2032 年的节假日安排尚未录入" in page
    client.force_login(make_user("app", "applicant"))
    assert "尚未录入" not in client.get("/accounts/login/").content.decode()


def test_the_warning_goes_once_the_holidays_are_entered(client, clock):
    clock.set(2031, 11, 20, 10)
    CalendarOverride.objects.create(date=dt.date(2031, 10, 1), is_working_day=False, name="国庆节")
    CalendarOverride.objects.create(date=dt.date(2032, 1, 1), is_working_day=False, name="元旦")
    client.force_login(make_user("rev", "reviewer"))
    assert "尚未录入" not in client.get("/accounts/login/").content.decode()
