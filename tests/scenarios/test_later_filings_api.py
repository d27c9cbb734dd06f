"""Every later filing of the demo subject through /api/v1/ alone (issue 13), from a
`make run`-like state: the demo data loaded (beian.demo), the simulated provincial
administration on its own loopback port with the MIIT adapter, the look-up and the
relays on, as `make run` sets them.

The seed's first filing reaches its ICP number with the filing password the
administration sends to the person in charge's phone; the applicant forgets it and
gets a new one (the old one is refused); then, each with the password step: add
website, change subject, change website, cancel access, add access (the same site back),
cancel website. What is not Beian's API is done as the world does it: the worker's
job syncs the administration's downloads, the person in charge answers MIIT's SMS page
with the code on the phone, the administration approves in its console."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from beian.accounts.models import User
from beian.authority import services as authority_services
from beian.authority.client import AuthorityClient
from beian.authority.models import SimRequest
from beian.filings.models import Application, Subject
from beian.notify.models import Message, RecordedSms
from testing import SEED_ID, SEED_MOBILE
from testing.servers import (
    Browser,
    deliver_all,
    filing_password_on_the_phone,
    serve,
    serve_simulator,
)
from tests.test_api_journey import Caller, jpeg, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


@pytest.fixture
def world(transactional_db, settings):
    """`make run` in one process: demo data, then Beian and the simulator on loopback."""
    with serve() as beian_url, serve_simulator() as sim_url:
        settings.BEIAN = {
            **settings.BEIAN,
            "AUTHORITY_URL": sim_url,
            "AUTHORITY_SIM_SMS_RELAY_URL": f"{beian_url}/api/v1/authority/sms-relay",
            "AUTHORITY_SIM_PASSWORD_RELAY_URL": (
                f"{beian_url}/api/v1/authority/filing-password-relay"
            ),
            "AUTHORITY_SMS_URL": f"{sim_url}/sms/",
            "AUTHORITY_SIM_PROVINCE": "320000",
            "AUTHORITY_ADAPTER": "miit",
            "AUTHORITY_TIMEOUT_SECONDS": 5,
        }
        # As `make run`: the demo loaded with the look-up off (the simulator shares the
        # test database here, so the demo's approved filing is filed in it directly).
        call_command("demo", "--once", "--simulator-here")
        settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True}
        yield sim_url


class Administration:
    """What happens at the administration and on the phones, between Beian's API calls."""

    def __init__(self, sim_url: str):
        self.url = sim_url
        self.client = AuthorityClient.from_settings(timeout=5, backoff=0.05)
        self.console = Browser(sim_url)
        self.console.post("/console/login", "/console/login", {"password": "beian-demo-password"})

    def sync(self) -> None:
        """The worker's job `authority.sync_downloads`: nothing may be set aside."""
        result = authority_services.sync_downloads(self.client)
        assert not result.problems, result.problems

    def answer_sms(self, phone: str = SEED_MOBILE, tail: str = SEED_ID[-6:]) -> None:
        deliver_all()
        texts = [r.text for r in RecordedSms.objects.order_by("-recorded_at") if r.phone == phone]
        code = next(re.search(r"核验码为\s*(\d{6})", t) for t in texts if "核验码" in t).group(1)
        page = Browser(self.url).post(
            "/sms/",
            "/sms/",
            {"phone": phone, "certificate_tail": tail, "code": code, "action": "verify"},
        )
        assert "核验成功" in page, re.search(r'id="error">([^<]*)', page)

    def approve(self) -> None:
        request = SimRequest.objects.filter(state="review").latest("pk")
        page = self.console.post(
            f"/console/request/{request.pk}", "/console/", {"action": "approve"}
        )
        assert "approve" in page

    def decide(self, number: str, *, sms: bool) -> None:
        self.sync()
        state = Application.objects.get(number=number).state
        assert state == ("sms_verification" if sms else "authority_review"), state
        if sms:
            self.answer_sms()
            self.sync()
            assert Application.objects.get(number=number).state == "authority_review"
        self.approve()
        self.sync()
        assert Application.objects.get(number=number).state == "approved"


