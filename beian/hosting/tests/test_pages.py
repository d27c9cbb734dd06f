"""The hosting owner's pages: servers, their filing service codes (issue, revoke), and
which filing used which code. Each refusal is shown with its message, in the user's
language; another owner's server or code is not found; other roles are told the page
is not theirs."""

from __future__ import annotations

import pytest

from beian.accounts.models import Role
from beian.core.models import AuditEvent
from beian.hosting.models import Billing, CodeStatus, FilingServiceCode
from beian.hosting.services import bind_service_code, issue_service_code
from testing import make_server, make_user, start_seed_filing
from testing.readable import internal_values, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, hosting_owner):
    client.force_login(hosting_owner)
    return client


def test_login_lands_the_hosting_owner_on_the_servers_page(client, hosting_owner):
    hosting_owner.set_password("Cloud-owner-2026")
    hosting_owner.save()
    response = client.post(
        "/accounts/login/", {"identifier": "cloud-owner", "password": "Cloud-owner-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/hosting/"


def test_servers_page_lists_only_own_servers_and_says_why_one_cannot_be_filed(
    owner_client, hosting_owner
):
    good = make_server(hosting_owner, name="博客主机")
    payg = make_server(hosting_owner, ip="203.0.113.2", billing=Billing.PAY_AS_YOU_GO)
    other = make_server(make_user("someone", Role.HOSTING_OWNER), ip="203.0.113.3")
    page = owner_client.get("/hosting/").content.decode()
    assert "博客主机" in page and payg.instance_id in page and other.instance_id not in page
    assert "按量计费的服务器不能用于备案" in page
    assert f'href="/hosting/servers/{good.pk}/"' in page
    assert internal_values(page_text(page)) == []


def test_issue_a_code_from_the_page(owner_client, hosting_owner):
    server = make_server(hosting_owner)
    response = owner_client.post(f"/hosting/servers/{server.pk}/codes/", follow=True)
    code = FilingServiceCode.objects.get(server=server)
    page = response.content.decode()
    assert code.status == CodeStatus.AVAILABLE and code.code in page
    assert f"已申请备案服务号 {code.code}" in page
    assert AuditEvent.objects.filter(object_type="service_code", verb="issued").count() == 1


def test_issue_refused_for_a_server_that_does_not_qualify(owner_client, hosting_owner):
    payg = make_server(hosting_owner, billing=Billing.PAY_AS_YOU_GO)
    response = owner_client.post(f"/hosting/servers/{payg.pk}/codes/")
    assert response.status_code == 400
    assert "按量计费的服务器不能用于备案" in response.content.decode()
    assert not FilingServiceCode.objects.filter(server=payg).exists()


def test_issue_refused_beyond_the_limit_in_english(owner_client, hosting_owner, settings):
    server = make_server(hosting_owner)
    for _ in range(settings.BEIAN["MAX_CODES_PER_SERVER"]):
        issue_service_code(server=server, actor=hosting_owner)
    response = owner_client.post(f"/hosting/servers/{server.pk}/codes/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "At most 5 filing service codes can be issued per server." in response.content.decode()


def test_revoke_an_available_code_frees_its_place(owner_client, hosting_owner, settings):
    server = make_server(hosting_owner)
    codes = [
        issue_service_code(server=server, actor=hosting_owner)
        for _ in range(settings.BEIAN["MAX_CODES_PER_SERVER"])
    ]
    response = owner_client.post(f"/hosting/codes/{codes[0].pk}/revoke/", follow=True)
    assert f"备案服务号 {codes[0].code} 已作废" in response.content.decode()
    codes[0].refresh_from_db()
    assert codes[0].status == CodeStatus.INVALID
    assert owner_client.post(f"/hosting/servers/{server.pk}/codes/").status_code == 302
    assert AuditEvent.objects.filter(object_type="service_code", verb="revoked").count() == 1


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (CodeStatus.BOUND, "该备案服务号已被备案账号绑定，备案进行中，不能作废。"),
        (CodeStatus.USED, "该备案服务号已用于成功的备案，不能作废。"),
        (CodeStatus.INVALID, "该备案服务号已作废。"),
    ],
)
def test_revoke_refused_for_a_code_not_available(
    owner_client, hosting_owner, applicant, state, message
):
    code = issue_service_code(server=make_server(hosting_owner), actor=hosting_owner)
    FilingServiceCode.objects.filter(pk=code.pk).update(status=state)
    response = owner_client.post(f"/hosting/codes/{code.pk}/revoke/")
    assert response.status_code == 409 and message in response.content.decode()
    code.refresh_from_db()
    assert code.status == state


def test_the_server_page_shows_which_filing_bound_and_used_each_code(
    owner_client, hosting_owner, applicant
):
    server = make_server(hosting_owner)
    code = issue_service_code(server=server, actor=hosting_owner)
    spare = issue_service_code(server=server, actor=hosting_owner)
    app = start_seed_filing(applicant, code.code, domain="zhangwei-notes.cn")
    page = owner_client.get(f"/hosting/servers/{server.pk}/").content.decode()
    row = page.split(f'data-code="{code.code}"', 1)[1].split("</tr>", 1)[0]
    assert applicant.username in row and "zhangwei-notes.cn" in row
    assert app.number not in row  # another account's order number is not the owner's to see
    assert "已绑定" in row and "作废" not in row  # a bound code has no revoke button
    spare_row = page.split(f'data-code="{spare.code}"', 1)[1].split("</tr>", 1)[0]
    assert "未绑定" in spare_row and f"/hosting/codes/{spare.pk}/revoke/" in spare_row
    assert "张*" in row and "张伟" not in row  # the filer's name is masked
    assert internal_values(page_text(page)) == []


def test_another_owners_server_and_code_are_not_found(owner_client):
    other = make_user("someone", Role.HOSTING_OWNER)
    server = make_server(other)
    code = issue_service_code(server=server, actor=other)
    assert owner_client.get(f"/hosting/servers/{server.pk}/").status_code == 404
    assert owner_client.post(f"/hosting/servers/{server.pk}/codes/").status_code == 404
    assert owner_client.post(f"/hosting/codes/{code.pk}/revoke/").status_code == 404
    code.refresh_from_db()
    assert code.status == CodeStatus.AVAILABLE and server.service_codes.count() == 1


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.ADMIN, Role.AUTHORITY])
def test_other_roles_are_told_the_pages_are_for_hosting_owners(client, role):
    client.force_login(make_user(f"u-{role}", role))
    response = client.get("/hosting/")
    assert response.status_code == 403
    assert "此页面仅供云服务器用户使用。" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/hosting/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_binding_by_an_applicant_shows_on_the_owners_page(owner_client, hosting_owner, applicant):
    code = issue_service_code(server=make_server(hosting_owner), actor=hosting_owner)
    bind_service_code(code=code.code, account=applicant)
    page = owner_client.get(f"/hosting/servers/{code.server_id}/").content.decode()
    assert applicant.username in page.split(f'data-code="{code.code}"', 1)[1].split("</tr>")[0]


def test_the_region_reads_as_a_place_not_the_cloud_region_id(owner_client, hosting_owner):
    mainland = make_server(hosting_owner, name="上海主机")
    abroad = make_server(
        hosting_owner, ip="203.0.113.9", is_mainland=False, region="ap-tokyo", province=""
    )
    listing = owner_client.get("/hosting/").content.decode()
    detail = owner_client.get(f"/hosting/servers/{mainland.pk}/").content.decode()
    assert "上海市" in listing and "上海市" in detail
    assert "中国内地以外" in listing
    for page in (listing, detail):
        assert mainland.region not in page and abroad.region not in page
