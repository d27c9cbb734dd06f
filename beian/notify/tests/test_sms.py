"""SMS: the recording backend (the demo's phone) and a real HTTP gateway on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from beian.notify import delivery
from beian.notify.backends.sms import RecordingBackend
from beian.notify.models import Message, RecordedSms, State
from beian.notify.services import enqueue

pytestmark = pytest.mark.django_db


def _sms(phone="13962100000", key="sms:1", code="123456"):
    return enqueue(
        template="sms_code",
        context={"code": code, "order_number": "BA1"},
        idempotency_key=key,
        phone=phone,
        channels=("sms",),
    )[0]


def test_recording_backend_records_once_with_the_phone_masked():
    message = _sms()
    assert delivery.deliver_due("test") == 1
    # Redelivery after a crash: still one record.
    RecordingBackend().send(message)
    [record] = RecordedSms.objects.all()
    assert record.phone_masked == "139****0000"
    assert record.phone == "13962100000"
    assert "123456" in record.text
    assert RecordedSms.objects.count() == 1
    message.refresh_from_db()
    assert message.state == State.SENT


@pytest.mark.integration
def test_gateway_receives_text_credentials_and_idempotency_id(sms_gateway):
    message = _sms()
    assert delivery.deliver_due("test") == 1
    [request] = sms_gateway.requests
    body = json.loads(request["body"])
    # The gateway gets the code; the stored row keeps it redacted.
    assert body == {
        "mobile": "13962100000",
        "content": "【工信部】您的备案短信核验码为123456，24小时内有效。",
        "requestId": str(message.pk),
    }
    message.refresh_from_db()
    assert message.body == body["content"].replace("123456", "******")
    assert request["headers"]["Idempotency-Key"] == str(message.pk)
    assert (
        request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"beian:s3cret").decode()
    )
    message.refresh_from_db()
    assert message.state == State.SENT


@pytest.mark.integration
def test_gateway_body_template_and_form_encoding_from_settings(sms_gateway, settings):
    settings.BEIAN["SMS_GATEWAY"] = {
        **settings.BEIAN["SMS_GATEWAY"],
        "FORMAT": "form",
        "BODY": {"to": "{phone}", "msg": "{text}", "sign": "ICP"},
        "TOKEN": "tok-1",
    }
    message = _sms()
    delivery.deliver_due("test")
    [request] = sms_gateway.requests
    assert request["headers"]["Authorization"] == "Bearer tok-1"
    assert request["body"].startswith("to=13962100000&msg=")
    assert request["body"].endswith("&sign=ICP")
    message.refresh_from_db()
    assert message.state == State.SENT


@pytest.mark.integration
def test_gateway_error_is_retried_and_a_refusal_fails(sms_gateway):
    sms_gateway.statuses = [503, 400]
    message = _sms()
    delivery.deliver_due("test")
    message.refresh_from_db()
    assert message.state == State.PENDING
    assert "503" in message.last_error
    Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    delivery.deliver_due("test")
    message.refresh_from_db()
    assert message.state == State.FAILED
    assert "400" in message.last_error


@pytest.mark.integration
def test_per_number_rate_limit_defers_without_counting_an_attempt(sms_gateway, clock):
    clock.set(2026, 9, 1, 10)
    for i in range(4):
        _sms(key=f"sms:{i}", code=f"00000{i}")
        clock.advance(minutes=1)
    _sms(phone="13800138000", key="other-number")
    delivery.deliver_due("test")

    # RATE_PER_HOUR = 3: the fourth SMS to the same number waits; the other number does not.
    assert len(sms_gateway.requests) == 4
    deferred = Message.objects.get(idempotency_key="sms:3")
    assert deferred.state == State.PENDING
    assert deferred.attempts == 0
    first_sent = Message.objects.get(idempotency_key="sms:0").sent_at
    assert deferred.next_attempt_at == first_sent + dt.timedelta(hours=1)

    clock.set(deferred.next_attempt_at + dt.timedelta(seconds=1))
    delivery.deliver_due("test")
    deferred.refresh_from_db()
    assert deferred.state == State.SENT
    assert len(sms_gateway.requests) == 5
