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
