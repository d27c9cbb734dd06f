"""Admin: adding next year's calendar; the audit log stays read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.core import audit, calendar
from beian.core.models import AuditEvent, CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


ADD_URL = "/admin/core/calendaroverride/add/"
LIST_URL = "/admin/core/calendaroverride/"


def test_admin_adds_a_holiday_and_the_calendar_obeys(admin_client, admin_user, clock):
    clock.set(2026, 11, 28, 10)
    # The list page warns that 2027 is not loaded.
    page = admin_client.get(LIST_URL)
    assert page.status_code == 200
    assert "2027 年的节假日安排尚未录入" in page.content.decode()

    response = admin_client.post(
        ADD_URL, {"date": "2027-10-01", "is_working_day": "", "name": "国庆节 / National Day"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarOverride.objects.get(date=dt.date(2027, 10, 1))
    assert row.created_by == admin_user
    assert row.created_at == clock.now()
    assert calendar.is_year_covered(2027)
    assert not calendar.is_working_day(dt.date(2027, 10, 1))
    event = AuditEvent.objects.get(object_type="calendar_override")
    assert event.verb == "calendar_override.created"
    assert event.actor == admin_user

    page = admin_client.get(LIST_URL)
    assert "2027 年的节假日安排尚未录入" not in page.content.decode()


def test_admin_change_and_delete_are_audited_and_seen(admin_client):
    row = CalendarOverride.objects.create(
        date=dt.date(2027, 10, 9), is_working_day=True, name="调休 / adjusted working day"
    )
    assert calendar.is_working_day(dt.date(2027, 10, 9))  # a Saturday, worked
    response = admin_client.post(
        f"{LIST_URL}{row.pk}/change/",
        {"date": "2027-10-09", "is_working_day": "", "name": "休息 / day off"},
    )
    assert response.status_code == 302
    assert not calendar.is_working_day(dt.date(2027, 10, 9))

    response = admin_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert not calendar.is_year_covered(2027)
    verbs = list(
        AuditEvent.objects.filter(object_type="calendar_override").values_list("verb", flat=True)
    )
    assert verbs == ["calendar_override.changed", "calendar_override.deleted"]


def test_duplicate_date_is_refused_in_the_form(admin_client):
    CalendarOverride.objects.create(date=dt.date(2027, 10, 1), is_working_day=False, name="x")
    response = admin_client.post(ADD_URL, {"date": "2027-10-01", "name": "again"})
    assert response.status_code == 200  # the form comes back with an error
    assert CalendarOverride.objects.count() == 1


def test_audit_log_admin_is_read_only(admin_client, admin_user):
    event = audit.record(actor=admin_user, object_type="application", object_id=1, verb="submit")
    base = "/admin/core/auditevent/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{event.pk}/change/").status_code == 200  # view only
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.get(f"{base}{event.pk}/delete/").status_code == 403
    response = admin_client.post(
        f"{base}{event.pk}/change/", {"object_type": "tampered", "verb": "x"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    event.refresh_from_db()
    assert event.object_type == "application"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_adds_a_range_of_days_at_once(admin_client):
    response = admin_client.post(
        ADD_URL,
        {
            "date": "2027-10-01",
            "until": "2027-10-07",
            "is_working_day": "",
            "name": "国庆节 / National Day",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    days = list(CalendarOverride.objects.values_list("date", flat=True))
    assert days == [dt.date(2027, 10, d) for d in range(1, 8)]
    assert AuditEvent.objects.filter(verb="calendar_override.created").count() == 7
    # Thursday 2027-09-30 + 1 working day: Oct 1-7 off, so Friday Oct 8.
    assert calendar.add_working_days(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 8)


@pytest.mark.parametrize(
    ("until", "error"),
    [
        ("2027-09-30", "结束日期早于开始日期"),
        ("2027-11-15", "一次最多录入"),
        ("2027-10-05", "2027-10-03"),  # already entered
    ],
)
def test_admin_range_is_checked(admin_client, until, error):
    CalendarOverride.objects.create(date=dt.date(2027, 10, 3), is_working_day=False, name="x")
    response = admin_client.post(
        ADD_URL, {"date": "2027-10-01", "until": until, "is_working_day": "", "name": "国庆节"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert CalendarOverride.objects.count() == 1


def test_change_form_has_no_range(admin_client):
    row = CalendarOverride.objects.create(date=dt.date(2027, 10, 3), is_working_day=False, name="x")
    page = admin_client.get(f"{LIST_URL}{row.pk}/change/").content.decode()
    assert 'name="until"' not in page
    assert 'name="until"' in admin_client.get(ADD_URL).content.decode()
