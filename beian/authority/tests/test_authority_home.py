"""The administration's demo user lands on a page of its own: the filings at the
administration in its scope, by their labels, and the link to the administration's console."""

import pytest
from django.test import Client

from beian.accounts.models import Role
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, make_user, start_seed_filing

pytestmark = pytest.mark.django_db


def test_the_administration_lands_on_its_page(clock, applicant, staff, hosting_owner, settings):
    clock.set(2025, 10, 14, 9)
    at_authority = start_seed_filing(applicant, make_code(hosting_owner, ip="203.0.113.10"))
    fill_seed_filing(at_authority, applicant)
    at_authority = drive_to(at_authority, staff, target=S.AUTHORITY_REVIEW)
    draft = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.11"), domain="zhangwei-photos.cn"
    )
    make_user("gj", Role.AUTHORITY, password="pw-authority-1")
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_CONSOLE_URL": "http://127.0.0.1:9125/console/"}

    client = Client()
    response = client.post("/accounts/login/", {"identifier": "gj", "password": "pw-authority-1"})
    assert response.status_code == 302 and response["Location"] == "/authority/"
    page = client.get("/authority/").content.decode()
    assert 'href="http://127.0.0.1:9125/console/"' in page
    assert f'data-number="{at_authority.number}"' in page and draft.number not in page
    assert "江苏省" in page and "管局审核中" in page and "320000" not in page
    english = client.get("/authority/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Jiangsu" in english and "Open the administration's console" in english

    for user in (applicant, staff[Role.OPERATOR]):
        other = Client()
        other.force_login(user)
        assert other.get("/authority/").status_code == 404
