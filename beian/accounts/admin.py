from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from beian.accounts.models import ApiToken, User
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
