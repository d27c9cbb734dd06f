"""Materials API under /api/v1/materials: list, upload (multipart), download, forms.

Every endpoint reads the order through get_application: an order the caller may
not see is a 404 JSON refusal, the same as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from beian.core.api_errors import answers
from beian.materials import pdf, selectors, services
from beian.materials.models import Material
from beian.materials.requirements import required_materials
from beian.materials.views import file_response, pdf_response

router = Router(tags=["materials"])


class MaterialOut(Schema):
    id: int
    kind: str
    kind_label: str
    principal_id: int | None
    website_id: int | None
    domain: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    uploaded_at: datetime
    active: bool
    replaced_by_id: int | None
    download_url: str


class RequirementOut(Schema):
    kind: str
    label: str
    principal_id: int | None
    website_id: int | None
    domain: str
    material_id: int | None
    can_upload: bool


class MaterialsOut(Schema):
    number: str
    state: str
    required: list[RequirementOut]
    missing: list[RequirementOut]
    materials: list[MaterialOut]
    forms: dict[str, str]


def _material_out(material: Material, number: str) -> dict:
    return {
        "id": material.pk,
        "kind": material.kind,
        "kind_label": material.get_kind_display(),
        "principal_id": material.principal_id,
        "website_id": material.website_id,
        "domain": material.domain,
        "content_type": material.content_type,
        "size": material.size,
        "sha256": material.sha256,
        "width": material.width,
        "height": material.height,
        "uploaded_at": material.uploaded_at,
        "active": material.active,
        "replaced_by_id": material.replaced_by_id,
        "download_url": f"/api/v1/materials/{number}/files/{material.pk}",
    }


@router.get("/{number}", response=answers({200: MaterialsOut}, 404))
def list_materials(request: HttpRequest, number: str, include_replaced: bool = False):
    app = selectors.visible_application(request.user, number)
    materials = list(selectors.materials_of(app, include_replaced=include_replaced))
    active = [m for m in materials if m.active]
    is_owner = app.account_id == request.user.pk
    required = []
    for requirement in required_materials(app):
        current = next((m for m in active if requirement.matches(m)), None)
        required.append(
            {
                "kind": requirement.kind,
                "label": requirement.label,
                "principal_id": requirement.principal_id,
                "website_id": requirement.website_id,
                "domain": requirement.domain,
                "material_id": current.pk if current else None,
                "can_upload": is_owner and services.can_upload(app, requirement.kind),
            }
        )
    return {
        "number": app.number,
        "state": app.state,
        "required": required,
        "missing": [r for r in required if r["material_id"] is None],
        "materials": [_material_out(m, app.number) for m in materials],
        "forms": {form: f"/api/v1/materials/{app.number}/forms/{form}" for form in pdf.FORMS},
    }


@router.post("/{number}", response=answers({201: MaterialOut}, 400, 403, 404, 409))
def upload(
    request: HttpRequest,
    number: str,
    kind: Form[str],
    file: File[UploadedFile] = None,
    principal_id: Form[int | None] = None,
    website_id: Form[int | None] = None,
    domain: Form[str] = "",
    replaces: Form[int | None] = None,
):
    """Upload (or replace) one material: multipart with `kind` and `file`, plus
    `principal_id` / `website_id` / `domain` naming the slot (see `required` in the
    list), or `replaces` for an "other" material. Kinds: cert_front, cert_back,
    residence_permit, authorisation_letter, domain_certificate, preapproval,
    party_building_letter, verification_form_signed, security_agreement_signed, other."""
    app = selectors.visible_application(request.user, number)
    material = services.upload_material(
        app,
        actor=request.user,
        kind=kind,
        upload=file,
        principal_id=principal_id,
        website_id=website_id,
        domain=domain,
        replaces=replaces,
    )
    return Status(201, _material_out(material, app.number))


def _file_answer(*content_types: str) -> dict:
    """`openapi_extra=` of a route answering a file (an HttpResponse ninja does not
    describe): its 200 and the content types it may have."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {content_type: binary for content_type in content_types}
    return {"responses": {200: {"description": "The file", "content": content}}}


@router.get(
    "/{number}/files/{material_id}",
    response=answers({}, 403, 404),
    openapi_extra=_file_answer("image/jpeg", "image/png", "application/pdf"),
)
def download(request: HttpRequest, number: str, material_id: int):
    return file_response(selectors.get_material(request.user, number, material_id), download=True)


@router.get(
    "/{number}/forms/{form}",
    response=answers({}, 404),
    openapi_extra=_file_answer("application/pdf"),
)
def form(request: HttpRequest, number: str, form: str):
    """The pre-filled form as PDF: `verification-form` or `security-agreement`."""
    app = selectors.visible_application(request.user, number)
    data, filename = pdf.render_form(app, form)
    return pdf_response(data, filename)
