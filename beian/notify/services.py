"""Every write of the notify app: enqueue a message, resend a failed one.

`enqueue` only writes rows, in the caller's transaction: if the state change
that caused the message rolls back, so does the message. The worker delivers
after commit (see `delivery.py`).
"""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction

from beian.core import audit, clock, masking
from beian.core.errors import Refusal
from beian.notify import catalog
from beian.notify import errors as _errors  # noqa: F401 - registers the refusal codes
from beian.notify.models import Channel, Message, State

ALL_CHANNELS = (Channel.INBOX, Channel.EMAIL, Channel.SMS)


def _address(channel: str, user, phone: str | None, email: str | None) -> str:
    if channel == Channel.SMS:
        return (phone or getattr(user, "mobile", "") or "").strip()
    if channel == Channel.EMAIL:
        return (email or getattr(user, "email", "") or "").strip()
    return ""


def _masked(channel: str, address: str) -> str:
    if channel == Channel.SMS:
        return masking.mask_phone(address)
    if channel == Channel.EMAIL:
        return masking.mask_email(address)
    return ""


def enqueue(
    *,
    template: str,
    context: dict,
    idempotency_key: str,
    user=None,
    phone: str | None = None,
    email: str | None = None,
    channels: tuple[str, ...] = ("inbox", "email", "sms"),
    language: str | None = None,
) -> list[Message]:
    """Write one Message row per channel inside the caller's transaction (no sending here).

    user: the recipient User; phone/email override or replace the user's. A channel with
    no address (the inbox: no user) is skipped. idempotency_key + channel is unique:
    enqueuing the same key again returns the existing rows (no duplicates).
    """
    if template not in catalog.TEMPLATES:
        raise KeyError(f"unknown message template {template!r}")
    language = catalog.normalise_language(language or getattr(user, "language", None))
    # A secret template's secrets never reach a stored column in clear: the row
    # keeps the redacted rendering, the secrets go encrypted into `secret` for
    # the transport alone (delivery.for_transport), and only on the channels
    # that have a transport (the inbox shows the redacted copy).
    context, secrets = catalog.split_secrets(template, context)
    rendered = None
    messages: list[Message] = []
    for channel in channels:
        if channel not in ALL_CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        existing = Message.objects.filter(idempotency_key=idempotency_key, channel=channel).first()
        if existing is not None:
            messages.append(existing)
            continue
        if channel == Channel.INBOX and getattr(user, "pk", None) is None:
            continue
        address = _address(channel, user, phone, email)
        if channel != Channel.INBOX and not address:
            continue
        rendered = rendered or catalog.render(template, context, language)
        messages.append(
            _create(
                channel,
                address,
                rendered,
                template,
                context,
                idempotency_key,
                user,
                language,
                secret=json.dumps(secrets) if secrets and channel != Channel.INBOX else "",
            )
        )
    return messages


def _create(
    channel, address, rendered, template, context, key, user, language, *, secret=""
) -> Message:
    now = clock.now()
    inbox = channel == Channel.INBOX
    message = Message(
        idempotency_key=key,
        channel=channel,
        recipient=user if getattr(user, "pk", None) else None,
        to_address=address,
        to_display=_masked(channel, address),
        template=template,
        context=context or {},
        language=language,
        subject=rendered.subject,
        body=rendered.sms if channel == Channel.SMS else rendered.text,
        html=rendered.html if channel == Channel.EMAIL else "",
        secret=secret,
        # The inbox is just rows the portal lists: delivered as soon as written.
        state=State.SENT if inbox else State.PENDING,
        sent_at=now if inbox else None,
        next_attempt_at=None if inbox else now,
        created_at=now,
    )
    try:
        # A savepoint, so a concurrent enqueue of the same key does not break
        # the caller's transaction: the loser reads the winner's row.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return Message.objects.get(idempotency_key=key, channel=channel)
    return message


@transaction.atomic
def resend(message_id, *, actor) -> Message:
    """Put a failed message back in the queue: the same row, the same identity."""
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.channel == Channel.INBOX:
        raise Refusal("notify_inbox_not_resendable", status=409)
    if message.state != State.FAILED:
        raise Refusal("notify_message_not_failed", status=409)
    if catalog.secret_keys(message.template) and not message.secret:
        # Its secret was erased when it failed: the person asks for a new one.
        raise Refusal("notify_secret_not_resendable", status=409)
    now = clock.now()
    Message.objects.filter(pk=message.pk, state=State.FAILED).update(
        state=State.PENDING, attempts=0, next_attempt_at=now, lease_until=None, claimed_by=""
    )
    audit.record(
        actor=actor,
        object_type="message",
        object_id=message.pk,
        verb="message_resent",
        from_state=State.FAILED,
        to_state=State.PENDING,
        reason=message.last_error[:500],
    )
    message.refresh_from_db()
    return message
