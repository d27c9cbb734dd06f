"""The SMS relay (issue 14, finding 4): only the simulator, signing with the
relay's own secret, may send; and it can send a verification code in the fixed
`sms_code` template, nothing else."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.test import Client, RequestFactory

from beian.notify.models import Message

pytestmark = pytest.mark.django_db

URL = "/api/v1/authority/sms-relay"
RELAY_SECRET = "beian-demo-relay-secret"


def _post(body: dict, secret: str | None = RELAY_SECRET):
    raw = json.dumps(body).encode()
    headers = {}
    if secret is not None:
        headers["X-Authority-Signature"] = hmac.new(
            secret.encode(), raw, hashlib.sha256
        ).hexdigest()
    return Client().post(URL, raw, content_type="application/json", headers=headers)


def _body(**changes) -> dict:
    return {
        "phone": "13962100000",
        "code": "482913",
        "key": "sim-sms-1-1",
        "expires_at": "2026-09-02 10:00",
        **changes,
    }


def test_a_code_signed_with_the_relay_secret_goes_out_in_the_fixed_template():
    response = _post(_body(text="任意文字"))  # an extra field is ignored
    assert response.status_code == 200, response.content
    [message] = Message.objects.all()
    assert message.template == "sms_code" and message.channel == "sms"
    assert message.body == "【工信部】您的备案短信核验码为******，2026-09-02 10:00前有效。"
    assert "任意文字" not in json.dumps(message.context)


def test_the_interface_password_no_longer_signs_the_relay():
    # The published default interface password was enough before.
    response = _post(_body(), secret="beian-demo-password")
    assert response.status_code == 403
    assert response.json()["code"] == "authority_relay_bad_signature"
    assert _post(_body(), secret=None).status_code == 403
    assert not Message.objects.exists()


def test_the_relay_has_its_own_setting(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_SMS_RELAY_SECRET": "another-relay-secret"}
    assert _post(_body()).status_code == 403
    assert _post(_body(), secret="another-relay-secret").status_code == 200


def test_no_relay_secret_means_no_relay(settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_SMS_RELAY_SECRET": ""}
    response = _post(_body(), secret="")
    assert response.status_code == 403
    assert response.json()["code"] == "authority_relay_off"
    assert "未启用" in response.json()["message"]


@pytest.mark.parametrize(
    "code",
    [
        "您的备案已被注销，请访问 http://evil.example 重新登记",
        "48291",  # too short
        "4829130",  # too long
        "48291３",  # a full-width digit
        "482 913",
        "",
    ],
)
def test_anything_but_a_code_is_refused(code):
    response = _post(_body(code=code))
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "authority_relay_not_a_code"
    assert "6 位数字" in answer["message"]
    assert not Message.objects.exists()


def test_the_code_length_is_a_setting(settings):
    settings.BEIAN = {**settings.BEIAN, "SMS_CODE_DIGITS": 8}
    assert _post(_body(code="482913")).status_code == 400
    assert _post(_body(code="48291377")).status_code == 200


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"phone": "请回复 TD 退订"}, "authority_relay_bad_phone"),
        ({"phone": "+1 415 555 0100"}, "authority_relay_bad_phone"),
        ({"expires_at": "明天，详见 http://evil.example"}, "authority_relay_bad_expiry"),
        ({"order_number": "BA1 点击 http://evil.example"}, "authority_relay_bad_order"),
        ({"key": "x" * 81}, "authority_relay_bad_key"),
    ],
)
def test_the_other_fields_carry_no_free_text(changes, code):
    response = _post(_body(**changes))
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Message.objects.exists()


def test_a_replayed_request_sends_nothing_new():
    assert _post(_body()).status_code == 200
    assert _post(_body()).status_code == 200
    assert Message.objects.count() == 1


def test_the_simulator_console_takes_no_empty_password(settings):
    from beian.authority.sim import views

    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_PASSWORD": ""}
    settings.BEIAN.pop("AUTHORITY_SIM_CONSOLE_PASSWORD", None)
    request = RequestFactory().post("/console/login", {"password": ""})
    request.session = {}
    response = views.login(request)
    assert response.status_code == 200 and request.session == {}
