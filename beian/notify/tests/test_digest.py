"""The staff digest: once a working day, only to staff with items, per scope."""

from __future__ import annotations

import pytest

from beian.accounts.models import Role, User
from beian.notify import digest
from beian.notify.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(monkeypatch):
    monkeypatch.setattr(digest, "_SOURCES", [])

    @digest.register_source
    def due(user):
        if user.provinces == ["320000"]:
            return [
                {"stage": "初审 / Initial review", "due_today": 2, "overdue": 1},
                {"stage": "提交管局 / Submission", "due_today": 0, "overdue": 0},
            ]
        return []

    return due


@pytest.fixture
def reviewers(db):
    jiangsu = User.objects.create_user(
        username="rev-js", role=Role.REVIEWER, provinces=["320000"], email="rev.js@example.cn"
    )
    other = User.objects.create_user(
        username="rev-gd", role=Role.REVIEWER, provinces=["440000"], email="rev.gd@example.cn"
    )
    return jiangsu, other


def test_digest_goes_once_a_working_day_to_staff_with_items(source, reviewers, clock):
    jiangsu, _ = reviewers
    clock.set(2026, 9, 1, 9)  # a Tuesday, after 8:00
    assert digest.send_staff_digest() == 1
    assert digest.send_staff_digest() == 1  # runs again: same key, no new rows
    messages = Message.objects.filter(template="staff_digest")
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "inbox"]
    assert {m.recipient_id for m in messages} == {jiangsu.pk}
    body = messages.get(channel="inbox").body
    assert "初审 / Initial review：今日到期 2，已超期 1" in body
    assert "提交管局" not in body  # nothing due there


def test_no_digest_before_the_hour_or_on_a_day_off(source, reviewers, clock):
    clock.set(2026, 9, 1, 7)  # too early
    assert digest.send_staff_digest() == 0
    clock.set(2026, 10, 1, 9)  # National Day
    assert digest.send_staff_digest() == 0
    clock.set(2026, 9, 5, 9)  # a Saturday
    assert digest.send_staff_digest() == 0
    assert not Message.objects.exists()


def test_next_working_day_brings_a_new_digest(source, reviewers, clock):
    clock.set(2026, 9, 1, 9)
    digest.send_staff_digest()
    clock.set(2026, 9, 2, 9)
    digest.send_staff_digest()
    assert Message.objects.filter(template="staff_digest", channel="inbox").count() == 2


def test_the_recipients_are_the_active_staff_registered_by_accounts(reviewers):
    # notify sits below accounts: accounts fills the hook in its AppConfig.ready().
    from beian.accounts.selectors import active_staff

    applicant = User.objects.create_user(username="app-1", role=Role.APPLICANT)
    User.objects.create_user(username="rev-gone", role=Role.REVIEWER, is_active=False)
    assert digest._RECIPIENTS == [active_staff]
    assert set(digest._staff()) == set(reviewers)
    assert applicant not in set(digest._staff())
