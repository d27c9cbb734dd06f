"""Every write on materials: upload and replace, encrypted, audited, in one transaction."""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.db import transaction

from beian.core import audit, clock
from beian.core.errors import Refusal
from beian.core.file_crypto import encrypt_bytes
from beian.filings.models import Application, Domain
from beian.filings.states import ApplicationState
from beian.materials import errors  # noqa: F401 - registers refusal codes
from beian.materials.models import Material, MaterialKind
from beian.materials.requirements import IMAGE_ONLY_KINDS, PHOTO_RULE_KINDS, SIGNED_FORM_KINDS
from beian.materials.uploads import check_file

UPLOAD_STATES = {ApplicationState.DRAFT, ApplicationState.RETURNED}
# Signed forms may still be sent (or replaced) while originals and photo are checked.
SIGNED_FORM_STATES = UPLOAD_STATES | {ApplicationState.VERIFYING}


def can_upload(app: Application, kind: str) -> bool:
    states = SIGNED_FORM_STATES if kind in SIGNED_FORM_KINDS else UPLOAD_STATES
    return app.state in states


def _principal_ids(app: Application) -> set[int]:
    ids = {app.subject.principal_id} if app.subject.principal_id else set()
    ids |= {pk for pk in app.websites.values_list("principal_id", flat=True) if pk}
    return ids


def _check_references(app: Application, principal_id, website_id, domain: str) -> None:
    invalid = Refusal("material_reference_invalid", field="file")
    if principal_id is not None and principal_id not in _principal_ids(app):
        raise invalid
    if website_id is not None and not app.websites.filter(pk=website_id).exists():
        raise invalid
    if domain:
        domains = Domain.objects.filter(website__in=app.websites.all(), name=domain)
        if website_id is not None:
            domains = domains.filter(website_id=website_id)
        if not domains.exists():
            raise invalid


def _clean_name(name: str) -> str:
    return os.path.basename(str(name or "")).strip()[:120]


@transaction.atomic
def upload_material(
    app: Application,
    *,
    actor,
    kind: str,
    upload,
    principal_id: int | None = None,
    website_id: int | None = None,
    domain: str = "",
    replaces: int | None = None,
) -> Material:
    """Stores a checked, encrypted file; the slot's previous material becomes inactive.

    A slot is (kind, principal, website, domain); "other" materials have no slot
    and are replaced only when `replaces` names one."""
    if kind not in MaterialKind.values:
        raise Refusal("material_kind_unknown", field="kind")
    # Lock the order: two uploads into one slot must not both stay active.
    app = Application.objects.select_for_update().select_related("subject").get(pk=app.pk)
    if app.account_id != actor.pk:
        raise Refusal("material_not_owner", status=403)
    if not can_upload(app, kind):
        state_zh, _, state_en = str(app.get_state_display()).partition(" / ")
        raise Refusal(
            "material_not_editable",
            status=409,
            params={"state_zh": state_zh, "state_en": state_en or state_zh},
        )
    domain = (domain or "").strip().lower()
    _check_references(app, principal_id, website_id, domain)
    checked = check_file(
        upload, images_only=kind in IMAGE_ONLY_KINDS, photo_rules=kind in PHOTO_RULE_KINDS
    )

    previous = app.materials.filter(active=True)
    if replaces is not None:
        previous = previous.filter(pk=replaces)
        if not previous.exists():
            raise Refusal("material_reference_invalid", field="replaces")
    elif kind == MaterialKind.OTHER:
        previous = previous.none()
    else:
        previous = previous.filter(
            kind=kind, principal_id=principal_id, website_id=website_id, domain=domain
        )
    previous = list(previous)

    material = Material(
        application=app,
        kind=kind,
        principal_id=principal_id,
        website_id=website_id,
        domain=domain,
        original_name=_clean_name(getattr(upload, "name", "")),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        width=checked.width,
        height=checked.height,
        uploaded_at=clock.now(),
        uploaded_by=actor,
    )
    material.file.save("upload.bin", ContentFile(encrypt_bytes(checked.data)), save=False)
    try:
        material.save()
    except Exception:
        material.file.delete(save=False)  # no orphan ciphertext when the row is not written
        raise
    for old in previous:
        old.active = False
        old.replaced_by = material
        old.save(update_fields=["active", "replaced_by"])
    audit.record(
        actor=actor,
        object_type="application",
        object_id=app.pk,
        verb="material_replaced" if previous else "material_uploaded",
        data={
            "material": material.pk,
            "kind": kind,
            "replaces": [m.pk for m in previous],
            "size": material.size,
            "content_type": material.content_type,
        },
    )
    return material
