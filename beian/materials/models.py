"""Uploaded materials of an application: certificate scans, province extras and
the signed forms. File contents are encrypted at rest in a private folder."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from beian.core.file_crypto import decrypt_bytes
from beian.core.storage import get_private_storage


class MaterialKind(models.TextChoices):
    CERT_FRONT = "cert_front", "证件正面 / Certificate front"
    CERT_BACK = "cert_back", "证件背面 / Certificate back"
    RESIDENCE_PERMIT = "residence_permit", "居住证 / Residence permit"
    AUTHORISATION_LETTER = "authorisation_letter", "授权书 / Authorisation letter"
    DOMAIN_CERTIFICATE = "domain_certificate", "域名证书 / Domain certificate"
    PREAPPROVAL = "preapproval", "前置审批文件 / Pre-approval document"
    PARTY_BUILDING_LETTER = (
        "party_building_letter",
        "网站党建备案信息确认函 / Party-building confirmation letter",
    )
    VERIFICATION_FORM_SIGNED = (
        "verification_form_signed",
        "已签字的真实性核验单 / Signed verification form",
    )
    SECURITY_AGREEMENT_SIGNED = (
        "security_agreement_signed",
        "已签字的信息安全管理协议 / Signed security agreement",
    )
    OTHER = "other", "其他材料 / Other"


def _file_name(instance: Material, filename: str) -> str:
    # No client file name on disk: it may carry a person's name.
    return f"{instance.application.number}/{uuid.uuid4().hex}.bin"


class Material(models.Model):
    application = models.ForeignKey(
        "filings.Application", on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(max_length=32, choices=MaterialKind.choices, db_index=True)
    # Which person in charge, website or domain the material belongs to (all optional).
    principal = models.ForeignKey(
        "filings.Principal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.ForeignKey(
        "filings.Website", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain = models.CharField(max_length=253, blank=True, help_text="punycode domain name")
    file = models.FileField(storage=get_private_storage, upload_to=_file_name, max_length=200)
    original_name = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(help_text="bytes before encryption")
    sha256 = models.CharField(max_length=64, help_text="of the content before encryption")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True, db_index=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    class Meta:
        ordering = ["application", "kind", "id"]
        indexes = [models.Index(fields=["application", "active"])]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
            self.content_type, "bin"
        )

    def read_bytes(self) -> bytes:
        """The decrypted content."""
        with self.file.open("rb") as handle:
            return decrypt_bytes(handle.read())

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}#{self.pk}"
