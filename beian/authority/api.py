"""API of the authority app: the SMS relay the simulator uses in one-machine mode."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from ninja import Router, Schema

from beian.authority import errors as _errors  # noqa: F401 - registers the relay refusals
from beian.authority.client import setting
from beian.core.api_errors import answers
from beian.core.errors import Refusal
from beian.notify.services import enqueue
from beian.rules.checks.phone import check_phone

router = Router(tags=["authority"])

_KEY = re.compile(r"[A-Za-z0-9_-]{1,80}")
_ORDER = re.compile(r"[A-Za-z0-9-]{1,40}")


class SmsRelay(Schema):
    phone: str
    code: str
    key: str
    expires_at: str = ""
    order_number: str = ""


def _verify_signature(request) -> None:
    secret = setting("AUTHORITY_SMS_RELAY_SECRET")
    if not secret:
        raise Refusal("authority_relay_off", status=403)
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Authority-Signature", "")):
        raise Refusal("authority_relay_bad_signature", status=403)


def _checked(body: SmsRelay) -> dict:
    """Only what the fixed `sms_code` template needs, each value of its one shape:
    the relay can send a code, never a text of the caller's choosing."""
    digits = setting("SMS_CODE_DIGITS")
    if not re.fullmatch(rf"[0-9]{{{digits}}}", body.code):
        raise Refusal("authority_relay_not_a_code", field="code", params={"digits": digits})
    phone = check_phone(body.phone)
    if not phone.ok:
        raise Refusal("authority_relay_bad_phone", field="phone")
    if not _KEY.fullmatch(body.key):
        raise Refusal("authority_relay_bad_key", field="key")
    if body.order_number and not _ORDER.fullmatch(body.order_number):
        raise Refusal("authority_relay_bad_order", field="order_number")
    expires_at = body.expires_at
    if expires_at:
        try:
            expires_at = dt.datetime.strptime(expires_at, "%Y-%m-%d %H:%M").strftime(
                "%Y-%m-%d %H:%M"
            )
        except ValueError as exc:
            raise Refusal("authority_relay_bad_expiry", field="expires_at") from exc
    return {
        "phone": phone.normalized,
        "code": body.code,
        "key": body.key,
        "expires_at": expires_at,
        "order_number": body.order_number,
    }


@router.post("/sms-relay", auth=None, response=answers({200: dict}, 400, 403))
def sms_relay(request, body: SmsRelay):
    """The simulated MIIT sends its verification code through Beian's SMS channel (outbox).

    Signed with HMAC-SHA256 of the body under the relay's own secret
    (`BEIAN_AUTHORITY_SMS_RELAY_SECRET`, X-Authority-Signature); the code must be
    `SMS_CODE_DIGITS` digits and goes out in the fixed `sms_code` template (a
    secret template: the code is stored redacted)."""
    _verify_signature(request)
    relay = _checked(body)
    enqueue(
        template="sms_code",
        context={
            "code": relay["code"],
            "expires_at": relay["expires_at"],
            "order_number": relay["order_number"],
        },
        idempotency_key=f"authority-{relay['key']}",
        phone=relay["phone"],
        channels=("sms",),
    )
    return {"ok": True}
