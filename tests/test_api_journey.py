"""The seed's first filing through the API alone (issue 13): every role with its own
API token, from the hosting owner's filing service code to the ICP number.

Applicant: start, subject, website, uploads, submit, verification point; the
reviewer, the photo verifier and the mailroom through /api/v1/review; the
operator submits; the administration answers through the events endpoint. A
second walk takes the backdrop path: the applicant's own photo by API (base64,
refused, then multipart), a rejection whose reasons the API shows as data.
"""

import base64
import io

import pytest
from PIL import Image

from beian.accounts.models import ApiToken
from testing import SEED_EMAIL, SEED_ID, SEED_MOBILE, make_server

pytestmark = pytest.mark.django_db

API = "/api/v1"


class Caller:
    """One user's API client: JSON or multipart, with a bearer token."""

    def __init__(self, client, user):
        _token, key = ApiToken.issue(user, "journey")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def get(self, path):
        return self.client.get(API + path, **self.headers)

    def post(self, path, body=None, *, files=None):
        if files is not None:
            return self.client.post(API + path, {**(body or {}), **files}, **self.headers)
        return self.client.post(
            API + path, body or {}, content_type="application/json", **self.headers
        )

    def put(self, path, body):
        return self.client.put(API + path, body, content_type="application/json", **self.headers)

    def ok(self, response, status=200):
        assert response.status_code == status, response.content.decode()
        return response.json()


def jpeg(width=1024, height=768) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def open_and_submit(client, applicant, hosting_owner) -> tuple[Caller, str]:
    owner = Caller(client, hosting_owner)
    server = make_server(hosting_owner)
    code = owner.ok(owner.post(f"/hosting/servers/{server.pk}/codes"), 201)["code"]
    me = Caller(client, applicant)
    started = me.ok(
        me.post(
            "/filings/applications",
            {
                "service_code": code,
                "nature": "individual",
                "certificate_type": "resident_id",
                "certificate_number": SEED_ID,
                "province": "320000",
                "domains": ["zhangwei-notes.cn"],
                "subject_name": "张伟",
            },
        ),
        201,
    )
    app = started["application"]
    number = app["number"]
    assert app["filing_type"] == "first_filing" and app["state"] == "draft"
    principal = {
        "name": "张伟",
        "certificate_type": "resident_id",
        "certificate_number": SEED_ID,
        "certificate_valid_from": "2015-03-01",
        "certificate_valid_to": "2035-03-01",
        "mobile": SEED_MOBILE,
        "emergency_phone": "15190000000",
        "email": SEED_EMAIL,
    }
    me.ok(
        me.put(
            f"/filings/applications/{number}/subject",
            {
                "values": {
                    "name": "张伟",
                    "certificate_address": "江苏省苏州市姑苏区人民路100号",
                    "city": "320500",
                    "county": "320508",
                    "mailing_address": "江苏省苏州市姑苏区人民路100号3幢201室",
                    "principal": principal,
                }
            },
        )
    )
    website = app["websites"][0]["id"]
    me.ok(
        me.put(
            f"/filings/applications/{number}/websites/{website}",
            {
                "values": {
                    "name": "张伟的读书笔记",
                    "home_url": "http://www.zhangwei-notes.cn",
                    "service_content": "blog",
                    "remarks": "个人读书笔记与技术学习记录，不涉及任何经营性内容。",
                    "principal": "same_as_subject",
                }
            },
        )
    )
    # Submitting before the uploads: refused, each missing material by its label.
    refused = me.post(f"/filings/applications/{number}/events/submit")
    assert refused.status_code == 422
    missing = [e for e in refused.json()["errors"] if e["field"].startswith("materials.")]
    assert missing and all(e.get("label") and e.get("url") for e in missing)
    materials = me.ok(me.get(f"/materials/{number}"))
    for slot in materials["missing"]:
        fields = {"kind": slot["kind"], "domain": slot["domain"]}
        for key in ("principal_id", "website_id"):
            if slot[key] is not None:
                fields[key] = str(slot[key])
        me.ok(me.post(f"/materials/{number}", fields, files={"file": upload(jpeg())}), 201)
    assert me.ok(me.get(f"/materials/{number}"))["missing"] == []
    submitted = me.ok(me.post(f"/filings/applications/{number}/events/submit"))
    assert submitted["state"] == "submitted"
    return me, number


