"""The verification materials an upload carries (``Fj/Fjxx``, ``XZHYD``) and the pre-approval
scans (``Nrlx_xx/Spwj``), from an application's materials and its verification photo.

Spec (S:1126-1135, 1323-1336): JPG, base64, at most 150 KB for the verification form
(真实性核验单) and 100 KB for the others and for each pre-approval scan, counted on the
base64 text (K = 1024). A JPEG that fits travels byte for byte; anything else (a PNG, a
larger JPEG) is re-encoded (``core.images.jpeg_within``). A PDF cannot be turned into a JPG
without a renderer Beian does not ship: it is refused with a message asking for a scan.

Purposes and the format are looked up in the code tables *by name* (``mapping.code_named``),
so a province's JCDM ids apply when they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.authority.payloads import Attachment, AttachmentOwner
from beian.core import images
from beian.core.errors import Refusal
from beian.filings.models import PhotoVerification
from beian.filings.photos import read_photo
from beian.materials.models import Material, MaterialKind

KB = 1024
FORM_LIMIT = 150 * KB  # 真实性核验单, base64 text
OTHER_LIMIT = 100 * KB  # every other attachment and each Spwj, base64 text

# Fjyt by the code table's names (attachment_purposes).
FORM = "网站备案信息真实性核验单"
SUBJECT_CERTIFICATE = "主办单位有效证件"
SUBJECT_PRINCIPAL_CERTIFICATE = "主体负责人有效证件"
WEBSITE_PRINCIPAL_CERTIFICATE = "网站负责人有效证件"
PHOTO = "当面核验拍摄照片"
JPG = "JPG"  # Fjwjgs
CERTIFICATE_KINDS = (MaterialKind.CERT_FRONT, MaterialKind.CERT_BACK)


def raw_limit(encoded_limit: int) -> int:
    """The most bytes whose base64 text is at most ``encoded_limit`` characters."""
    return encoded_limit // 4 * 3


def _names(label: str) -> dict:
    zh, _, en = str(label).partition(" / ")
    return {"what_zh": zh, "what_en": en or zh}


def as_jpeg(data: bytes, encoded_limit: int, *, what: str) -> bytes:
    """``data`` as a JPEG whose base64 text is at most ``encoded_limit``; ``what`` is the
    bilingual label ("中文 / English") a refusal names it by."""
    try:
        return images.jpeg_within(data, raw_limit(encoded_limit))
    except images.ImageRejected:
        raise Refusal("authority_attachment_unusable", params=_names(what)) from None


def _material_jpeg(material: Material, encoded_limit: int) -> bytes:
    label = MaterialKind(material.kind).label
    if not material.is_image:
        raise Refusal("authority_attachment_not_image", params=_names(label))
    return as_jpeg(material.read_bytes(), encoded_limit, what=label)


@dataclass
class Owners:
    """How this upload names the subject and each website (``Fjssdx/Ssdxbs``)."""

    subject_id: int | None = None  # XZBA: IspZtid; else the administration's Ztid
    subject_number: str | None = None
    website_ids: dict[int, int] | None = None  # website pk → IspWzid (XZBA, XZWZ) or Wzid
    website_numbers: dict[int, str] | None = None  # website pk → its ICP number

    def subject(self) -> dict:
        return _owner(AttachmentOwner.SUBJECT, self.subject_id, self.subject_number)

    def website(self, pk: int) -> dict:
        return _owner(
            AttachmentOwner.WEBSITE,
            (self.website_ids or {}).get(pk),
            (self.website_numbers or {}).get(pk),
        )


def _owner(kind, owner_id, number) -> dict:
    if owner_id is None and not number:
        raise Refusal("authority_id_missing", params={"what": "attachment_owner"})
    return {"owner": kind, "owner_id": owner_id, "owner_number": None if owner_id else number}


def materials_of(app) -> list[Material]:
    return list(Material.objects.filter(application=app, active=True).order_by("kind", "pk"))


def attachments(app, owners: Owners, code_named, *, websites) -> list[Attachment]:
    """Every verification material of ``app`` as ``Fj`` entries: the subject's certificate,
    its person in charge's, each website's person in charge's, the signed verification form
    and the verification photo (these two for each website of the application)."""
    fmt = code_named("attachment_formats", JPG)
    purpose = {
        name: code_named("attachment_purposes", name)
        for name in (
            FORM,
            SUBJECT_CERTIFICATE,
            SUBJECT_PRINCIPAL_CERTIFICATE,
            WEBSITE_PRINCIPAL_CERTIFICATE,
            PHOTO,
        )
    }
    subject = app.subject
    found = materials_of(app)
    certificates: dict[str, list[Material]] = {}  # certificate hash → front (and back)
    for m in found:
        if m.kind in CERTIFICATE_KINDS:
            owner_hash = m.principal.certificate_hash if m.principal else subject.certificate_hash
            certificates.setdefault(owner_hash, []).append(m)
    out: list[Attachment] = []

    def add(data: bytes, name: str, owner: dict):
        out.append(Attachment(file_format=fmt, purpose=purpose[name], content=data, **owner))

    def add_certificates(owner_hash: str, name: str, owner: dict):
        for m in certificates.get(owner_hash, []):
            add(_material_jpeg(m, OTHER_LIMIT), name, owner)

    if certificates.get(subject.certificate_hash):
        add_certificates(subject.certificate_hash, SUBJECT_CERTIFICATE, owners.subject())
    if subject.principal and subject.principal.certificate_hash in certificates:
        add_certificates(
            subject.principal.certificate_hash, SUBJECT_PRINCIPAL_CERTIFICATE, owners.subject()
        )
    forms = [m for m in found if m.kind == MaterialKind.VERIFICATION_FORM_SIGNED]
    photo = PhotoVerification.objects.filter(application=app).first()
    photo_bytes = None
    if photo is not None and photo.photo:
        photo_bytes = as_jpeg(
            read_photo(photo), OTHER_LIMIT, what="当面核验拍摄照片 / Verification photo"
        )
    for website in websites or []:
        owner = owners.website(website.pk)
        person = website.principal or subject.principal
        if person is not None:
            add_certificates(person.certificate_hash, WEBSITE_PRINCIPAL_CERTIFICATE, owner)
        for m in forms:
            add(_material_jpeg(m, FORM_LIMIT), FORM, owner)
        if photo_bytes:
            add(photo_bytes, PHOTO, owner)
    return out


def preapproval_scans(app, website) -> list[bytes]:
    """The pre-approval scans of ``website`` in ``app``, as JPEGs within 100 KB (Spwj)."""
    scans = Material.objects.filter(
        application=app, active=True, kind=MaterialKind.PREAPPROVAL, website=website
    ).order_by("pk")
    return [_material_jpeg(m, OTHER_LIMIT) for m in scans[:10]]
