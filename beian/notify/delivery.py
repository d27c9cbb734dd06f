"""Delivering the outbox: claim due rows, send them, mark them sent or failed.

Claiming is one conditional UPDATE per row (state and due time checked in the
WHERE clause), so two workers never both win a row while its lease runs; it
works the same on SQLite and PostgreSQL. A claimed row is `sending` with a
lease; if the worker dies, the lease runs out and the row is due again.

Guarantee: at-least-once delivery with one identity. A message is sent again
only when a worker died (or its lease ran out) after handing it to the server
and before marking it sent; the repeat carries the same UUID (Message-ID for
e-mail, Idempotency-Key/requestId for the SMS gateway, one `RecordedSms` row for
the recording backend), so the far side can tell it is the same message.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging

from django.conf import settings
from django.db.models import F, Q

from beian.core import clock, masking
from beian.notify import catalog
from beian.notify.backends import Deferred, PermanentFailure
from beian.notify.backends import email as email_backend
from beian.notify.backends import sms as sms_backend
from beian.notify.models import Channel, Message, State

logger = logging.getLogger("beian.notify")


def _knob(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


def max_attempts() -> int:
    return int(_knob("NOTIFY_MAX_ATTEMPTS", 8))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=float(_knob("NOTIFY_LEASE_SECONDS", 120)))


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt: base, 2×base, 4×base, … capped."""
    base = float(_knob("NOTIFY_RETRY_BASE_SECONDS", 30))
    cap = float(_knob("NOTIFY_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due(now: dt.datetime) -> Q:
    pending = Q(state=State.PENDING, next_attempt_at__lte=now)
    abandoned = Q(state=State.SENDING, lease_until__lte=now)
    return (pending | abandoned) & ~Q(channel=Channel.INBOX)


def claim_due(owner: str, limit: int = 1) -> list[Message]:
    """Claim up to `limit` due messages for `owner`; each claim is atomic."""
    now = clock.now()
    candidates = list(
        Message.objects.filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    claimed = []
    for pk in candidates:
        won = (
            Message.objects.filter(_due(now), pk=pk).update(
                state=State.SENDING,
                lease_until=now + lease(),
                claimed_by=owner,
                attempts=F("attempts") + 1,
            )
            == 1
        )
        if won:
            claimed.append(pk)
    return list(Message.objects.filter(pk__in=claimed).order_by("next_attempt_at"))


def for_transport(message: Message) -> Message:
    """The copy handed to the backend: the stored row, or for a secret template
    (catalog.SECRETS) an unsaved copy rendered again with its secrets. Never saved."""
    if not message.secret:
        return message
    context = {**(message.context or {}), **json.loads(message.secret)}
    rendered = catalog.render(message.template, context, message.language)
    outgoing = copy.copy(message)
    outgoing.subject = rendered.subject
    outgoing.body = rendered.sms if message.channel == Channel.SMS else rendered.text
    outgoing.html = rendered.html if message.channel == Channel.EMAIL else ""
    return outgoing


def _scrub(message: Message, text: str) -> str:
    """An error text as it may be stored or logged: PII masked, the message's
    secrets (should a backend quote them) redacted."""
    for value in json.loads(message.secret or "{}").values():
        text = text.replace(str(value), catalog.REDACTED)
    return masking.mask_text(text)


def _backend_for(message: Message):
    if message.channel == Channel.EMAIL:
        return email_backend.EmailBackend()
    return sms_backend.get_backend()


def _finish(message: Message, **fields) -> None:
    # Only while the row is still ours to finish: sending (by us or, after our
    # lease ran out, by another worker — either way it did go out).
    if fields.get("state") in (State.SENT, State.FAILED):
        # Sent, or given up: the secret has no further use and is destroyed.
        fields["secret"] = ""
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(
        lease_until=None, claimed_by="", **fields
    )


def deliver(message: Message) -> str:
    """Send one claimed message; returns the state it ends in."""
    if message.attempts > max_attempts():
        # Only reachable when workers died mid-delivery again and again.
        _finish(message, state=State.FAILED, last_error="delivery interrupted too often")
        return State.FAILED
    try:
        reference = _backend_for(message).send(for_transport(message))
    except Deferred as exc:
        # Not an attempt: give it back without counting it.
        _finish(
            message,
            state=State.PENDING,
            next_attempt_at=exc.until,
            attempts=F("attempts") - 1,
            last_error=exc.reason,
        )
        return State.PENDING
    except PermanentFailure as exc:
        error = _scrub(message, str(exc))[:2000]
        _finish(message, state=State.FAILED, last_error=error)
        logger.warning("message %s failed permanently: %s", message.pk, error)
        return State.FAILED
    except Exception as exc:  # any other error is temporary: retry with backoff
        error = _scrub(message, f"{type(exc).__name__}: {exc}")[:2000]
        if message.attempts >= max_attempts():
            _finish(message, state=State.FAILED, last_error=error)
            logger.warning("message %s failed after %s attempts", message.pk, message.attempts)
            return State.FAILED
        _finish(
            message,
            state=State.PENDING,
            next_attempt_at=clock.now() + backoff(message.attempts),
            last_error=error,
        )
        logger.info("message %s attempt %s failed: %s", message.pk, message.attempts, error)
        return State.PENDING
    _finish(
        message,
        state=State.SENT,
        sent_at=clock.now(),
        last_error="",
        provider_reference=str(reference or "")[:200],
    )
    return State.SENT


def deliver_due(owner: str, limit: int = 50, should_stop=lambda: False) -> int:
    """One round: claim and deliver due messages one by one (so a lease only
    has to cover one delivery). Returns how many were tried."""
    done = 0
    while done < limit and not should_stop():
        messages = claim_due(owner, 1)
        if not messages:
            break
        deliver(messages[0])
        done += 1
    return done
