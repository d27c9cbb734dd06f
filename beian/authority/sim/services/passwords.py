"""The filing password (备案密码): issued with the approval of a new subject and on reset,
sent to the subject's e-mail and its person in charge's phone through Beian's relay (as
the SMS codes are). The simulator keeps only its hash: the MD5 that ``ICPmm`` and
``isp_verifybamm`` compare; the outbox row loses the password once it is handed over."""

from __future__ import annotations

import datetime as dt
import secrets

from beian.authority.codec import filing_password_digest
from beian.authority.models import SimOutbox, SimSubject
from beian.authority.sim.services.base import _subject_by_number, knob, new_id
from beian.core import clock

# No 0/O, 1/l/I: the password is read from a phone and typed.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
LENGTH = 10
MAX_RESETS_PER_DAY = 5
RELAY = "filing_password"  # SimOutbox.context["relay"]: goes to the password relay


class PasswordRefusal(Exception):
    """A reset the administration refuses: ``code`` is Beian's refusal code."""

    def __init__(self, code: str, zh: str, en: str, status: int):
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en, self.status = code, zh, en, status


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def _key_prefix(subject: SimSubject) -> str:
    return f"sim-bamm-{subject.pk}-"


def issue_password(subject: SimSubject, reason: str = "issued") -> None:
    """A new password for the subject: its hash replaces the old one, the password
    itself waits in the outbox for the relay (after commit, ``deliver_sms``)."""
    password = new_password()
    subject.filing_password_md5 = filing_password_digest(password)
    subject.save(update_fields=["filing_password_md5"])
    principal = subject.data.get("principal") or {}
    SimOutbox.objects.create(
        phone=(principal.get("mobile") or "").split(";")[0][:20],
        context={
            "relay": RELAY,
            "password": password,
            "email": (principal.get("email") or "").split(";")[0],
            "subject_number": subject.number,
            "isp_subject_id": subject.data.get("isp_subject_id"),
            "reason": reason,
        },
        key=f"{_key_prefix(subject)}{new_id()}",
        created_at=clock.now(),
    )


def resets_today(subject: SimSubject) -> int:
    since = clock.now() - dt.timedelta(hours=24)
    return sum(
        1
        for row in SimOutbox.objects.filter(
            key__startswith=_key_prefix(subject), created_at__gte=since
        )
        if row.context.get("reason") == "reset"
    )


def reset_password(number: str, *, limited: bool = True) -> SimSubject:
    """A new password sent to the subject's contacts (the filer's "forgot" path, or the
    console). At most MAX_RESETS_PER_DAY a day for the filer; the console has no limit."""
    subject = _subject_by_number(number)
    if subject is None:
        raise PasswordRefusal(
            "filing_password_reset_wrong_subject",
            "没有该备案号的已备案主体",
            "No filed subject has this ICP number",
            404,
        )
    limit = int(knob("AUTHORITY_SIM_PASSWORD_RESETS_PER_DAY", MAX_RESETS_PER_DAY))
    if limited and resets_today(subject) >= limit:
        raise PasswordRefusal(
            "filing_password_reset_too_many",
            "今日重置备案密码次数已达上限",
            "Too many filing password resets today",
            429,
        )
    issue_password(subject, reason="reset")
    return subject
