"""The notify API's operator lists are scoped like every list: a Beijing operator
reads, lists and resends nothing about a Jiangsu application."""

from __future__ import annotations

import pytest
from django.test import Client

from beian.accounts.models import ApiToken, Role
from beian.filings import workflow
from beian.notify import delivery
from beian.notify.models import Message, State
from beian.notify.services import enqueue
from testing import fill_seed_filing, make_code, make_user, start_seed_filing

pytestmark = pytest.mark.django_db

JIANGSU, BEIJING = "320000", "110000"


def _client(user) -> Client:
    _, key = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def jiangsu_app(clock):
    clock.set(2026, 3, 2, 10)
    applicant = make_user("zhangwei-s", mobile="13962100000")
    app = start_seed_filing(applicant, make_code(make_user("cloud-s", Role.HOSTING_OWNER)))
    app = workflow.fire(fill_seed_filing(app, applicant), "submit", actor=applicant)
    assert app.province == JIANGSU
    return app


@pytest.fixture
def sms(jiangsu_app):
    """An SMS about the Jiangsu application, recorded by the demo's phone, and one
    failed e-mail about it."""
    [message] = enqueue(
        template="sms_code",
        context={"code": "123456", "order_number": jiangsu_app.number},
        idempotency_key="authority-scope-1",
        phone="13962100000",
        channels=("sms",),
    )
    assert delivery.deliver_due("test") >= 1
    failed = Message.objects.filter(recipient=jiangsu_app.account, channel="email").first()
    Message.objects.filter(pk=failed.pk).update(state=State.FAILED, attempts=8)
    return message, failed


@pytest.fixture
def operators(db):
    return {
        "jiangsu": make_user("op-js", Role.OPERATOR, provinces=[JIANGSU]),
        "beijing": make_user("op-bj", Role.OPERATOR, provinces=[BEIJING]),
        "everywhere": make_user("op-all", Role.OPERATOR),
    }


def test_recorded_sms_are_listed_only_in_scope(sms, operators):
    message, _ = sms
    for name, expected in (("jiangsu", True), ("everywhere", True), ("beijing", False)):
        rows = _client(operators[name]).get("/api/v1/notify/recorded-sms").json()
        assert (str(message.pk) in {r["message_id"] for r in rows}) is expected, name


def test_failed_messages_are_listed_only_in_scope(sms, operators):
    _, failed = sms
    for name, expected in (("jiangsu", True), ("everywhere", True), ("beijing", False)):
        rows = _client(operators[name]).get("/api/v1/notify/failed").json()
        assert (str(failed.pk) in {r["id"] for r in rows}) is expected, name


def test_resend_outside_the_scope_is_a_404_and_changes_nothing(sms, operators):
    _, failed = sms
    response = _client(operators["beijing"]).post(f"/api/v1/notify/{failed.pk}/resend")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    failed.refresh_from_db()
    assert failed.state == State.FAILED
    ok = _client(operators["jiangsu"]).post(f"/api/v1/notify/{failed.pk}/resend")
    assert ok.status_code == 200, ok.content


def test_a_scoped_operator_sees_no_message_about_no_application(operators, notify_user):
    [mail] = enqueue(
        template="photo_verified",
        context={},
        idempotency_key="account-1",
        user=notify_user,
        channels=("email",),
    )
    Message.objects.filter(pk=mail.pk).update(state=State.FAILED)
    assert _client(operators["jiangsu"]).get("/api/v1/notify/failed").json() == []
    assert len(_client(operators["everywhere"]).get("/api/v1/notify/failed").json()) == 1
