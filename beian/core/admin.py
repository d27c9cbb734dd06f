"""Django admin for the shared kernel: calendar overrides (editable) and the
audit log (read-only)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages

from beian.core import audit, calendar
from beian.core.models import AuditEvent, CalendarOverride

_WEEKDAYS_ZH = "一二三四五六日"
# A holiday block is at most 9 days; a month leaves room without inviting typos.
MAX_RANGE_DAYS = 31


class CalendarOverrideForm(forms.ModelForm):
    """One date, or (when adding) a range of dates with the same status and
    name, e.g. 2027-10-01 .. 2027-10-07 "国庆节 / National Day"."""

    until = forms.DateField(
        required=False,
        label="至 / until",
        help_text="可选：连续多天一次录入（含当天）/ Optional: add every day up to this date (inclusive).",
    )

    class Meta:
        model = CalendarOverride
        fields = ["date", "until", "is_working_day", "name"]

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("date"), cleaned.get("until")
        if start is None or until is None:
            return cleaned
        if until < start:
            self.add_error("until", "结束日期早于开始日期 / The end date is before the start date.")
        elif (until - start).days >= MAX_RANGE_DAYS:
            self.add_error(
                "until",
                f"一次最多录入 {MAX_RANGE_DAYS} 天 / At most {MAX_RANGE_DAYS} days at once.",
            )
        else:
            taken = CalendarOverride.objects.filter(date__gt=start, date__lte=until)
            if taken.exists():
                days = ", ".join(f"{d:%Y-%m-%d}" for d in taken.values_list("date", flat=True))
                self.add_error("until", f"这些日期已录入 / Already entered: {days}")
        return cleaned

    def extra_dates(self) -> list[dt.date]:
        start, until = self.cleaned_data["date"], self.cleaned_data.get("until")
        if until is None:
            return []
        return [start + dt.timedelta(days=i) for i in range(1, (until - start).days + 1)]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Admins load next year's holidays and adjusted working days here, one
    row per date that differs from (or is missing in) the bundled data."""

    form = CalendarOverrideForm
    list_display = ("date", "weekday", "is_working_day", "name", "created_by", "created_at")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at")
    ordering = ("date",)

    @admin.display(description="星期 / weekday")
    def weekday(self, obj: CalendarOverride) -> str:
        return f"周{_WEEKDAYS_ZH[obj.date.weekday()]} / {obj.date:%a}"

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A range only makes sense when adding.
        return [f for f in fields if f != "until"] if obj is not None else fields

    def changelist_view(self, request, extra_context=None):
        # Tell the admin which years still count weekends only.
        for warning in calendar.coverage_warnings():
            messages.warning(request, str(warning))
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self._record_save(request, obj, change)
        if change:
            return
        for day in form.extra_dates():
            extra = CalendarOverride.objects.create(
                date=day,
                is_working_day=obj.is_working_day,
                name=obj.name,
                created_by=request.user,
            )
            self._record_save(request, extra, change=False)

    @staticmethod
    def _record_save(request, obj: CalendarOverride, change: bool) -> None:
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
