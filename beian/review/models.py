"""The back office's own records: return-reason templates, phone calls to the
applicant, and attempts to submit to the administration (failures stay visible
and can be retried)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReasonTemplate(models.Model):
    """A ready-made return reason for one field (or a stage: photo, originals).

    `field` is a field path without website index ("subject.name",
    "websites.name", "subject.principal.mobile", "photo", "originals"), so one
    template serves every website of an application."""

    field = models.CharField(max_length=80, db_index=True)
    code = models.SlugField(max_length=60, unique=True)
    text_zh = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["field", "position", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.text_zh}"


class CallOutcome(models.TextChoices):
    REACHED = "reached", "已接通 / Reached"
    NO_ANSWER = "no_answer", "无人接听 / No answer"
    BUSY = "busy", "占线 / Busy"
    WRONG_NUMBER = "wrong_number", "号码错误 / Wrong number"
    CALL_BACK = "call_back", "约定回电 / Will call back"


class PhoneCall(models.Model):
    """A reviewer's call to the applicant during review."""

    application = models.ForeignKey(
        "filings.Application", on_delete=models.CASCADE, related_name="phone_calls"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=CallOutcome.choices)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-called_at", "-id"]


class SubmissionAttempt(models.Model):
    """One try to hand an application to the administration through the adapter."""

    application = models.ForeignKey(
        "filings.Application", on_delete=models.CASCADE, related_name="submission_attempts"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    adapter = models.CharField(max_length=60)
    ok = models.BooleanField()
    message = models.TextField(blank=True)
    # A failure stays on the failures list until a later attempt succeeds.
    resolved = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ok", "resolved"])]
