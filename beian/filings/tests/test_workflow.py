"""The transition table: every state reachable, every refusal with its code."""

import datetime as dt

import pytest

from beian.core.errors import Refusal
from beian.core.models import AuditEvent
from beian.filings import workflow
from beian.filings.models import Application
from beian.filings.states import ApplicationState as S
from beian.filings.states import OriginalsState as O
from beian.filings.states import PhotoState as P
from beian.filings.transitions import TABLE
from testing import (
    drive_to,
    fill_seed_filing,
    id_number,
    make_code,
    make_user,
    photo_upload,
    start_seed_filing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    return fill_seed_filing(app, applicant)


def refused(app, event, **kwargs) -> Refusal:
    with pytest.raises(Refusal) as caught:
        workflow.fire(app, event, **kwargs)
    return caught.value


def test_every_state_of_every_track_is_reachable(draft, applicant, staff, hosting_owner, clock):
    seen = {"main": set(), "originals": set(), "photo": set()}

    def note(app):
        seen["main"].add(app.state)
        seen["originals"].add(app.originals_state)
        seen["photo"].add(app.photo_state)
        return app

    note(draft)
    app = note(workflow.fire(draft, "submit", actor=applicant))
    app = note(
        workflow.fire(app, "return_to_applicant", actor=staff["reviewer"], reason="地址不详")
    )
    app = note(drive_to(app, staff, S.VERIFYING))
    app = note(
        workflow.fire(app, "request_backdrop", actor=applicant, data={"shipping_address": "苏州"})
    )
    app = note(
        workflow.fire(
            app,
            "ship_backdrop",
            actor=staff["mailroom"],
            data={"courier": "顺丰", "tracking_number": "SF1"},
        )
    )
    app = note(workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()}))
    app = note(workflow.fire(app, "reject_photo", actor=staff["photo_verifier"], reason="照片模糊"))
    app = note(
        workflow.fire(
            app, "choose_verification_point", actor=applicant, data={"verification_point": "姑苏"}
        )
    )
    app = note(
        workflow.fire(
            app,
            "record_originals_discrepancy",
            actor=staff["mailroom"],
            data={"discrepancy": "缺少签字"},
        )
    )
    app = note(drive_to(app, staff, S.SMS_VERIFICATION))
    app = note(workflow.fire(app, "sms_failed", actor=staff["authority"], reason="超时"))
    assert app.state == S.AUTHORITY_RETURNED
    app = note(workflow.fire(app, "resubmit_to_authority", actor=staff["operator"]))
    app = note(drive_to(app, staff, S.REJECTED))
    app = note(workflow.fire(app, "reopen", actor=applicant))
    app = note(drive_to(app, staff, S.APPROVED))

    other = start_seed_filing(
        make_user("lisi"),
        make_code(hosting_owner, ip="203.0.113.60"),
        domain="lisi.cn",
        certificate_number=id_number(201),
    )
    note(workflow.fire(other, "withdraw", actor=other.account))
    clock.set(clock.now() + dt.timedelta(days=46))
    third = start_seed_filing(
        make_user("wangwu"),
        make_code(hosting_owner, ip="203.0.113.61"),
        domain="wangwu.cn",
        certificate_number=id_number(202),
    )
    clock.set(clock.now() + dt.timedelta(days=46))
    note(workflow.fire(third, "expire"))

    # States entered inside drive_to show in the audit log of their track.
    for track, to_state in AuditEvent.objects.exclude(track="").values_list("track", "to_state"):
        seen[track].add(to_state)
    assert seen["main"] == set(S.values)
    assert seen["originals"] == set(O.values)
    assert seen["photo"] == set(P.values)


def test_every_event_is_refused_outside_its_source_states(draft, applicant):
    # A draft: everything but submit/withdraw (and the photo/originals tracks, not started) is refused.
    allowed_from_draft = {
        row.event for row in workflow.TABLE if row.track == "main" and S.DRAFT in row.sources
    }
    for event in sorted({row.event for row in TABLE} - allowed_from_draft):
        refusal = refused(draft, event, actor=applicant)
        assert refusal.code == "transition_not_allowed", event
        assert refusal.status == 409
    assert (
        AuditEvent.objects.filter(
            object_id=str(draft.pk), verb__in=[r.event for r in TABLE]
        ).count()
        == 0
    )


def test_roles_ownership_and_scope(draft, applicant, staff):
    assert refused(draft, "submit", actor=staff["reviewer"]).code == "role_not_allowed"
    assert refused(draft, "submit", actor=make_user("intruder")).code == "not_your_application"
    app = workflow.fire(draft, "submit", actor=applicant)
    assert refused(app, "approve_initial_review", actor=applicant).code == "role_not_allowed"
    assert (
        refused(app, "approve_initial_review", actor=staff["mailroom"]).code == "role_not_allowed"
    )
    beijing_reviewer = make_user("bj-reviewer", "reviewer", provinces=["110000"])
    assert refused(app, "approve_initial_review", actor=beijing_reviewer).code == "out_of_scope"
    jiangsu_reviewer = make_user("js-reviewer", "reviewer", provinces=["320000"])
    assert workflow.fire(app, "approve_initial_review", actor=jiangsu_reviewer).state == S.VERIFYING
    # Automatic transitions are not for people; admin may do staff steps but not the administration's.
    assert refused(app, "expire", actor=staff["admin"]).code == "role_not_allowed"


