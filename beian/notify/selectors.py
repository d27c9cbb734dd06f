"""Every read of the notify app."""

from __future__ import annotations

from django.db.models import QuerySet

from beian.notify import scope
from beian.notify.models import Channel, Message, RecordedSms, State


def inbox_for(user) -> QuerySet[Message]:
    """Messages of every channel addressed to `user`, newest first (any state:
    the portal shows whether an SMS or e-mail has gone out yet)."""
    return Message.objects.filter(recipient=user).order_by("-created_at", "channel")


def messages_for_staff(user) -> QuerySet[Message]:
    """Every message `user` (staff) may see: those about what their province scope covers."""
    return scope.in_scope(user, Message.objects.all())


def failed_messages(user) -> QuerySet[Message]:
    """Messages that gave up after their last attempt, for operators to resend (in scope)."""
    return (
        messages_for_staff(user)
        .filter(state=State.FAILED)
        .exclude(channel=Channel.INBOX)
        .order_by("-created_at")
    )


def recorded_sms(user) -> QuerySet[RecordedSms]:
    """What the recording SMS backend "sent" (the demo's phone screen), in scope."""
    return (
        RecordedSms.objects.filter(message__in=messages_for_staff(user))
        .select_related("message")
        .order_by("-recorded_at")
    )
