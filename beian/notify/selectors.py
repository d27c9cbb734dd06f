"""Every read of the notify app."""

from __future__ import annotations

from django.db.models import QuerySet

from beian.notify.models import Channel, Message, RecordedSms, State


def inbox_for(user) -> QuerySet[Message]:
    """Messages of every channel addressed to `user`, newest first (any state:
    the portal shows whether an SMS or e-mail has gone out yet)."""
    return Message.objects.filter(recipient=user).order_by("-created_at", "channel")


def failed_messages() -> QuerySet[Message]:
    """Messages that gave up after their last attempt, for operators to resend."""
    return (
        Message.objects.filter(state=State.FAILED)
        .exclude(channel=Channel.INBOX)
        .order_by("-created_at")
    )


def recorded_sms() -> QuerySet[RecordedSms]:
    """What the recording SMS backend "sent" (the demo's phone screen)."""
    return RecordedSms.objects.select_related("message").order_by("-recorded_at")
