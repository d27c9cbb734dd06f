"""The outbox: one row per message, written with the state change that causes it.

A `Message` is the identity of one notification on one channel. Its UUID is
fixed when the row is written and travels with every delivery attempt (the
e-mail Message-ID, the SMS gateway's idempotency id), so a retry after a crash
is the same message, never a new one. The content (subject, body) is rendered
when the row is written, so what is sent is what the state change meant.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from beian.core.fields import EncryptedTextField, PiiModel


class Channel(models.TextChoices):
    INBOX = "inbox", "站内信 / In-portal"
    EMAIL = "email", "电子邮件 / E-mail"
    SMS = "sms", "短信 / SMS"


class State(models.TextChoices):
    PENDING = "pending", "待发送 / Pending"
    SENDING = "sending", "发送中 / Sending"
    SENT = "sent", "已发送 / Sent"
    FAILED = "failed", "发送失败 / Failed"


class Message(PiiModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Chosen by the caller from what caused the message (e.g. "app:42:approved");
    # the same key on the same channel is the same message.
    idempotency_key = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    # The phone number or e-mail address (empty for the inbox), encrypted;
    # `to_hash` finds all messages to one number (the SMS rate limit).
    to_address = EncryptedTextField(blank=True, default="")
    to_hash = models.CharField(max_length=64, blank=True, db_index=True)
    to_display = models.CharField(max_length=120, blank=True)
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(max_length=10, default="zh-hans")
    # Stored copies: a secret template's secrets (catalog.SECRETS) show as
    # catalog.REDACTED here and in `context`.
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # The secrets themselves (JSON), encrypted, only until the transport has the
    # message: emptied when it is sent or has failed for good.
    secret = EncryptedTextField(blank=True, default="")

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While a worker delivers, the row is leased to it; a lease that runs out
    # (the worker died) makes the row due again.
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # What the far side answered (SMTP server / gateway reference), for support.
    provider_reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    PII_HASHES = {"to_address": "to_hash"}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "channel"], name="notify_message_key_channel"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["recipient", "created_at"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.template} → {self.to_display or '-'} ({self.state})"


class RecordedSms(models.Model):
    """An SMS "sent" by the recording backend: the demo's phone screen.

    One row per message (unique), so redelivering a message after a crash
    records it once.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="recorded_sms")
    phone = EncryptedTextField()
    phone_masked = models.CharField(max_length=30)
    # What the phone shows, secrets included (the recording backend is the
    # transport's far side): encrypted; lists show `shown_text`.
    text = EncryptedTextField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = "recorded SMS"
        verbose_name_plural = "recorded SMS"

    @property
    def shown_text(self) -> str:
        """The text for staff and lists: the message's stored copy, secrets redacted."""
        return self.message.body

    def __str__(self) -> str:
        return f"{self.phone_masked}: {self.shown_text[:40]}"


class PeriodicJob(models.Model):
    """One row per registered periodic job: when it last ran and who holds it.

    A worker runs a job only after claiming this row with a conditional UPDATE
    (due and not locked), so several workers run each job once.
    """

    name = models.CharField(max_length=80, primary_key=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    owner = models.CharField(max_length=64, blank=True)
    run_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
