"""Periodic jobs of the workflow: idempotent, firing only what is due."""

import datetime as dt

import pytest

from beian.filings import jobs
from beian.filings.models import Application
from beian.filings.states import ApplicationState as S
from beian.notify.models import Message
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_app(applicant, hosting_owner, clock):
    clock.set(2026, 3, 2, 10)
    return fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)


def test_orders_expire_after_45_days_once(seed_app, clock):
    clock.set(2026, 4, 15, 10)
    assert jobs.expire_orders() == 0
    clock.set(2026, 4, 17, 10)
    assert jobs.expire_orders() == 1
    assert Application.objects.get(pk=seed_app.pk).state == S.EXPIRED
    assert jobs.expire_orders() == 0


def test_unanswered_sms_code_returns_the_filing_to_the_provider(seed_app, staff, clock):
    app = drive_to(seed_app, staff, S.SMS_VERIFICATION)
    clock.advance(hours=23)
    assert jobs.expire_sms_codes() == 0
    clock.advance(hours=2)
    assert jobs.expire_sms_codes() == 1
    app.refresh_from_db()
    assert app.state == S.AUTHORITY_RETURNED
    assert app.return_reasons.filter(source="authority").exists()


def test_reminders_are_sent_once(seed_app, staff, clock):
    clock.set(2026, 4, 10, 10)  # 6 days before the order expires
    jobs.send_reminders()
    jobs.send_reminders()
    assert Message.objects.filter(template="order_expiring", channel="inbox").count() == 1
    app = drive_to(seed_app, staff)
    clock.set(app.decided_at + dt.timedelta(days=31))
    jobs.send_reminders()
    jobs.send_reminders()
    assert Message.objects.filter(template="public_security_reminder", channel="inbox").count() == 1


def test_staff_digest_counts_due_and_overdue_in_scope(seed_app, applicant, staff, clock):
    from beian.filings import workflow
    from testing import make_user

    workflow.fire(seed_app, "submit", actor=applicant)
    clock.advance(days=5)
    rows = jobs.filing_deadlines(staff["reviewer"])
    assert rows == [{"stage": "待初审 / Initial review", "overdue": 1, "due_today": 0}]
    assert jobs.filing_deadlines(make_user("bj", "reviewer", provinces=["110000"])) == []
    assert jobs.filing_deadlines(staff["mailroom"]) == []