class Provider:
    """The provider's staff, each with an API token, as the demo creates them."""

    def __init__(self, client):
        by_name = {u.username: u for u in User.objects.all()}
        self.reviewer = Caller(client, by_name["reviewer"])
        self.photo = Caller(client, by_name["photo"])
        self.mailroom = Caller(client, by_name["mailroom"])
        self.operator = Caller(client, by_name["operator"])
        self.owner = Caller(client, by_name["cloud"])

    def code(self) -> str:
        servers = self.owner.ok(self.owner.get("/hosting/servers"))
        seed = next(s for s in servers if s["public_ip"] == "203.0.113.10")
        return self.owner.ok(self.owner.post(f"/hosting/servers/{seed['id']}/codes"), 201)["code"]

    def review_and_submit(self, me: Caller, number: str) -> None:
        app = self.reviewer.ok(self.reviewer.post(f"/review/applications/{number}/approve"))
        if app["state"] == "verifying":
            me.ok(
                me.post(
                    f"/filings/applications/{number}/events/choose_verification_point",
                    {"data": {"verification_point": "苏州姑苏核验点"}},
                )
            )
            self.photo.ok(
                self.photo.post(
                    f"/review/applications/{number}/photo", files={"photo": upload(jpeg())}
                )
            )
            self.photo.ok(self.photo.post(f"/review/applications/{number}/photo/verify"))
            app = self.mailroom.ok(
                self.mailroom.post(
                    f"/review/applications/{number}/originals",
                    {"documents": {"verification_form": 3, "security_agreement": 3}},
                )
            )
        assert app["state"] == "ready", app
        sent = self.operator.ok(self.operator.post("/review/submit", {"numbers": [number]}))
        assert sent[0]["ok"], sent


def upload_missing(me: Caller, number: str) -> None:
    for slot in me.ok(me.get(f"/materials/{number}"))["missing"]:
        fields = {"kind": slot["kind"], "domain": slot["domain"]}
        for key in ("principal_id", "website_id"):
            if slot[key] is not None:
                fields[key] = str(slot[key])
        me.ok(me.post(f"/materials/{number}", fields, files={"file": upload(jpeg())}), 201)


