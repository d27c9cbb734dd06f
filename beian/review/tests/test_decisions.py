"""Every decision of the back office: its effect, its audit event, its refusals."""

import pytest

from beian.core.models import AuditEvent
from beian.filings import workflow
from beian.filings.models import OriginalsReceipt, ReturnReason
from beian.notify.models import Message
from beian.review.adapters.submission import SubmissionFailed
from beian.review.models import PhoneCall, SubmissionAttempt
from testing import photo_upload

pytestmark = pytest.mark.django_db


def _verbs(app):
    return list(
        AuditEvent.objects.filter(object_type="application", object_id=str(app.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def _fresh(app):
    app.refresh_from_db()
    return app


# ---- initial review ---------------------------------------------------------------------------


def test_approve(client, submitted, staff):
    client.force_login(staff["reviewer"])
    response = client.post(f"/review/{submitted.number}/approve/")
    assert response.status_code == 302
    app = _fresh(submitted)
    assert (app.state, app.originals_state, app.photo_state) == (
        "verifying",
        "awaiting",
        "not_started",
    )
    assert _verbs(app)[-1] == "approve_initial_review"


def test_return_with_a_template_and_free_text_against_a_field(client, submitted, staff, applicant):
    client.force_login(staff["reviewer"])
    response = client.post(
        f"/review/{submitted.number}/return/",
        {
            "reason-0-field": "websites.0.name",
            "reason-0-template": "website-name-content",
            "reason-0-text": "请体现读书笔记",
            "reason-1-field": "subject.mailing_address",
            "reason-1-text": "请写到门牌号",
        },
    )
    assert response.status_code == 302
    app = _fresh(submitted)
    assert app.state == "returned"
    reasons = list(
        ReturnReason.objects.filter(application=app).values_list("field", "template", "text")
    )
    assert reasons[0][:2] == ("websites.0.name", "website-name-content")
    assert reasons[0][2].startswith("网站名称与网站内容不符") and reasons[0][2].endswith(
        "请体现读书笔记"
    )
    assert reasons[1] == ("subject.mailing_address", "", "请写到门牌号")
    assert "return_to_applicant" in _verbs(app)
    assert Message.objects.filter(recipient=applicant, template="application_returned").exists()
    # The applicant sees the reason against the website's name field.
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/").content.decode()
    assert "网站名称与网站内容不符" in page


def test_a_return_without_reasons_is_refused(client, submitted, staff):
    client.force_login(staff["reviewer"])
    response = client.post(
        f"/review/{submitted.number}/return/", {"reason-0-field": "subject.name"}
    )
    assert response.status_code == 400
    assert 'id="refusal"' in response.content.decode()
    assert _fresh(submitted).state == "submitted"


def test_a_template_for_another_field_is_refused(client, submitted, staff):
    client.force_login(staff["reviewer"])
    response = client.post(
        f"/review/{submitted.number}/return/",
        {"reason-0-field": "subject.name", "reason-0-template": "website-name-content"},
    )
    assert response.status_code == 400
    assert _fresh(submitted).state == "submitted"


def test_record_a_phone_call(client, submitted, staff, clock):
    client.force_login(staff["reviewer"])
    response = client.post(
        f"/review/{submitted.number}/call/",
        {"called_at": "2025-09-22T09:30", "outcome": "no_answer", "note": "稍后再打"},
    )
    assert response.status_code == 302
    call = PhoneCall.objects.get()
    assert (call.outcome, call.note, call.called_by) == ("no_answer", "稍后再打", staff["reviewer"])
    assert call.called_at.hour == 1  # 09:30 China time is 01:30 UTC
    assert "phone_call" in _verbs(submitted)
    page = client.get(f"/review/{submitted.number}/").content.decode()
    assert "稍后再打" in page


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "maybe"},
        {"outcome": "reached", "called_at": "not a time"},
        {"outcome": "reached", "called_at": "2030-01-01T10:00"},
    ],
)
def test_a_bad_phone_call_is_refused(client, submitted, staff, data):
    client.force_login(staff["reviewer"])
    response = client.post(f"/review/{submitted.number}/call/", data)
    assert response.status_code == 400
    assert not PhoneCall.objects.exists()


# ---- mailroom -------------------------------------------------------------------------------


def test_find_an_order_by_barcode_text(client, verifying, staff):
    client.force_login(staff["mailroom"])
    response = client.get("/review/find/", {"number": f"  {verifying.number}\n"})
    assert response.status_code == 302
    assert response["Location"] == f"/review/{verifying.number}/"
    response = client.get("/review/find/", {"number": "0000000000000"})
    assert response.status_code == 404
    assert "0000000000000" in response.content.decode()


