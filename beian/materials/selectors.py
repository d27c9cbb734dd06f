"""Every read of materials, through the application the caller may see."""

from __future__ import annotations

from beian.core.errors import NotFound
from beian.filings.models import Application
from beian.filings.selectors import application_for_scans, get_application
from beian.materials.models import Material


def visible_application(user, number: str) -> Application:
    """The order, if the user may see it (owner applicant or staff in scope); else 404."""
    return get_application(user, number)


def materials_of(app: Application, *, include_replaced: bool = False):
    qs = app.materials.select_related("principal", "website", "uploaded_by")
    return qs if include_replaced else qs.filter(active=True)


def get_material(user, number: str, material_id: int) -> Material:
    """One material of an order the user may see, while they may read its scans
    (filings.selectors.scans_readable_by: 403 otherwise); the same 404 when absent."""
    app = application_for_scans(user, number)
    material = app.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound()
    return material