def test_every_later_filing_of_the_demo_subject_through_the_api(world, client):
    authority = Administration(world)
    provider = Provider(client)
    me = Caller(client, User.objects.get(username="zhangwei"))

    # The seed's first filing, waiting for initial review in the demo, to its number.
    (seed,) = me.ok(me.get("/filings/applications?state=submitted"))
    provider.review_and_submit(me, seed["number"])
    authority.decide(seed["number"], sms=True)
    (record,) = me.ok(me.get("/filings/records"))
    subject_number = record["icp_number"]
    assert re.fullmatch(r"苏ICP备\d{10}号", subject_number)
    first_site = record["websites"][0]

    # The password came to the phone (and e-mail); nowhere in Beian readable.
    password = filing_password_on_the_phone(SEED_MOBILE)
    assert not Message.objects.filter(body__contains=password).exists()
    inbox = me.ok(me.get("/notify/inbox"))
    assert password not in str(inbox) and "备案密码已发送" in str(inbox)

    # Forgotten: a new one is sent; the old one is refused when a filing starts.
    reset = me.ok(me.post(f"/filings/records/{record['id']}/filing-password/reset"))
    assert reset["number"] == subject_number
    new_password = filing_password_on_the_phone(SEED_MOBILE)
    assert new_password != password
    later = f"/filings/records/{record['id']}/applications"
    change = {
        "filing_type": "change_subject",
        "changes": {"subject": {"mailing_address": "江苏省苏州市工业园区星湖街328号"}},
    }
    refused = me.post(later, {**change, "filing_password": password})
    assert refused.status_code == 400 and refused.json()["code"] == "filing_password_wrong"
    password = new_password

    # Add website: a new code, the same subject; the password on the order.
    started = me.ok(
        me.post(
            "/filings/applications",
            {
                "service_code": provider.code(),
                "nature": "individual",
                "certificate_type": "resident_id",
                "certificate_number": SEED_ID,
                "province": "320000",
                "domains": ["zhangwei-photos.cn"],
                "subject_name": "张伟",
            },
        ),
        201,
    )["application"]
    assert started["filing_type"] == "add_website_here"
    number = started["number"]
    site = started["websites"][0]["id"]
    me.ok(
        me.put(
            f"/filings/applications/{number}/websites/{site}",
            {
                "values": {
                    "name": "张伟的摄影作品",
                    "home_url": "http://www.zhangwei-photos.cn",
                    "service_content": "blog",
                    "remarks": "个人摄影作品展示，记录旅行与日常，不涉及任何经营性内容。",
                    "principal": "same_as_subject",
                }
            },
        )
    )
    wrong = me.put(f"/filings/applications/{number}/filing-password", {"filing_password": "x"})
    assert wrong.json()["code"] == "filing_password_wrong"
    me.ok(me.put(f"/filings/applications/{number}/filing-password", {"filing_password": password}))
    upload_missing(me, number)
    assert me.ok(me.post(f"/filings/applications/{number}/events/submit"))["state"] == "submitted"
    provider.review_and_submit(me, number)
    authority.decide(number, sms=True)
    (record,) = me.ok(me.get("/filings/records"))
    second_site = next(w for w in record["websites"] if w["id"] == site)
    assert second_site["icp_number"] == f"{subject_number}-2"

    def later_filing(body: dict, *, sms: bool) -> dict:
        app = me.ok(me.post(later, {**body, "filing_password": password}), 201)
        me.ok(me.post(f"/filings/applications/{app['number']}/events/submit"))
        provider.review_and_submit(me, app["number"])
        authority.decide(app["number"], sms=sms)
        return app

    later_filing(change, sms=True)
    assert Subject.objects.get(pk=record["id"]).mailing_address.endswith("星湖街328号")
    later_filing(
        {
            "filing_type": "change_website",
            "website_ids": [site],
            "changes": {"websites": {str(site): {"name": "张伟的摄影集"}}},
        },
        sms=True,
    )
    later_filing(
        {
            "filing_type": "cancel_access",
            "website_ids": [first_site["id"]],
            "cancel_reason": "changed_provider",
        },
        sms=False,
    )
    (record,) = me.ok(me.get("/filings/records"))
    shell = next(w for w in record["websites"] if w["id"] == first_site["id"])
    assert not shell["access_open"] and shell["icp_number"] == first_site["icp_number"]

    # Add access: the same site hosted here again, with a new code.
    back = me.ok(
        me.post(
            "/filings/applications",
            {
                "service_code": provider.code(),
                "nature": "individual",
                "certificate_type": "resident_id",
                "certificate_number": SEED_ID,
                "province": "320000",
                "domains": first_site["domains"],
                "subject_name": "张伟",
            },
        ),
        201,
    )["application"]
    assert back["filing_type"] == "add_access"
    me.ok(
        me.put(
            f"/filings/applications/{back['number']}/filing-password",
            {"filing_password": password},
        )
    )
    upload_missing(me, back["number"])
    me.ok(me.post(f"/filings/applications/{back['number']}/events/submit"))
    provider.review_and_submit(me, back["number"])
    authority.decide(back["number"], sms=True)
    (record,) = me.ok(me.get("/filings/records"))
    assert next(w for w in record["websites"] if w["id"] == first_site["id"])["access_open"]

    later_filing(
        {"filing_type": "cancel_website", "website_ids": [site], "cancel_reason": "website_closed"},
        sms=True,
    )
    (record,) = me.ok(me.get("/filings/records"))
    assert [w["id"] for w in record["websites"]] == [first_site["id"]]
