"""`beian phone`: the demo's phone screen shows the code, on the machine only,
and only in demo mode."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from beian.notify import delivery
from beian.notify.services import enqueue

pytestmark = pytest.mark.django_db


def _send(code="482913", phone="13962100000"):
    enqueue(
        template="sms_code",
        context={"code": code},
        idempotency_key=f"sms-{code}",
        phone=phone,
        channels=("sms",),
    )
    delivery.deliver_due("test")


def test_the_phone_shows_its_own_codes():
    _send("482913")
    _send("111222", phone="13800138000")
    out = io.StringIO()
    call_command("phone", "+86 139-6210-0000", stdout=out)
    assert "482913" in out.getvalue() and "111222" not in out.getvalue()


def test_not_outside_demo_mode(settings):
    _send()
    settings.DEMO = False
    with pytest.raises(CommandError, match="演示模式"):
        call_command("phone", "13962100000", stdout=io.StringIO())
