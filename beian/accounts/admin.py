from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin

from beian.accounts import throttle
from beian.accounts.models import ApiToken, Role, User
from beian.core.errors import Refusal
from beian.core.masking import mask_email, mask_phone


@admin.register(User)
class BeianUserAdmin(UserAdmin):
    list_display = ("username", "role", "provinces", "masked_email", "masked_mobile", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username",)  # contact details are encrypted: no substring search
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Role", {"fields": ("role", "provinces", "language")}),
        ("Contact (encrypted at rest)", {"fields": ("email", "mobile", "email_confirmed")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),
    )

    @admin.display(description="e-mail")
    def masked_email(self, obj):
        return mask_email(obj.email)

    @admin.display(description="mobile")
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The Django admin's login, throttled like the portal's (same counters)."""

    def clean(self):
        identifier = self.data.get("username", "")
        ip = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if identifier and self.data.get("password"):
            try:
                throttle.check_login_allowed(identifier, ip)
            except Refusal as refusal:
                raise forms.ValidationError(refusal.message(), code=refusal.code) from refusal
        try:
            data = super().clean()
        except forms.ValidationError:
            if identifier:
                throttle.record_login_failure(identifier, ip)
            raise
        throttle.clear_login_failures(identifier, ip)
        return data


admin.site.login_form = ThrottledAdminLoginForm


def admin_role_only(request) -> bool:
    """Who may use the Django admin: an active account of the admin role, nobody else.

    Django's own test is `is_active and is_staff`, after which each model's
    permissions decide; a reviewer given `is_staff` and view permissions would
    read every message, application and user of every province. The back office
    (`/review/`) is where staff work, within their role and provinces."""
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == Role.ADMIN)


admin.site.has_permission = admin_role_only
