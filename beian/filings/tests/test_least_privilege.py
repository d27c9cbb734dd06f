"""Staff and hosting owners do not act for an applicant: they start no filing, and the
portal's pages that act for the applicant are the owner's alone (404 for others)."""

from __future__ import annotations

import pytest
from django.test import Client

from beian.accounts.models import ApiToken, Role
from testing import fill_seed_filing, make_code, make_user, start_seed_filing

pytestmark = pytest.mark.django_db

JIANGSU = "320000"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(applicant, hosting_owner, clock):
    clock.set(2026, 3, 2, 10)
    return fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OPERATOR, Role.ADMIN, Role.HOSTING_OWNER])
def test_only_a_filing_account_starts_a_filing(role, hosting_owner):
    user = make_user(f"{role}-start", role)
    _, key = ApiToken.issue(user, "t")
    response = Client().post(
        "/api/v1/filings/applications",
        {
            "service_code": make_code(hosting_owner, ip="203.0.113.77"),
            "nature": "individual",
            "certificate_type": "resident_id",
            "certificate_number": "320508199003071239",
            "province": JIANGSU,
            "domains": ["staff-start.cn"],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "start_applicants_only"
    assert response.json()["message"] == "只有备案账号可以发起备案。"
    assert _client(user).get("/filings/start/").status_code == 404


def test_the_pages_that_act_for_the_applicant_are_the_owners(draft, applicant):
    reviewer = make_user("rv-js", Role.REVIEWER, provinces=[JIANGSU])
    website = draft.websites.first()
    n = draft.number
    pages = [
        f"/filings/{n}/subject/",
        f"/filings/{n}/websites/{website.pk}/",
        f"/filings/{n}/remarks/",
        f"/filings/{n}/submit/",
        f"/filings/{n}/resolve/",
        f"/filings/{n}/photo/",
    ]
    staff, owner = _client(reviewer), _client(applicant)
    for url in pages:
        assert staff.get(url).status_code == 404, url
        assert owner.get(url).status_code == 200, url
    assert staff.post(f"/filings/{n}/do/withdraw/").status_code == 404
    # Reading the application stays open to staff in scope (as the back office shows it).
    assert staff.get(f"/filings/{n}/").status_code == 200
