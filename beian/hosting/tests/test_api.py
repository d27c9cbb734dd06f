import pytest

from beian.accounts.models import ApiToken
from beian.hosting.models import Billing
from testing import make_server, make_user

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(user, "t")[1]}


def test_owner_issues_codes_only_for_own_qualifying_servers(client, hosting_owner):
    good = make_server(hosting_owner)
    payg = make_server(hosting_owner, ip="203.0.113.2", billing=Billing.PAY_AS_YOU_GO)
    other = make_server(make_user("someone", "hosting_owner"), ip="203.0.113.3")
    headers = auth(hosting_owner)
    listed = client.get("/api/v1/hosting/servers", **headers).json()
    assert [(s["instance_id"], s["qualifies"]) for s in listed] == [
        (good.instance_id, True),
        (payg.instance_id, False),
    ]
    assert listed[1]["refusal"]["code"] == "server_pay_as_you_go"
    issued = client.post(f"/api/v1/hosting/servers/{good.pk}/codes", **headers)
    assert issued.status_code == 201
    refused = client.post(f"/api/v1/hosting/servers/{payg.pk}/codes", **headers)
    assert refused.status_code == 400 and refused.json()["code"] == "server_pay_as_you_go"
    assert client.post(f"/api/v1/hosting/servers/{other.pk}/codes", **headers).status_code == 404


def test_applicant_previews_a_code(client, hosting_owner, applicant):
    server = make_server(hosting_owner)
    code = client.post(f"/api/v1/hosting/servers/{server.pk}/codes", **auth(hosting_owner)).json()[
        "code"
    ]
    preview = client.get(f"/api/v1/hosting/codes/{code}", **auth(applicant)).json()
    assert preview["usable"] and preview["server"]["public_ip"] == server.public_ip
    assert (
        client.get("/api/v1/hosting/codes/NOPE", **auth(applicant)).json()["code"] == "code_unknown"
    )


def test_the_api_shows_what_the_server_page_shows_and_revokes_as_it_does(
    client, hosting_owner, applicant
):
    from beian.hosting.models import CodeStatus
    from testing import start_seed_filing

    server = make_server(hosting_owner)
    headers = auth(hosting_owner)
    issued = client.post(f"/api/v1/hosting/servers/{server.pk}/codes", **headers).json()
    spare = client.post(f"/api/v1/hosting/servers/{server.pk}/codes", **headers).json()
    app = start_seed_filing(applicant, issued["code"], domain="zhangwei-notes.cn")
    (listed,) = client.get("/api/v1/hosting/servers", **headers).json()
    codes = {c["code"]: c for c in listed["codes"]}
    bound = codes[issued["code"]]
    assert bound["status"] == "bound" and bound["status_label"] == "已绑定"
    assert bound["bound_by"] == applicant.username and bound["bound_at"].endswith("+08:00")
    [used] = bound["used_by"]
    assert "number" not in used and app.number not in str(bound)  # the owner's view
    assert used["domains"] == [d.name for w in app.websites.all() for d in w.domains.all()]
    assert codes[spare["code"]]["used_by"] == []
    refused = client.post(f"/api/v1/hosting/codes/{issued['id']}/revoke", **headers)
    assert refused.status_code == 409 and refused.json()["code"] == "code_revoke_bound"
    revoked = client.post(f"/api/v1/hosting/codes/{spare['id']}/revoke", **headers)
    assert revoked.status_code == 200 and revoked.json()["status"] == CodeStatus.INVALID
    again = client.post(f"/api/v1/hosting/codes/{spare['id']}/revoke", **headers)
    assert again.status_code == 409 and again.json()["code"] == "code_already_revoked"
    other = make_user("someone", "hosting_owner")
    foreign = client.post(f"/api/v1/hosting/codes/{spare['id']}/revoke", **auth(other))
    assert foreign.status_code == 404
