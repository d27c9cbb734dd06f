"""MIIT's SMS verification: challenges, codes, wrong tries, resends, expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction

from beian.authority import extcodes
from beian.authority.models import (
    SimOutbox,
    SimRequest,
    SimRequestState,
    SimSmsChallenge,
)
from beian.authority.sim.services.base import knob, queue_download
from beian.authority.sim.services.decisions import _schedule
from beian.core import clock, crypto, timefmt

MAX_WRONG_TRIES = 5
MAX_SENDS = 3


def _code_hash(challenge_id: int, code: str) -> str:
    return hashlib.sha256(f"{challenge_id}:{code}".encode()).hexdigest()


def _new_code() -> str:
    digits = settings.BEIAN["SMS_CODE_DIGITS"]
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def _challenge(request: SimRequest, target: dict) -> SimSmsChallenge:
    now = clock.now()
    challenge = SimSmsChallenge.objects.create(
        request=request,
        role=target["role"],
        name=target["name"],
        phone=target["phone"],
        certificate_tail=target["certificate_tail"],
        code_hash="",
        sent_at=now,
        expires_at=now + dt.timedelta(hours=settings.BEIAN["SMS_CODE_HOURS"]),
    )
    _send_code(challenge)
    return challenge


def _send_code(challenge: SimSmsChallenge) -> None:
    code = _new_code()
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.save(update_fields=["code_hash", "sends", "sent_at"])
    SimOutbox.objects.create(
        phone=challenge.phone,
        context={
            "code": code,
            "expires_at": timefmt.datetime_text(challenge.expires_at),
        },
        key=f"sim-sms-{challenge.pk}-{challenge.sends}",
        created_at=clock.now(),
    )


class SmsRefusal(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def _pending_challenge(phone: str, tail: str) -> SimSmsChallenge:
    challenge = (
        SimSmsChallenge.objects.filter(
            phone_hash=crypto.lookup_hash(phone.strip()),
            certificate_tail=tail.strip().upper(),
            verified_at=None,
            failed=False,
            request__state=SimRequestState.SMS,
        )
        .order_by("-sent_at")
        .first()
    )
    if challenge is None:
        raise SmsRefusal(
            "没有待核验的备案，请核对手机号和证件号码后6位",
            "No filing awaits verification for this phone and certificate",
        )
    return challenge


def verify_sms(phone: str, certificate_tail: str, code: str) -> SimSmsChallenge:
    """The public verification page: code + phone + last 6 characters of the certificate.

    A wrong try is counted (and a failure recorded) even though the caller gets a refusal:
    the refusal is raised after the transaction committed."""
    with transaction.atomic():
        challenge = _pending_challenge(phone, certificate_tail)
        refusal = _check_code(challenge, code)
        if refusal is None:
            _verified(challenge)
    if refusal is not None:
        raise refusal
    return challenge


def _check_code(challenge: SimSmsChallenge, code: str) -> SmsRefusal | None:
    if challenge.expires_at <= clock.now():
        _fail_request(challenge, "验证码已过期 / code expired")
        return SmsRefusal(
            "验证码已过期，备案已退回接入商", "The code expired; the filing went back"
        )
    if hmac.compare_digest(challenge.code_hash, _code_hash(challenge.pk, code.strip())):
        return None
    challenge.wrong_tries += 1
    challenge.save(update_fields=["wrong_tries"])
    if challenge.wrong_tries >= MAX_WRONG_TRIES:
        _fail_request(challenge, "验证码错误次数过多 / too many wrong codes")
        return SmsRefusal(
            "验证码错误次数过多，备案已退回接入商",
            "Too many wrong codes; the filing went back to the provider",
        )
    left = MAX_WRONG_TRIES - challenge.wrong_tries
    return SmsRefusal(f"验证码错误，还可尝试 {left} 次", f"Wrong code; {left} tries left")


def _verified(challenge: SimSmsChallenge) -> None:
    challenge.verified_at = clock.now()
    challenge.save(update_fields=["verified_at"])
    request = challenge.request
    if not request.challenges.filter(verified_at=None).exists():
        request.state = SimRequestState.REVIEW
        request.save(update_fields=["state"])
        queue_download(
            f"req {request.pk}: sms verified",
            results=[
                {
                    "codes": [extcodes.SMS_VERIFIED],
                    "operation": request.operation,
                    "key": request.key,
                }
            ],
        )
        _schedule(request)


def resend_sms(phone: str, certificate_tail: str) -> SimSmsChallenge:
    with transaction.atomic():
        challenge = _pending_challenge(phone, certificate_tail)
        if challenge.sends >= knob("AUTHORITY_SIM_SMS_MAX_SENDS", MAX_SENDS):
            raise SmsRefusal("重发次数已达上限", "No more resends allowed")
        challenge.sends += 1
        challenge.sent_at = clock.now()
        _send_code(challenge)
    return challenge


def _fail_request(challenge: SimSmsChallenge, why: str) -> None:
    SimSmsChallenge.objects.filter(pk=challenge.pk).update(failed=True)
    request = challenge.request
    request.state = SimRequestState.RETURNED
    request.opinion = why
    request.decided_at = clock.now()
    request.save(update_fields=["state", "opinion", "decided_at"])
    queue_download(
        f"req {request.pk}: sms failed",
        results=[
            {"codes": [extcodes.SMS_FAILED], "operation": request.operation, "key": request.key}
        ],
    )
