"""API of the authority app: the SMS relay the simulator uses in one-machine mode."""

from __future__ import annotations

import hashlib
import hmac

from ninja import Router, Schema

from beian.authority.client import setting
from beian.core.api_errors import answers
from beian.core.errors import Refusal
from beian.notify.services import enqueue

router = Router(tags=["authority"])


class SmsRelay(Schema):
    phone: str
    code: str
    key: str
    expires_at: str = ""
    order_number: str = ""


@router.post("/sms-relay", auth=None, response=answers({200: dict}, 403, public=True))
def sms_relay(request, body: SmsRelay):
    """The simulated MIIT sends its 6-digit code through Beian's SMS channel (outbox).

    Signed with HMAC-SHA256 of the body under the interface password (X-Authority-Signature),
    so only the configured administration (simulator) can use it."""
    expected = hmac.new(
        setting("AUTHORITY_PASSWORD").encode(), request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Authority-Signature", "")):
        raise Refusal("role_not_allowed", status=403, params={"event": "sms-relay"})
    enqueue(
        template="sms_code",
        context={
            "code": body.code,
            "expires_at": body.expires_at,
            "order_number": body.order_number,
        },
        idempotency_key=f"authority-{body.key}",
        phone=body.phone,
        channels=("sms",),
    )
    return {"ok": True}