def test_admin_may_do_staff_steps(draft, applicant, staff):
    app = workflow.fire(draft, "submit", actor=applicant)
    assert workflow.fire(app, "approve_initial_review", actor=staff["admin"]).state == S.VERIFYING


def test_guards_explain_refusals(draft, applicant, staff, hosting_owner, clock):
    app = workflow.fire(draft, "submit", actor=applicant)
    assert refused(app, "return_to_applicant", actor=staff["reviewer"]).code == "reasons_required"
    app = drive_to(app, staff, S.VERIFYING)
    assert (
        refused(app, "request_backdrop", actor=applicant, data={}).code
        == "shipping_address_required"
    )
    assert (
        refused(app, "choose_verification_point", actor=applicant, data={}).code
        == "verification_point_required"
    )
    short = refused(
        app,
        "receive_originals",
        actor=staff["mailroom"],
        data={"documents": {"verification_form": 2, "security_agreement": 3}},
    )
    assert short.code == "originals_incomplete" and short.field == "documents.verification_form"
    assert "需要 3 份，收到 2 份" in short.message()
    assert (
        refused(app, "record_originals_discrepancy", actor=staff["mailroom"]).code
        == "reasons_required"
    )
    app = workflow.fire(app, "request_backdrop", actor=applicant, data={"shipping_address": "苏州"})
    assert (
        refused(app, "ship_backdrop", actor=staff["mailroom"], data={"courier": "顺丰"}).code
        == "courier_required"
    )
    app = workflow.fire(
        app,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "1"},
    )
    assert refused(app, "upload_photo", actor=applicant, data={}).code == "photo_required"
    assert (
        refused(app, "upload_photo", actor=applicant, data={"photo": photo_upload(640, 480)}).code
        == "photo_too_small"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    assert (
        refused(app, "upload_photo", actor=applicant, data={"photo": fake}).code == "photo_invalid"
    )
    assert (
        Application.objects.get(pk=app.pk).photo_state == P.BACKDROP_SHIPPED
    )  # nothing half-written
    app = workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    assert refused(app, "reject_photo", actor=staff["photo_verifier"]).code == "reasons_required"
    assert refused(app, "expire").code == "not_expired_yet"
    app = drive_to(app, staff, S.AUTHORITY_REVIEW)
    assert (
        refused(app, "authority_approve", actor=staff["authority"], data={}).code
        == "icp_numbers_required"
    )
    assert refused(app, "authority_reject", actor=staff["authority"]).code == "reasons_required"


def test_join_waits_for_both_tracks(draft, applicant, staff):
    app = drive_to(draft, staff, S.VERIFYING)
    app = workflow.fire(
        app,
        "receive_originals",
        actor=staff["mailroom"],
        data={"documents": {"verification_form": 3, "security_agreement": 3}},
    )
    assert app.state == S.VERIFYING  # photo still missing
    assert not AuditEvent.objects.filter(object_id=str(app.pk), verb="mark_ready").exists()
    assert refused(app, "mark_ready").code == "tracks_not_verified"


def test_incomplete_application_lists_every_problem(applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    refusal = refused(app, "submit", actor=applicant)
    assert refusal.code == "application_incomplete" and refusal.status == 422
    fields = {d["field"] for d in refusal.details}
    assert {
        "subject.certificate_address",
        "subject.mailing_address",
        "subject.principal",
        "websites.0.name",
    } <= fields
    assert Application.objects.get(pk=app.pk).state == S.DRAFT


def test_submission_checks_the_rules(applicant, hosting_owner):
    from beian.filings import services
    from testing import seed_principal

    app = fill_seed_filing(
        start_seed_filing(applicant, make_code(hosting_owner)),
        applicant,
        website_name="我的公司官网",
    )
    services.save_subject(
        app, actor=applicant, values={"principal": seed_principal(mobile="13800138000")}
    )
    refusal = refused(app, "submit", actor=applicant)
    codes = {(d["field"], d["code"]) for d in refusal.details}
    assert (
        "subject.principal.mobile",
        "phone_not_local",
    ) in codes  # Jiangsu wants a Jiangsu mobile
    assert any(field == "websites.0.name" for field, _ in codes)  # individuals: no 公司/官网


def test_expired_order_cannot_be_submitted(draft, applicant, clock):
    clock.set(clock.now() + dt.timedelta(days=46))
    assert refused(draft, "submit", actor=applicant).code == "order_expired"


def test_every_transition_writes_one_audit_event(draft, applicant, staff):
    before = AuditEvent.objects.count()
    app = workflow.fire(draft, "submit", actor=applicant)
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.verb, event.from_state, event.to_state, event.actor) == (
        "submit",
        S.DRAFT,
        S.SUBMITTED,
        applicant,
    )
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert app.state == S.SUBMITTED


def test_refusal_messages_follow_the_language(draft, staff):
    refusal = refused(draft, "approve_initial_review", actor=staff["reviewer"])
    assert "不能执行" in refusal.message("zh-hans")
    assert "is not possible" in refusal.message("en")
