"""Upload checks: type by content, size, image dimensions, states, ownership,
replacement, and encryption at rest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from beian.core.errors import Refusal
from beian.core.storage import private_storage
from beian.filings.models import Application
from beian.filings.states import ApplicationState
from beian.materials.models import Material, MaterialKind
from beian.materials.services import upload_material
from beian.materials.tests.conftest import MINIMAL_PDF, image_bytes, jpeg, upload
from beian.materials.uploads import sniff

pytestmark = pytest.mark.django_db


def refusal_code(callable_, *args, **kwargs) -> str:
    with pytest.raises(Refusal) as info:
        callable_(*args, **kwargs)
    return info.value.code


def test_sniff_recognises_only_jpeg_png_pdf():
    assert sniff(image_bytes()[:8]) == "image/jpeg"
    assert sniff(image_bytes(fmt="PNG")[:8]) == "image/png"
    assert sniff(MINIMAL_PDF[:8]) == "application/pdf"
    assert sniff(b"GIF89a\x01\x00") is None
    assert sniff(b"<html><b") is None


def test_a_certificate_scan_is_stored_with_its_facts(seed_app, applicant):
    data = image_bytes(1200, 900)
    material = upload_material(
        seed_app, actor=applicant, kind=MaterialKind.CERT_FRONT, upload=upload(data)
    )
    assert (material.content_type, material.width, material.height) == ("image/jpeg", 1200, 900)
    assert material.size == len(data)
    assert material.sha256 == hashlib.sha256(data).hexdigest()
    assert material.active and material.uploaded_by == applicant
    assert material.read_bytes() == data


def test_file_is_encrypted_at_rest_in_the_private_folder(seed_app, applicant, materials_root):
    data = image_bytes()
    material = upload_material(
        seed_app, actor=applicant, kind=MaterialKind.CERT_FRONT, upload=upload(data)
    )
    on_disk = Path(material.file.path)
    assert on_disk.is_relative_to(materials_root.resolve())
    stored = on_disk.read_bytes()
    assert stored != data and not stored.startswith(b"\xff\xd8\xff")
    assert data[100:140] not in stored
    # No public URL, and not under the media or static folders.
    with pytest.raises(ValueError):
        private_storage.url(material.file.name)
    assert not on_disk.is_relative_to(Path(django_settings.STATIC_ROOT).resolve())
    # The client's file name never reaches the disk.
    assert "scan" not in on_disk.name


def test_a_text_file_named_jpg_is_refused(seed_app, applicant):
    disguised = upload(b"MZ\x90\x00 this is not an image" * 20, "photo.jpg", "image/jpeg")
    code = refusal_code(
        upload_material, seed_app, actor=applicant, kind="cert_front", upload=disguised
    )
    assert code == "material_type_not_allowed"


def test_a_gif_named_jpg_is_refused(seed_app, applicant):
    gif = upload(image_bytes(fmt="GIF"), "front.jpg", "image/jpeg")
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="other", upload=gif)
        == "material_type_not_allowed"
    )


def test_a_file_over_the_limit_is_refused(seed_app, applicant, settings):
    settings.BEIAN = {**settings.BEIAN, "MAX_UPLOAD_BYTES": 50_000}
    big = jpeg(2400, 1800)
    assert big.size > 50_000
    code = refusal_code(upload_material, seed_app, actor=applicant, kind="cert_front", upload=big)
    assert code == "material_too_large"


def test_a_too_small_certificate_photo_is_refused(seed_app, applicant):
    with pytest.raises(Refusal) as info:
        upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg(640, 480))
    assert info.value.code == "material_image_too_small"
    assert "800×600" in info.value.message("zh-hans") and "640×480" in info.value.message("en")


def test_a_portrait_scan_of_the_minimum_size_is_accepted(seed_app, applicant):
    material = upload_material(seed_app, actor=applicant, kind="cert_back", upload=jpeg(600, 800))
    assert (material.width, material.height) == (600, 800)


def test_the_minimum_size_is_a_setting(seed_app, applicant, settings):
    settings.BEIAN = {**settings.BEIAN, "MIN_PHOTO_WIDTH": 1600, "MIN_PHOTO_HEIGHT": 1200}
    code = refusal_code(
        upload_material, seed_app, actor=applicant, kind="cert_front", upload=jpeg(1024, 768)
    )
    assert code == "material_image_too_small"


def test_small_images_pass_where_no_photo_rule_applies(seed_app, applicant):
    material = upload_material(seed_app, actor=applicant, kind="other", upload=jpeg(300, 200))
    assert material.width == 300


def test_a_pdf_is_refused_for_a_certificate_scan_but_accepted_for_a_signed_form(
    seed_app, applicant
):
    pdf = upload(MINIMAL_PDF, "front.pdf", "application/pdf")
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="cert_front", upload=pdf)
        == "material_image_required"
    )
    pdf.seek(0)
    material = upload_material(
        seed_app, actor=applicant, kind="verification_form_signed", upload=pdf
    )
    assert material.content_type == "application/pdf" and material.width is None


def test_a_truncated_image_is_refused(seed_app, applicant):
    data = image_bytes(1024, 768)
    broken = upload(data[: len(data) // 2])
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="cert_front", upload=broken)
        == "material_image_invalid"
    )


def test_a_truncated_pdf_is_refused(seed_app, applicant):
    broken = upload(MINIMAL_PDF[:60], "form.pdf", "application/pdf")
    code = refusal_code(
        upload_material, seed_app, actor=applicant, kind="verification_form_signed", upload=broken
    )
    assert code == "material_pdf_invalid"


def test_missing_or_empty_file_is_refused(seed_app, applicant):
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="other", upload=None)
        == "material_empty"
    )
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="other", upload=upload(b""))
        == "material_empty"
    )


def test_unknown_kind_is_refused(seed_app, applicant):
    code = refusal_code(upload_material, seed_app, actor=applicant, kind="selfie", upload=jpeg())
    assert code == "material_kind_unknown"


def test_replacing_a_slot_keeps_one_active_material(seed_app, applicant):
    first = upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg())
    second = upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg(1280, 960))
    first.refresh_from_db()
    assert not first.active and first.replaced_by == second
    assert list(seed_app.materials.filter(active=True, kind="cert_front")) == [second]


def test_other_materials_accumulate_unless_one_is_replaced(seed_app, applicant):
    a = upload_material(seed_app, actor=applicant, kind="other", upload=jpeg())
    b = upload_material(seed_app, actor=applicant, kind="other", upload=jpeg())
    assert seed_app.materials.filter(active=True, kind="other").count() == 2
    c = upload_material(seed_app, actor=applicant, kind="other", upload=jpeg(), replaces=a.pk)
    a.refresh_from_db()
    assert a.replaced_by == c and not a.active
    assert set(seed_app.materials.filter(active=True).values_list("pk", flat=True)) == {b.pk, c.pk}


def test_references_must_belong_to_the_order(seed_app, applicant, hosting_owner):
    from testing import fill_seed_filing, id_number, make_code, start_seed_filing

    other = fill_seed_filing(
        start_seed_filing(
            applicant,
            make_code(hosting_owner, ip="203.0.113.20"),
            domain="another-site.cn",
            certificate_number=id_number(5),
        ),
        applicant,
    )
    other_website = other.websites.get()
    for ref in (
        {"website_id": other_website.pk},
        {"domain": "another-site.cn"},
        {"principal_id": other_website.principal_id},
    ):
        code = refusal_code(
            upload_material,
            seed_app,
            actor=applicant,
            kind="domain_certificate",
            upload=jpeg(),
            **ref,
        )
        assert code == "material_reference_invalid", ref


def test_only_the_applicant_uploads(seed_app, staff):
    with pytest.raises(Refusal) as info:
        upload_material(seed_app, actor=staff["reviewer"], kind="cert_front", upload=jpeg())
    assert (info.value.code, info.value.status) == ("material_not_owner", 403)


def test_uploads_stop_after_submission_except_signed_forms_while_verifying(seed_app, applicant):
    Application.objects.filter(pk=seed_app.pk).update(state=ApplicationState.SUBMITTED)
    with pytest.raises(Refusal) as info:
        upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg())
    assert (info.value.code, info.value.status) == ("material_not_editable", 409)
    code = refusal_code(
        upload_material, seed_app, actor=applicant, kind="verification_form_signed", upload=jpeg()
    )
    assert code == "material_not_editable"

    Application.objects.filter(pk=seed_app.pk).update(state=ApplicationState.VERIFYING)
    signed = upload_material(
        seed_app, actor=applicant, kind="verification_form_signed", upload=jpeg()
    )
    assert signed.active
    assert (
        refusal_code(upload_material, seed_app, actor=applicant, kind="cert_back", upload=jpeg())
        == "material_not_editable"
    )


def test_uploads_are_audited(seed_app, applicant):
    from beian.core.models import AuditEvent

    material = upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg())
    upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg())
    verbs = list(
        AuditEvent.objects.filter(object_type="application", object_id=str(seed_app.pk))
        .filter(verb__startswith="material_")
        .values_list("verb", "data__material")
    )
    assert verbs[0] == ("material_uploaded", material.pk)
    assert verbs[1][0] == "material_replaced"


def test_every_refusal_code_has_both_languages():
    from beian.core.errors import catalog

    codes = {c: pair for c, pair in catalog().items() if c.startswith("material_")}
    assert len(codes) >= 10
    for zh, en in codes.values():
        assert zh and en and zh != en


def test_material_str_and_extension(seed_app, applicant):
    material = upload_material(
        seed_app, actor=applicant, kind="other", upload=upload(image_bytes(fmt="PNG"), "a.png")
    )
    assert material.extension == "png" and material.is_image
    assert isinstance(Material.objects.get(pk=material.pk).read_bytes(), bytes)
