"""Django admin for the shared kernel: calendar overrides (editable) and the
audit log (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages

from beian.core import audit, calendar
from beian.core.models import AuditEvent, CalendarOverride

_WEEKDAYS_ZH = "一二三四五六日"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Admins load next year's holidays and adjusted working days here, one
    row per date that differs from (or is missing in) the bundled data."""

    list_display = ("date", "weekday", "is_working_day", "name", "created_by", "created_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at")
    ordering = ("date",)

    @admin.display(description="星期 / weekday")
    def weekday(self, obj: CalendarOverride) -> str:
        return f"周{_WEEKDAYS_ZH[obj.date.weekday()]} / {obj.date:%a}"

    def changelist_view(self, request, extra_context=None):
        # Tell the admin which years still count weekends only.
        for warning in calendar.coverage_warnings():
            messages.warning(request, str(warning))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            object_type="calendar_override",
            object_id=obj.date.isoformat(),
            verb="calendar_override.changed" if change else "calendar_override.created",
            data={"is_working_day": obj.is_working_day, "name": obj.name},
        )

    def delete_model(self, request, obj):
        self._record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_delete(request, obj)
        # Delete one by one so that the post_delete signal drops the cache.
        for obj in queryset:
            obj.delete()

    @staticmethod
    def _record_delete(request, obj: CalendarOverride) -> None:
        audit.record(
            actor=request.user,
            object_type="calendar_override",
            object_id=obj.date.isoformat(),
            verb="calendar_override.deleted",
            data={"is_working_day": obj.is_working_day, "name": obj.name},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is immutable: view and search only."""

    list_display = ("at", "object_type", "object_id", "verb", "from_state", "to_state", "actor")
    list_filter = ("object_type", "verb")
    search_fields = ("object_type", "object_id", "verb", "request_id")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
