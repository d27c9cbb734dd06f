"""忘记备案密码 in the portal and the API, without an administration to ask (the
NoLookup adapter): the buttons are where the password is asked, each refusal says
why, and nothing is recorded. With the simulator: beian/authority/tests/
test_filing_password.py and tests/scenarios/test_later_filings_api.py."""

import pytest

from beian.accounts.models import ApiToken
from beian.core.models import AuditEvent
from testing import (
    FILING_PASSWORD,
    drive_to,
    fill_seed_filing,
    make_code,
    make_user,
    start_seed_filing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(applicant, staff, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return drive_to(app, staff).subject


def test_the_buttons_are_where_the_password_is_asked(client, applicant, filed, hosting_owner):
    client.force_login(applicant)
    page = client.get(f"/filings/records/{filed.pk}/").content.decode()
    assert f'action="/filings/records/{filed.pk}/forgot-password/"' in page
    assert "忘记备案密码" in page
    add = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.50"), domain="zhangwei-photos.cn"
    )
    page = client.get(f"/filings/{add.number}/remarks/").content.decode()
    assert f'action="/filings/{add.number}/forgot-password/"' in page


def test_no_administration_to_ask_is_said_and_not_recorded(client, applicant, filed):
    client.force_login(applicant)
    response = client.post(f"/filings/records/{filed.pk}/forgot-password/", follow=True)
    assert "暂时无法向管局申请重置备案密码" in response.content.decode()
    _token, key = ApiToken.issue(applicant, "t")
    answer = client.post(
        f"/api/v1/filings/records/{filed.pk}/filing-password/reset",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 503
    assert answer.json()["code"] == "filing_password_reset_unavailable"
    assert not AuditEvent.objects.filter(verb="filing_password_reset_requested").exists()


def test_another_accounts_subject_is_the_wrong_subject(client, filed):
    other = make_user("lisi", mobile="13962100001")
    _token, key = ApiToken.issue(other, "t")
    answer = client.post(
        f"/api/v1/filings/records/{filed.pk}/filing-password/reset",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "filing_password_reset_wrong_subject"
    client.force_login(other)
    page = client.post(f"/filings/records/{filed.pk}/forgot-password/", follow=True)
    assert "找不到您名下已备案的该主体" in page.content.decode()


def test_later_filings_start_through_the_api(client, applicant, filed):
    _token, key = ApiToken.issue(applicant, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    records = client.get("/api/v1/filings/records", **auth).json()
    assert [r["icp_number"] for r in records] == [filed.icp_number]
    website = records[0]["websites"][0]
    assert website["access_open"] and website["domains"] == ["zhangwei-notes.cn"]
    body = {
        "filing_type": "change_website",
        "website_ids": [website["id"]],
        "changes": {"websites": {str(website["id"]): {"name": "张伟读书笔记"}}},
        "filing_password": FILING_PASSWORD,
    }
    url = f"/api/v1/filings/records/{filed.pk}/applications"
    created = client.post(url, body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert created.json()["filing_type"] == "change_website"
    again = client.post(url, body, content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "application_in_progress"
    foreign = client.post(
        url, {**body, "website_ids": [999999]}, content_type="application/json", **auth
    )
    assert foreign.status_code == 404
