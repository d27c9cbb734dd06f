"""Django admin for the outbox: masked addresses, failed-message resend."""

from __future__ import annotations

from django.contrib import admin, messages

from beian.core.errors import Refusal
from beian.notify import services
from beian.notify.models import Message, PeriodicJob, RecordedSms, State


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "template", "to_display", "state", "attempts")
    list_filter = ("state", "channel", "template", "language")
    search_fields = ("idempotency_key", "template", "id")
    ordering = ("-created_at",)
    # The clear address never appears in the admin (to_display is masked), nor
    # the secret column; subject, body, html and context are the redacted copies.
    exclude = ("to_address", "to_hash", "secret")
    readonly_fields = [
        f.name for f in Message._meta.fields if f.name not in {"to_address", "to_hash", "secret"}
    ]
    actions = ["resend_failed"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="重新发送失败的消息 / Resend failed messages")
    def resend_failed(self, request, queryset):
        resent = 0
        for message in queryset.filter(state=State.FAILED):
            try:
                services.resend(message.pk, actor=request.user)
                resent += 1
            except Refusal as refusal:
                self.message_user(request, refusal.message(), messages.WARNING)
        self.message_user(request, f"{resent} message(s) queued again.")


@admin.register(RecordedSms)
class RecordedSmsAdmin(admin.ModelAdmin):
    # What the phone got (`text`, `phone`) stays out: staff see the stored copy,
    # secrets redacted.
    list_display = ("recorded_at", "phone_masked", "shown_text")
    exclude = ("phone", "text")
    readonly_fields = ("message", "phone_masked", "shown_text", "recorded_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "next_run_at", "locked_until", "owner", "run_count")
    readonly_fields = ("last_run_at", "locked_until", "owner", "run_count", "last_error")
