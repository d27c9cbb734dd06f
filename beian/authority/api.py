"""API of the authority app: the relays the simulator uses in one-machine mode (its SMS
codes, and the filing passwords it issues)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from ninja import Router, Schema

from beian.authority import errors as _errors  # noqa: F401 - registers the relay refusals
from beian.authority.client import setting
from beian.core import masking
from beian.core.api_errors import answers
from beian.core.errors import Refusal
from beian.filings.models import Subject
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


@router.post("/sms-relay", auth=None, response=answers({200: dict}, 400, 403, public=True))
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


class PasswordRelay(Schema):
    key: str
    password: str
    phone: str = ""
    email: str = ""
    subject_number: str = ""
    isp_subject_id: int | None = None
    reason: str = "issued"


def _relayed_subject(body: PasswordRelay) -> Subject:
    """The subject the administration means: the one Beian sent (isp_subject_id), as long
    as its number agrees, else the filed subject with that number."""
    subject = None
    if body.isp_subject_id:
        subject = Subject.objects.filter(pk=body.isp_subject_id).first()
        if subject and subject.icp_number and subject.icp_number != body.subject_number:
            subject = None
    if subject is None and body.subject_number:
        subject = Subject.objects.filter(icp_number=body.subject_number).order_by("-pk").first()
    if subject is None:
        raise Refusal("relay_subject_unknown", status=404)
    return subject


def _contacts(subject: Subject) -> tuple[set[str], set[str]]:
    """The phones and e-mails of the subject's persons in charge (subject and websites)."""
    people = [subject.principal, *(w.principal for w in subject.websites.all())]
    people = [p for p in people if p is not None]
    return {p.mobile for p in people if p.mobile}, {p.email.lower() for p in people if p.email}


@router.post(
    "/filing-password-relay", auth=None, response=answers({200: dict}, 403, 404, 409, public=True)
)
def filing_password_relay(request, body: PasswordRelay):
    """The simulated administration sends a filing password (备案密码) it issued or reset
    to the subject's e-mail and its person in charge's phone, through Beian's outbox.

    Signed as the SMS relay (its own secret). Only to contacts Beian has for that subject (never another
    address), with the account that owns the subject told in its inbox that it was sent;
    the password is in no inbox and is blanked in the stored messages once they are sent
    (`notify.catalog.SECRETS`)."""
    _verify_signature(request)
    subject = _relayed_subject(body)
    phones, emails = _contacts(subject)
    phone = body.phone.strip() if body.phone.strip() in phones else ""
    email = body.email.strip() if body.email.strip().lower() in emails else ""
    if not (phone or email):
        raise Refusal("relay_address_unknown", status=409)
    owner = subject.account
    context = {
        "subject_number": body.subject_number or subject.icp_number or "",
        "reason": "reset" if body.reason == "reset" else "issued",
    }
    channels = (("email",) if email else ()) + (("sms",) if phone else ())
    # No user: the secret-bearing rows belong to no account's inbox.
    enqueue(
        template="filing_password",
        context={**context, "password": body.password},
        idempotency_key=f"authority-{body.key}",
        phone=phone or None,
        email=email or None,
        channels=channels,
        language=owner.language,
    )
    enqueue(
        template="filing_password_sent",
        context={
            **context,
            "phone": masking.mask_phone(phone),
            "email": masking.mask_email(email),
        },
        idempotency_key=f"authority-{body.key}-notice",
        user=owner,
        channels=("inbox",),
    )
    return {"ok": True}
