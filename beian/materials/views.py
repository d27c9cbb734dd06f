"""Pages: the materials of an order, uploads, the protected file view and the forms.

Thin: parse, call a selector or a service, render. Every read goes through
get_application, so an order the user may not see is a 404, whatever it holds.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from beian.core.downloads import private_file_response, refused_file_response
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import is_english
from beian.filings import selectors as filing_selectors
from beian.filings.states import profile
from beian.materials import pdf, selectors, services
from beian.materials.models import MaterialKind
from beian.materials.requirements import IMAGE_ONLY_KINDS, Requirement, required_materials
from beian.notify.catalog import originals_to
from beian.rules.provinces import rules_for

ACCEPT = "image/jpeg,image/png,application/pdf"
ACCEPT_IMAGES = "image/jpeg,image/png"


def _visible(user, number: str):
    try:
        return selectors.visible_application(user, number)
    except NotFound as exc:
        raise Http404() from exc


def file_response(material, *, download: bool = False) -> HttpResponse:
    """The decrypted content, with the headers of every private file (beian.core.downloads)."""
    name = f"{material.application.number}-{material.kind}-{material.pk}.{material.extension}"
    return private_file_response(
        material.read_bytes(), material.content_type, name, download=download
    )


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    return private_file_response(data, "application/pdf", filename)


def _int_or_none(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Refusal("material_reference_invalid", field=field) from exc


def _slot_key(kind, principal_id, website_id, domain) -> str:
    return Requirement(kind, "", "", principal_id, website_id, domain or "").key


def _rows(app, materials, is_owner: bool) -> tuple[list[dict], list]:
    """One row per required material with its current upload; the rest are extras."""
    rows, used = [], set()
    for requirement in required_materials(app):
        current = next((m for m in materials if requirement.matches(m)), None)
        if current is not None:
            used.add(current.pk)
        rows.append(
            {
                "requirement": requirement,
                "material": current,
                "can_upload": is_owner and services.can_upload(app, requirement.kind),
                "images_only": requirement.kind in IMAGE_ONLY_KINDS,
            }
        )
    extras = [m for m in materials if m.pk not in used]
    return rows, extras


@login_required
@require_http_methods(["GET", "POST"])
def materials_page(request: HttpRequest, number: str) -> HttpResponse:
    app = _visible(request.user, number)
    is_owner = app.account_id == request.user.pk
    refusal, refused_key = None, None
    if request.method == "POST":
        if not is_owner:
            raise Http404()
        kind = request.POST.get("kind", "")
        domain = request.POST.get("domain", "")
        try:
            principal_id = _int_or_none(request.POST.get("principal"), "principal")
            website_id = _int_or_none(request.POST.get("website"), "website")
            refused_key = _slot_key(kind, principal_id, website_id, domain)
            material = services.upload_material(
                app,
                actor=request.user,
                kind=kind,
                upload=request.FILES.get("file"),
                principal_id=principal_id,
                website_id=website_id,
                domain=domain,
                replaces=_int_or_none(request.POST.get("replaces"), "replaces"),
            )
        except Refusal as exc:
            refusal = exc
        else:
            messages.success(
                request, "Uploaded." if is_english() else f"已上传：{material.get_kind_display()}"
            )
            key = _slot_key(kind, principal_id, website_id, domain)
            return redirect(reverse("materials:page", args=[app.number]) + f"#slot-{key}")
    materials = list(selectors.materials_of(app))
    rows, extras = _rows(app, materials, is_owner)
    other_key = _slot_key(MaterialKind.OTHER, None, None, "")
    can_upload_other = is_owner and services.can_upload(app, MaterialKind.OTHER)
    # A refusal is shown next to its form; if that form is not on the page, at the top.
    shown_in_form = (can_upload_other and refused_key == other_key) or any(
        row["can_upload"] and row["requirement"].key == refused_key for row in rows
    )
    context = {
        "app": app,
        "can_read_files": filing_selectors.may_read_scans(request.user, app),
        "rows": rows,
        "extras": extras,
        "is_owner": is_owner,
        "can_upload_other": can_upload_other,
        "refusal": refusal,
        "refused_key": refused_key,
        "other_key": other_key,
        "refusal_at_top": refusal is not None and not shown_in_form,
        "accept": ACCEPT,
        "accept_images": ACCEPT_IMAGES,
        "other_kind": MaterialKind.OTHER,
        "missing_count": sum(1 for r in rows if r["material"] is None),
        "originals_to": originals_to() if profile(app.filing_type).verification else None,
        "copies": rules_for(app.province),
    }
    return render(
        request, "materials/materials.html", context, status=refusal.status if refusal else 200
    )


@login_required
def material_file(request: HttpRequest, number: str, material_id: int) -> HttpResponse:
    try:
        material = selectors.get_material(request.user, number, material_id)
    except NotFound as exc:
        raise Http404() from exc
    except Refusal as refusal:
        return refused_file_response(refusal)
    return file_response(material, download=request.GET.get("download") == "1")


@login_required
def form_pdf(request: HttpRequest, number: str, form: str) -> HttpResponse:
    app = _visible(request.user, number)
    try:
        data, filename = pdf.render_form(app, form)
    except Refusal as exc:
        raise Http404() from exc
    return pdf_response(data, filename)
