"""The clock: expiry, automatic decisions, SMS delivery to Beian's relay."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction

from beian.authority.client import setting
from beian.authority.models import (
    SimOutbox,
    SimRequest,
    SimRequestState,
    SimSmsChallenge,
)
from beian.authority.sim.services.base import state
from beian.authority.sim.services.decisions import approve, reject
from beian.authority.sim.services.passwords import RELAY
from beian.authority.sim.services.sms import _fail_request
from beian.core import clock

log = logging.getLogger(__name__)


def tick() -> None:
    now = clock.now()
    for challenge in SimSmsChallenge.objects.filter(
        verified_at=None, failed=False, expires_at__lte=now, request__state=SimRequestState.SMS
    ):
        with transaction.atomic():
            _fail_request(challenge, "24小时内未完成短信核验 / not verified within 24 hours")
    st = state()
    due = SimRequest.objects.filter(state=SimRequestState.REVIEW, decide_at__lte=now)
    for request in due:
        if st.auto_decision == "reject":
            reject(request, [1020], "自动模式：驳回 / automatic mode: rejected")
        else:
            approve(request, "自动模式：通过 / automatic mode: approved")
    deliver_sms()


# What a delivered row forgets: the simulator keeps no secret readable once sent.
SECRET_KEYS = ("code", "password")


def sign(body: bytes) -> str:
    """HMAC-SHA256 under the relay's own secret (never the interface password)."""
    secret = setting("AUTHORITY_SMS_RELAY_SECRET")
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _handed_over(row: SimOutbox, error: str = "") -> None:
    # The simulator keeps no readable code or filing password once it is out (their
    # hashes are on the challenge and the subject).
    context = {k: v for k, v in row.context.items() if k not in SECRET_KEYS}
    SimOutbox.objects.filter(pk=row.pk).update(sent_at=clock.now(), error=error, context=context)


def deliver_sms() -> int:
    """Hand the codes and filing passwords to Beian's relays (one-machine mode), after
    commit; each relay's address is a setting derived from BEIAN_PORT."""
    if not setting("AUTHORITY_SMS_RELAY_SECRET"):
        log.warning("SMS relay is off: BEIAN_AUTHORITY_SMS_RELAY_SECRET is not set")
        return 0
    sent = 0
    for row in SimOutbox.objects.filter(sent_at=None).order_by("pk")[:50]:
        url = settings.BEIAN[
            "AUTHORITY_SIM_PASSWORD_RELAY_URL"
            if row.context.get("relay") == RELAY
            else "AUTHORITY_SIM_SMS_RELAY_URL"
        ]
        body = json.dumps({"phone": row.phone, "key": row.key, **row.context}).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Authority-Signature": sign(body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 400:  # Beian refused this SMS (not a code): never retried
                _handed_over(row, error=f"refused by the relay: HTTP {exc.code}")
                log.warning("SMS relay refused %s: HTTP %s", row.key, exc.code)
                continue
            SimOutbox.objects.filter(pk=row.pk).update(error=f"HTTP {exc.code}")
            log.warning("SMS relay to %s failed: HTTP %s", url, exc.code)
            break
        except OSError as exc:
            SimOutbox.objects.filter(pk=row.pk).update(error=str(exc)[:500])
            log.warning("SMS relay to %s failed: %s", url, exc)
            break
        _handed_over(row)
        sent += 1
    return sent
