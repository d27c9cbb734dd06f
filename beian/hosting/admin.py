from django.contrib import admin

from beian.hosting.models import FilingServiceCode, Server


@admin.register(Server)
class ServerAdmin(admin.ModelAdmin):
    list_display = (
        "instance_id",
        "region",
        "is_mainland",
        "public_ip",
        "billing",
        "access_method",
        "subscription_end",
        "owner",
    )
    list_filter = ("is_mainland", "billing", "access_method")
    search_fields = ("instance_id", "public_ip")


@admin.register(FilingServiceCode)
class FilingServiceCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "server", "status", "bound_account", "issued_at", "used_at")
    list_filter = ("status",)
    search_fields = ("code",)
    readonly_fields = ("status", "bound_account", "bound_at", "used_at")
