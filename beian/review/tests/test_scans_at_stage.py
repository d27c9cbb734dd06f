"""Staff read an application's scans and verification photo only while it is at a
stage their role works (filings.selectors.scans_readable_by); the applicant always."""

from __future__ import annotations

import pytest
from django.test import Client

from beian.accounts.models import ApiToken
from beian.filings import workflow
from beian.filings.states import ApplicationState as S
from testing import drive_to, photo_upload

pytestmark = pytest.mark.django_db

ROLES = ("reviewer", "mailroom", "photo_verifier", "operator", "admin")


def _reads(user, app) -> dict[str, int]:
    material = app.materials.filter(active=True).first()
    client = Client()
    client.force_login(user)
    _, key = ApiToken.issue(user, "t")
    api = client.get(
        f"/api/v1/materials/{app.number}/files/{material.pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    page = client.get(f"/materials/{app.number}/files/{material.pk}/")
    assert api.status_code == page.status_code, (api.status_code, page.status_code)
    if api.status_code == 403:
        assert api.json()["code"] == "scans_not_at_stage"
    return page.status_code


def _readers(app, staff) -> set[str]:
    return {role for role in ROLES if _reads(staff[role], app) == 200}


def test_each_role_reads_scans_at_its_own_stage_only(submitted, staff, applicant):
    assert _readers(submitted, staff) == {"reviewer", "admin"}
    app = workflow.fire(submitted, "approve_initial_review", actor=staff["reviewer"])
    app = workflow.fire(
        app, "choose_verification_point", actor=applicant, data={"verification_point": "苏州"}
    )
    app = workflow.fire(
        app, "take_point_photo", actor=staff["photo_verifier"], data={"photo": photo_upload()}
    )
    # Originals awaited (mailroom) and a photo to verify (photo verifier), side by side.
    assert _readers(app, staff) == {"mailroom", "photo_verifier", "admin"}
    app = drive_to(app, staff, S.READY)
    assert _readers(app, staff) == {"operator", "admin"}
    app = drive_to(app, staff, S.APPROVED)
    assert _readers(app, staff) == set()
    assert _reads(applicant, app) == 200


def test_the_photo_follows_the_same_rule(submitted, staff, applicant):
    app = workflow.fire(submitted, "approve_initial_review", actor=staff["reviewer"])
    app = workflow.fire(
        app, "choose_verification_point", actor=applicant, data={"verification_point": "苏州"}
    )
    app = workflow.fire(
        app, "take_point_photo", actor=staff["photo_verifier"], data={"photo": photo_upload()}
    )
    url = f"/review/{app.number}/photo.img"
    client = Client()
    client.force_login(staff["photo_verifier"])
    assert client.get(url).status_code == 200
    client.force_login(staff["operator"])
    refused = client.get(url)
    assert refused.status_code == 403 and "扫描件" in refused.content.decode()
    page = client.get(f"/review/{app.number}/").content.decode()
    assert 'data-scans="hidden"' in page and "/files/" not in page and "photo.img" not in page
    app = drive_to(app, staff, S.APPROVED)
    client.force_login(staff["photo_verifier"])
    assert client.get(url).status_code == 403
