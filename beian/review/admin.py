from django.contrib import admin

from beian.review.models import ReasonTemplate


@admin.register(ReasonTemplate)
class ReasonTemplateAdmin(admin.ModelAdmin):
    """Return-reason templates are data: admins edit them without a release."""

    list_display = ("field", "code", "text_zh", "text_en", "active", "position")
    list_filter = ("active", "field")
    search_fields = ("code", "text_zh", "text_en")
