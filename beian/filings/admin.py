"""Admin for staff until the back office exists: masked PII, states read-only
(states change only through the workflow)."""

from django.contrib import admin

from beian.core.masking import mask_address, mask_certificate, mask_email, mask_name, mask_phone
from beian.filings.models import Application, Domain, Principal, ReturnReason, Subject, Website


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "filing_type",
        "state",
        "originals_state",
        "photo_state",
        "province",
        "deadline",
    )
    list_filter = ("state", "filing_type", "province")
    search_fields = ("number",)
    readonly_fields = (
        "state",
        "originals_state",
        "photo_state",
        "number",
        "account",
        "subject",
        "service_code",
        "deadline",
        "deadline_kind",
        "expires_at",
        "created_at",
        "submitted_at",
        "decided_at",
        "round",
    )
    exclude = ("websites",)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Never hard-deleted (beian/filings/protection.py): no delete button either.
        return False


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = (
        "masked_name",
        "nature",
        "masked_certificate",
        "province",
        "status",
        "icp_number",
    )
    list_filter = ("status", "nature", "province")
    search_fields = ("icp_number",)
    exclude = (
        "certificate_number",
        "certificate_hash",
        "certificate_address",
        "mailing_address",
        "filing_password",
    )
    readonly_fields = ("masked_certificate", "masked_address", "status", "icp_number")

    @admin.display(description="name")
    def masked_name(self, obj):
        return obj.name if not obj.is_individual else mask_name(obj.name)

    @admin.display(description="certificate")
    def masked_certificate(self, obj):
        return mask_certificate(obj.certificate_number)

    @admin.display(description="address")
    def masked_address(self, obj):
        return mask_address(obj.certificate_address)


@admin.register(Principal)
class PrincipalAdmin(admin.ModelAdmin):
    list_display = ("masked_name", "masked_certificate", "masked_mobile", "masked_email")
    exclude = (
        "certificate_number",
        "certificate_hash",
        "mobile",
        "mobile_hash",
        "email",
        "email_hash",
        "emergency_phone",
    )

    @admin.display(description="name")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description="certificate")
    def masked_certificate(self, obj):
        return mask_certificate(obj.certificate_number)

    @admin.display(description="mobile")
    def masked_mobile(self, obj):
        return mask_phone(obj.mobile)

    @admin.display(description="e-mail")
    def masked_email(self, obj):
        return mask_email(obj.email)


@admin.register(Website)
class WebsiteAdmin(admin.ModelAdmin):
    list_display = ("name", "icp_number", "status", "subject")
    list_filter = ("status",)
    search_fields = ("icp_number", "name")


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "unicode_name", "status", "website")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(ReturnReason)
class ReturnReasonAdmin(admin.ModelAdmin):
    list_display = ("application", "round", "source", "field", "text", "created_at")