def test_receive_originals_three_each_by_default(client, verifying, staff):
    client.force_login(staff["mailroom"])
    page = client.get(f"/review/{verifying.number}/").content.decode()
    assert (
        'id="documents-verification_form" name="documents-verification_form" type="number" min="0" max="99" value="3"'
        in page
    )
    response = client.post(
        f"/review/{verifying.number}/originals/",
        {
            "documents-verification_form": "3",
            "documents-security_agreement": "3",
            "courier": "顺丰",
            "tracking_number": "SF100200300",
        },
    )
    assert response.status_code == 302
    app = _fresh(verifying)
    assert app.originals_state == "received"
    receipt = OriginalsReceipt.objects.get()
    assert (receipt.documents, receipt.courier, receipt.tracking_number) == (
        {"verification_form": 3, "security_agreement": 3},
        "顺丰",
        "SF100200300",
    )
    assert "receive_originals" in _verbs(app)


def test_too_few_originals_are_refused(client, verifying, staff):
    client.force_login(staff["mailroom"])
    response = client.post(
        f"/review/{verifying.number}/originals/",
        {"documents-verification_form": "2", "documents-security_agreement": "3"},
    )
    assert response.status_code == 400
    assert _fresh(verifying).originals_state == "awaiting"


def test_a_count_that_is_not_a_number_is_refused(client, verifying, staff):
    client.force_login(staff["mailroom"])
    response = client.post(
        f"/review/{verifying.number}/originals/",
        {"documents-verification_form": "three", "documents-security_agreement": "3"},
    )
    assert response.status_code == 400


def test_copies_follow_the_province_setting(verifying, settings):
    from beian.review.services import expected_documents

    settings.BEIAN = {**settings.BEIAN, "ORIGINAL_COPIES": 2}
    expected = expected_documents(verifying)
    # Jiangsu's rules data may set its own count; otherwise the setting applies.
    from beian.rules.provinces import rules_for

    rules = rules_for("320000")
    assert expected["verification_form"] == (rules.verification_form_copies or 2)


def test_a_discrepancy_is_recorded_and_returned_to_the_applicant(
    client, verifying, staff, applicant
):
    client.force_login(staff["mailroom"])
    response = client.post(
        f"/review/{verifying.number}/discrepancy/",
        {
            "problems": ["originals-signature", "originals-fingerprint"],
            "discrepancy": "第2份",
            "documents-verification_form": "3",
            "documents-security_agreement": "2",
        },
    )
    assert response.status_code == 302
    app = _fresh(verifying)
    assert app.originals_state == "discrepancy"
    reason = ReturnReason.objects.get(source="mailroom")
    assert reason.text == "原件缺少签字；原件缺少手印；第2份"
    assert "record_originals_discrepancy" in _verbs(app)
    assert Message.objects.filter(recipient=applicant, template="originals_discrepancy").exists()


def test_a_discrepancy_without_a_problem_is_refused(client, verifying, staff):
    client.force_login(staff["mailroom"])
    response = client.post(f"/review/{verifying.number}/discrepancy/", {})
    assert response.status_code == 400
    assert _fresh(verifying).originals_state == "awaiting"


# ---- backdrops and photos ---------------------------------------------------------------------


@pytest.fixture
def backdrop_requested(verifying, applicant):
    return workflow.fire(
        verifying,
        "request_backdrop",
        actor=applicant,
        data={"shipping_address": "江苏省苏州市姑苏区人民路100号3幢201室"},
    )


def test_ship_a_backdrop_from_the_shipping_list(client, backdrop_requested, staff, applicant):
    client.force_login(staff["mailroom"])
    html = client.get("/review/queue/backdrops/").content.decode()
    assert backdrop_requested.number in html
    assert "3幢201室" not in html  # masked in the list
    assert "3幢201室" in client.get("/review/backdrops/shipping-list/").content.decode()
    response = client.post(
        f"/review/{backdrop_requested.number}/ship/",
        {"courier": "EMS", "tracking_number": "EMS123", "next": "/review/queue/backdrops/"},
    )
    assert response["Location"] == "/review/queue/backdrops/"
    app = _fresh(backdrop_requested)
    assert app.photo_state == "backdrop_shipped"
    assert (app.photo.courier, app.photo.tracking_number) == ("EMS", "EMS123")
    assert Message.objects.filter(recipient=applicant, template="backdrop_shipped").exists()
    assert "ship_backdrop" in _verbs(app)


def test_shipping_without_tracking_number_is_refused(client, backdrop_requested, staff):
    client.force_login(staff["photo_verifier"])
    response = client.post(f"/review/{backdrop_requested.number}/ship/", {"courier": "EMS"})
    assert response.status_code == 400
    assert _fresh(backdrop_requested).photo_state == "backdrop_requested"


@pytest.fixture
def point_chosen(verifying, applicant):
    return workflow.fire(
        verifying,
        "choose_verification_point",
        actor=applicant,
        data={"verification_point": "苏州姑苏核验点"},
    )


