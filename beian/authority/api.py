"""API of the authority app: the relays the simulator uses in one-machine mode (its SMS
codes, and the filing passwords it issues)."""

from __future__ import annotations

import hashlib
import hmac

from ninja import Router, Schema

from beian.authority import errors as _errors  # noqa: F401 - registers the refusal codes
from beian.authority.client import setting
from beian.core import masking
from beian.core.errors import Refusal
from beian.filings.models import Subject
from beian.notify.services import enqueue

router = Router(tags=["authority"])


class SmsRelay(Schema):
    phone: str
    code: str
    key: str
    expires_at: str = ""
    order_number: str = ""


def _check_signature(request, event: str) -> None:
    expected = hmac.new(
        setting("AUTHORITY_PASSWORD").encode(), request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Authority-Signature", "")):
        raise Refusal("role_not_allowed", status=403, params={"event": event})


@router.post("/sms-relay", auth=None, response={200: dict})
def sms_relay(request, body: SmsRelay):
    """The simulated MIIT sends its 6-digit code through Beian's SMS channel (outbox).

    Signed with HMAC-SHA256 of the body under the interface password (X-Authority-Signature),
    so only the configured administration (simulator) can use it."""
    _check_signature(request, "sms-relay")
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


@router.post("/filing-password-relay", auth=None, response={200: dict})
def filing_password_relay(request, body: PasswordRelay):
    """The simulated administration sends a filing password (备案密码) it issued or reset
    to the subject's e-mail and its person in charge's phone, through Beian's outbox.

    Signed as the SMS relay. Only to contacts Beian has for that subject (never another
    address), with the account that owns the subject told in its inbox that it was sent;
    the password is in no inbox and is blanked in the stored messages once they are sent
    (`notify.catalog.SECRETS`)."""
    _check_signature(request, "filing-password-relay")
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
