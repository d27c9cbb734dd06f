"""Notify API: the user's messages; failed messages and resend for operators."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema

from beian.core.api_errors import MAX_OFFSET, answers
from beian.core.errors import Forbidden, NotFound
from beian.notify import selectors, services
from beian.notify.models import Message

router = Router(tags=["notify"])


class MessageOut(Schema):
    id: uuid.UUID
    channel: str
    template: str
    to: str
    subject: str
    body: str
    state: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class FailedMessageOut(Schema):
    id: uuid.UUID
    channel: str
    template: str
    to: str
    subject: str
    state: str
    attempts: int
    last_error: str
    created_at: dt.datetime


def _out(message: Message) -> dict:
    return {
        "id": message.pk,
        "channel": message.channel,
        "template": message.template,
        "to": message.to_display,
        "subject": message.subject,
        "body": message.body,
        "state": message.state,
        "attempts": message.attempts,
        "last_error": message.last_error,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
    }


def _require_operator(request: HttpRequest) -> None:
    if not request.user.has_role("operator"):
        raise Forbidden()


@router.get("/inbox", response=answers({200: list[MessageOut]}))
def inbox(request: HttpRequest, limit: int = 50, offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    limit = max(1, min(limit, 200))
    rows = selectors.inbox_for(request.user)[offset : offset + limit]
    return [_out(m) for m in rows]


@router.get("/failed", response=answers({200: list[FailedMessageOut]}, 403))
def failed(request: HttpRequest, limit: int = 100, offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    _require_operator(request)
    limit = max(1, min(limit, 500))
    return [_out(m) for m in selectors.failed_messages(request.user)[offset : offset + limit]]


class RecordedSmsOut(Schema):
    message_id: uuid.UUID
    phone: str
    text: str
    recorded_at: dt.datetime


@router.get("/recorded-sms", response=answers({200: list[RecordedSmsOut]}, 403))
def recorded_sms(
    request: HttpRequest, limit: int = 100, offset: int = Query(0, ge=0, le=MAX_OFFSET)
):
    """What the recording SMS backend "sent" (the demo), phone masked."""
    _require_operator(request)
    limit = max(1, min(limit, 500))
    return [
        {
            "message_id": r.message_id,
            "phone": r.phone_masked,
            "text": r.shown_text,
            "recorded_at": r.recorded_at,
        }
        for r in selectors.recorded_sms(request.user)[offset : offset + limit]
    ]


@router.post("/{message_id}/resend", response=answers({200: FailedMessageOut}, 403, 404))
def resend(request: HttpRequest, message_id: uuid.UUID):
    _require_operator(request)
    if not selectors.messages_for_staff(request.user).filter(pk=message_id).exists():
        raise NotFound()
    return _out(services.resend(message_id, actor=request.user))