def test_a_point_session_takes_the_photo_then_it_is_verified(client, point_chosen, staff):
    client.force_login(staff["photo_verifier"])
    page = client.get(f"/review/{point_chosen.number}/").content.decode()
    assert 'id="point"' in page
    response = client.post(
        f"/review/{point_chosen.number}/point-photo/", {"photo": photo_upload(1024, 768)}
    )
    assert response.status_code == 302
    app = _fresh(point_chosen)
    assert app.photo_state == "photo_uploaded"
    page = client.get(f"/review/{app.number}/").content.decode()
    assert 'data-check="resolution" data-status="pass"' in page
    assert "1024×768" in page
    image = client.get(f"/review/{app.number}/photo.img")
    assert image["Content-Type"] == "image/jpeg" and image.content[:2] == b"\xff\xd8"
    client.post(f"/review/{app.number}/verify-photo/")
    app = _fresh(app)
    assert app.photo_state == "verified"
    assert _verbs(app)[-2:] == ["take_point_photo", "verify_photo"]


def test_a_small_photo_is_refused_at_the_point(client, point_chosen, staff):
    client.force_login(staff["photo_verifier"])
    response = client.post(
        f"/review/{point_chosen.number}/point-photo/", {"photo": photo_upload(640, 480)}
    )
    assert response.status_code == 400
    assert "800" in response.content.decode()
    assert _fresh(point_chosen).photo_state == "point_chosen"


def test_reject_a_photo_with_a_template(client, point_chosen, staff, applicant):
    point_chosen = workflow.fire(
        point_chosen,
        "take_point_photo",
        actor=staff["photo_verifier"],
        data={"photo": photo_upload()},
    )
    client.force_login(staff["photo_verifier"])
    client.post(
        f"/review/{point_chosen.number}/reject-photo/",
        {"photo-0-template": "photo-face-unclear", "photo-0-text": "请正对镜头"},
    )
    app = _fresh(point_chosen)
    assert app.photo_state == "rejected"
    reason = ReturnReason.objects.get(source="photo")
    assert reason.field == "photo" and "请正对镜头" in reason.text
    assert Message.objects.filter(recipient=applicant, template="photo_rejected").exists()


def test_reject_without_reason_is_refused(client, point_chosen, staff):
    point_chosen = workflow.fire(
        point_chosen,
        "take_point_photo",
        actor=staff["photo_verifier"],
        data={"photo": photo_upload()},
    )
    client.force_login(staff["photo_verifier"])
    assert client.post(f"/review/{point_chosen.number}/reject-photo/", {}).status_code == 400


# ---- submission -------------------------------------------------------------------------------


class FailingAdapter:
    """An administration interface that refuses, as a real one might (code 3, in words)."""

    name = "failing"
    message = "3：数据格式错误 / Data format error"

    def submit(self, application, actor):
        raise SubmissionFailed(self.message)


@pytest.fixture
def ready(point_chosen, staff):
    from testing import drive_to

    return drive_to(point_chosen, staff, "ready")


def test_submit_selected_with_the_local_adapter(client, ready, staff):
    client.force_login(staff["operator"])
    assert ready.number in client.get("/review/queue/ready/").content.decode()
    response = client.post("/review/submit/", {"numbers": [ready.number]})
    assert response.status_code == 302
    app = _fresh(ready)
    assert app.state == "authority_submitted"
    assert SubmissionAttempt.objects.get().ok
    assert "submit_to_authority" in _verbs(app)


def test_submitting_nothing_is_refused(client, ready, staff):
    client.force_login(staff["operator"])
    response = client.post("/review/submit/", {}, follow=True)
    assert "请至少选择一个订单" in response.content.decode()


def test_a_failure_is_shown_with_the_interface_message_and_can_be_retried(
    client, ready, staff, settings
):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": f"{__name__}.FailingAdapter"}
    client.force_login(staff["operator"])
    client.post("/review/submit/", {"numbers": [ready.number]})
    assert _fresh(ready).state == "ready"
    attempt = SubmissionAttempt.objects.get()
    assert (attempt.ok, attempt.message, attempt.resolved) == (False, FailingAdapter.message, False)
    assert "submission_failed" in _verbs(ready)
    html = client.get("/review/queue/ready/").content.decode()
    assert FailingAdapter.message in html
    assert "/review/" in client.get("/review/").content.decode()
    # Retry once the interface works again.
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": "local"}
    response = client.post(f"/review/{ready.number}/submit/", {"next": "/review/queue/ready/"})
    assert response.status_code == 302
    assert _fresh(ready).state == "authority_submitted"
    assert not SubmissionAttempt.objects.filter(ok=False, resolved=False).exists()
    assert FailingAdapter.message not in client.get("/review/").content.decode()


def test_a_reviewer_cannot_submit(client, ready, staff):
    client.force_login(staff["reviewer"])
    client.post("/review/submit/", {"numbers": [ready.number]})
    assert _fresh(ready).state == "ready"


def test_returned_by_the_administration_is_resubmitted(client, ready, staff):
    app = workflow.fire(ready, "submit_to_authority", actor=staff["operator"])
    app = workflow.fire(app, "authority_received", actor=staff["authority"])
    app = workflow.fire(app, "sms_failed", actor=None)
    client.force_login(staff["operator"])
    assert app.number in client.get("/review/queue/authority_returned/").content.decode()
    client.post("/review/submit/", {"numbers": [app.number]})
    assert _fresh(app).state == "authority_submitted"
    assert "resubmit_to_authority" in _verbs(app)
