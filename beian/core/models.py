"""Shared kernel models: the immutable audit log and calendar overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from beian.core.clock import now as _clock_now


class AuditEventQuerySet(models.QuerySet):
    """No bulk change of the audit log either."""

    def update(self, **kwargs):
        raise ValueError("audit events are immutable")

    def delete(self):
        raise ValueError("audit events are immutable")


class AuditEvent(models.Model):
    """One immutable record of something that happened: a state transition,
    a decision, an operator action. Written in the same transaction as the
    change it records; never updated or deleted."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    # What the event is about, e.g. ("application", "42").
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    # Verbs and states are free text, not DB choices: adding one must not need a migration.
    verb = models.CharField(max_length=60)
    track = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The hash chain (beian.core.audit_chain): this event's link is a keyed hash
    # of the previous event's link and this event's content.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are immutable")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_type}#{self.object_id} {self.verb}"


class AuditChainHead(models.Model):
    """One row: the link of the last audit event. Writing an event takes this
    row under a lock (select_for_update, on SQLite the write lock), so events
    link one after the other whatever the number of processes."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True, default="")


class KeyFingerprint(models.Model):
    """One row: the fingerprint of the PII key the data are encrypted under
    (beian/core/keys.py). A process with another key refuses to start."""

    fingerprint = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(auto_now_add=True)


class CalendarOverride(models.Model):
    """One day whose working-day status an admin sets by hand: a public
    holiday or an adjusted working day (调休) that the bundled
    `chinese-calendar` data does not know yet (the State Council publishes
    next year's arrangement around November). Overrides win over the
    bundled data; see beian/core/calendar.py and docs/working-days.md."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField(
        help_text="Checked: an adjusted working day (调休上班). Unchecked: a day off (休息)."
    )
    # e.g. "国庆节 / National Day" or "国庆节调休 / National Day adjusted working day"
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=_clock_now, editable=False)

    class Meta:
        ordering = ["date"]
        verbose_name = "calendar override (节假日/调休)"
        verbose_name_plural = "calendar overrides (节假日/调休)"

    def __str__(self) -> str:
        kind = "上班 / working day" if self.is_working_day else "休息 / day off"
        return f"{self.date:%Y-%m-%d} {kind} {self.name}"