def test_the_seed_filing_reaches_its_icp_number_through_the_api_alone(
    client, applicant, hosting_owner, staff
):
    me, number = open_and_submit(client, applicant, hosting_owner)
    reviewer = Caller(client, staff["reviewer"])
    verifier = Caller(client, staff["photo_verifier"])
    mailroom = Caller(client, staff["mailroom"])
    operator = Caller(client, staff["operator"])
    authority = Caller(client, staff["authority"])
    # The generic endpoint keeps refusing review decisions: they have their own door.
    door = reviewer.post(f"/filings/applications/{number}/events/approve_initial_review")
    assert door.status_code == 403 and door.json()["code"] == "event_has_its_own_door"
    assert reviewer.ok(reviewer.post(f"/review/applications/{number}/approve"))["state"] == (
        "verifying"
    )
    point = me.ok(
        me.post(
            f"/filings/applications/{number}/events/choose_verification_point",
            {"data": {"verification_point": "苏州姑苏核验点"}},
        )
    )
    assert point["photo_state"] == "point_chosen"
    # The verifier's photo at the point, multipart, with the page's checks.
    small = verifier.post(
        f"/review/applications/{number}/photo", files={"photo": upload(jpeg(320, 240))}
    )
    assert small.status_code == 400 and small.json()["code"] == "photo_too_small"
    taken = verifier.ok(
        verifier.post(f"/review/applications/{number}/photo", files={"photo": upload(jpeg())})
    )
    assert taken["photo_state"] == "photo_uploaded"
    verifier.ok(verifier.post(f"/review/applications/{number}/photo/verify"))
    ready = mailroom.ok(
        mailroom.post(
            f"/review/applications/{number}/originals",
            {"documents": {"verification_form": 3, "security_agreement": 3}},
        )
    )
    assert ready["state"] == "ready"
    sent = operator.ok(operator.post("/review/submit", {"numbers": [number]}))
    assert sent[0]["ok"] is True, sent
    for event in ("authority_received", "sms_verified"):
        authority.ok(authority.post(f"/filings/applications/{number}/events/{event}"))
    website = me.ok(me.get(f"/filings/applications/{number}"))["websites"][0]["id"]
    approved = authority.ok(
        authority.post(
            f"/filings/applications/{number}/events/authority_approve",
            {
                "data": {
                    "subject_number": "苏ICP备2026990001号",
                    "website_numbers": {str(website): "苏ICP备2026990001号-1"},
                }
            },
        )
    )
    assert approved["state"] == "approved"
    mine = me.ok(me.get(f"/filings/applications/{number}"))
    assert mine["websites"][0]["icp_number"] == "苏ICP备2026990001号-1"


def test_the_applicants_own_photo_by_api_and_the_reasons_of_a_rejection(
    client, applicant, hosting_owner, staff
):
    me, number = open_and_submit(client, applicant, hosting_owner)
    reviewer = Caller(client, staff["reviewer"])
    verifier = Caller(client, staff["photo_verifier"])
    mailroom = Caller(client, staff["mailroom"])
    reviewer.ok(reviewer.post(f"/review/applications/{number}/approve"))
    events = f"/filings/applications/{number}/events"
    me.ok(me.post(f"{events}/request_backdrop", {"data": {"shipping_address": "苏州人民路100号"}}))
    mailroom.ok(
        mailroom.post(
            f"/review/applications/{number}/backdrop",
            {"courier": "顺丰", "tracking_number": "SF1234567890"},
        )
    )
    # The same refusals as the page: not an image, too small; then base64 in JSON.
    for data, code in ((b"not an image", "photo_invalid"), (jpeg(320, 240), "photo_too_small")):
        body = {"data": {"photo": base64.b64encode(data).decode()}}
        refused = me.post(f"{events}/upload_photo", body)
        assert refused.status_code == 400 and refused.json()["code"] == code
    garbled = me.post(f"{events}/upload_photo", {"data": {"photo": "***"}})
    assert garbled.json()["code"] == "photo_invalid"
    data_url = "data:image/jpeg;base64," + base64.b64encode(jpeg()).decode()
    sent = me.ok(me.post(f"{events}/upload_photo", {"data": {"photo": data_url}}))
    assert sent["photo_state"] == "photo_uploaded"
    verifier.ok(
        verifier.post(
            f"/review/applications/{number}/photo/reject",
            {"reasons": [{"field": "photo", "text": "背景不是白色幕布"}]},
        )
    )
    reasons = me.ok(me.get(f"/filings/applications/{number}"))["return_reasons"]
    assert [(r["field"], r["field_label"], r["text"]) for r in reasons] == [
        ("photo", "核验照片", "背景不是白色幕布")
    ]
    # Again, as a multipart upload, as the page sends it.
    again = me.ok(me.post(f"{events}/upload_photo", files={"photo": upload(jpeg())}))
    assert again["photo_state"] == "photo_uploaded"
    verifier.ok(verifier.post(f"/review/applications/{number}/photo/verify"))
    assert me.ok(me.get(f"/filings/applications/{number}"))["photo_state"] == "verified"
