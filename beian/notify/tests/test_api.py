"""Operators list failed messages and resend them; users read their messages."""

from __future__ import annotations

import pytest
from django.test import Client

from beian.accounts.models import ApiToken
from beian.core.models import AuditEvent
from beian.notify.models import Message, State
from beian.notify.services import enqueue

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    _, key = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def failed_message(notify_user):
    message = enqueue(
        template="photo_verified",
        context={"order_number": "BA1"},
        idempotency_key="photo:1",
        user=notify_user,
        channels=("email",),
    )[0]
    Message.objects.filter(pk=message.pk).update(
        state=State.FAILED, attempts=8, last_error="SMTPRecipientsRefused: z***@example.cn"
    )
    return message


def test_operator_lists_failed_messages_masked(operator, failed_message):
    response = _client(operator).get("/api/v1/notify/failed")
    assert response.status_code == 200
    [row] = response.json()
    assert row["id"] == str(failed_message.pk)
    assert row["to"] == "z***@example.cn"
    assert "zhang.wei" not in response.content.decode()


def test_applicant_may_not_list_failed_messages(notify_user, failed_message):
    response = _client(notify_user).get("/api/v1/notify/failed")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_resend_requeues_the_same_message_and_audits(operator, failed_message):
    response = _client(operator).post(f"/api/v1/notify/{failed_message.pk}/resend")
    assert response.status_code == 200, response.content
    failed_message.refresh_from_db()
    assert failed_message.state == State.PENDING
    assert failed_message.attempts == 0
    assert Message.objects.count() == 1  # same identity, no copy
    assert AuditEvent.objects.filter(
        verb="message_resent", object_id=str(failed_message.pk)
    ).exists()


def test_resend_of_a_message_that_did_not_fail_is_refused(operator, failed_message):
    Message.objects.filter(pk=failed_message.pk).update(state=State.SENT)
    response = _client(operator).post(f"/api/v1/notify/{failed_message.pk}/resend")
    assert response.status_code == 409
    assert response.json()["code"] == "notify_message_not_failed"


def test_resend_of_an_inbox_message_is_refused(operator, notify_user):
    [inbox] = enqueue(
        template="photo_verified",
        context={},
        idempotency_key="i",
        user=notify_user,
        channels=("inbox",),
    )
    Message.objects.filter(pk=inbox.pk).update(state=State.FAILED)
    response = _client(operator).post(f"/api/v1/notify/{inbox.pk}/resend")
    assert response.status_code == 409
    assert response.json()["code"] == "notify_inbox_not_resendable"


def test_resend_of_an_unknown_message_is_404(operator):
    response = _client(operator).post("/api/v1/notify/00000000-0000-0000-0000-000000000000/resend")
    assert response.status_code == 404


def test_applicant_may_not_resend(notify_user, failed_message):
    response = _client(notify_user).post(f"/api/v1/notify/{failed_message.pk}/resend")
    assert response.status_code == 403


def test_inbox_lists_only_the_callers_messages(notify_user, operator):
    enqueue(template="photo_verified", context={}, idempotency_key="mine", user=notify_user)
    enqueue(template="photo_verified", context={}, idempotency_key="theirs", user=operator)
    response = _client(notify_user).get("/api/v1/notify/inbox")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 3  # inbox, e-mail and SMS of the caller's one message
    assert {r["channel"] for r in rows} == {"inbox", "email", "sms"}


def test_inbox_needs_a_login():
    assert Client().get("/api/v1/notify/inbox").status_code == 401


def test_operator_sees_recorded_sms_masked_and_never_the_code(operator, notify_user):
    from beian.notify import delivery

    enqueue(
        template="sms_code",
        context={"code": "654321"},
        idempotency_key="c",
        user=notify_user,
        channels=("sms",),
    )
    delivery.deliver_due("test")
    response = _client(operator).get("/api/v1/notify/recorded-sms")
    assert response.status_code == 200
    [row] = response.json()
    assert row["phone"] == "139****0000"
    # The code went to the phone; staff see the stored copy, code redacted.
    assert row["text"] == "【工信部】您的备案短信核验码为******，24小时内有效。"
    assert "654321" not in response.content.decode()
    assert "13962100000" not in response.content.decode()
    assert _client(notify_user).get("/api/v1/notify/recorded-sms").status_code == 403


@pytest.mark.parametrize("route", ["inbox", "failed", "recorded-sms"])
@pytest.mark.parametrize("offset", ["-1", "99999999999999999999"])
def test_an_offset_out_of_range_is_refused_with_a_code_not_a_500(operator, route, offset):
    # Found by the fuzz run (tests/test_api_fuzz.py): a queryset cannot be sliced from
    # a negative index (ValueError), and SQLite cannot bind an offset beyond 64 bits;
    # both were 500s.
    response = _client(operator).get(f"/api/v1/notify/{route}?offset={offset}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert _client(operator).get(f"/api/v1/notify/{route}?offset=1000").status_code == 200
