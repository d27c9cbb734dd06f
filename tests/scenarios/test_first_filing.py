"""The seed's story: an individual in Suzhou files a first website, from draft
to ICP number, with the clock moving across National Day 2025.

Submitted on Friday 26 September 2025; Sunday 28 September and Saturday
11 October were adjusted working days, 1–8 October holidays.
"""

import datetime as dt

import pytest

from beian.core import calendar
from beian.core.models import AuditEvent
from beian.filings import workflow
from beian.filings.models import AccessStatus, RecordStatus
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType, OriginalsState, PhotoState
from beian.hosting.models import CodeStatus, FilingServiceCode
from beian.notify.models import Message
from testing import (
    fill_seed_filing,
    make_code,
    numbers_from_simulator,
    photo_upload,
    start_seed_filing,
)

pytestmark = pytest.mark.django_db


def deadline_date(app):
    return app.deadline.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def test_seed_first_filing_across_national_day(clock, applicant, staff, hosting_owner):
    clock.set(2025, 9, 20, 9)
    code = make_code(hosting_owner)
    clock.set(2025, 9, 26, 10)  # Friday before National Day
    app = start_seed_filing(applicant, code)
    assert app.filing_type == FilingType.FIRST_FILING
    assert app.state == S.DRAFT
    fill_seed_filing(app, applicant, website_name="张伟个人网站")

    app = workflow.fire(app, "submit", actor=applicant)
    assert app.state == S.SUBMITTED
    # One working day: Sunday 28 September was an adjusted working day.
    assert deadline_date(app) == dt.date(2025, 9, 28)
    assert calendar.is_working_day(deadline_date(app))

    clock.set(2025, 9, 28, 11)
    app = workflow.fire(
        app,
        "return_to_applicant",
        actor=staff["reviewer"],
        data={
            "reasons": [
                {
                    "field": "websites.0.name",
                    "template": "name_generic",
                    "text": "网站名称过于宽泛，请体现网站内容",
                }
            ]
        },
    )
    assert app.state == S.RETURNED
    assert app.return_reasons.get().field == "websites.0.name"

    clock.set(2025, 9, 29, 9)
    fill_seed_filing(app, applicant, website_name="张伟的读书笔记")
    app = workflow.fire(app, "resubmit", actor=applicant)
    assert app.state == S.SUBMITTED and deadline_date(app) == dt.date(2025, 9, 30)

    clock.set(2025, 9, 30, 10)
    app = workflow.fire(app, "approve_initial_review", actor=staff["reviewer"])
    assert (app.state, app.originals_state, app.photo_state) == (
        S.VERIFYING,
        OriginalsState.AWAITING,
        PhotoState.NOT_STARTED,
    )

    app = workflow.fire(
        app,
        "request_backdrop",
        actor=applicant,
        data={"shipping_address": "江苏省苏州市姑苏区人民路100号3幢201室"},
    )
    # Three working days to deliver: 9, 10 and Saturday 11 October (adjusted).
    assert deadline_date(app) == dt.date(2025, 10, 11)
    assert calendar.is_working_day(deadline_date(app))

    clock.set(2025, 10, 9, 15)
    app = workflow.fire(
        app,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF1234567890"},
    )
    clock.set(2025, 10, 10, 11)
    app = workflow.fire(
        app,
        "receive_originals",
        actor=staff["mailroom"],
        data={
            "documents": {"verification_form": 3, "security_agreement": 3},
            "courier": "EMS",
            "tracking_number": "EA123",
        },
    )
    assert app.originals_state == OriginalsState.RECEIVED and app.state == S.VERIFYING
    clock.set(2025, 10, 11, 16)
    app = workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    clock.set(2025, 10, 13, 10)
    app = workflow.fire(app, "verify_photo", actor=staff["photo_verifier"])
    # Both tracks done: the join fires by itself.
    assert app.state == S.READY and deadline_date(app) == dt.date(2025, 10, 14)

    clock.set(2025, 10, 14, 9)
    app = workflow.fire(app, "submit_to_authority", actor=staff["operator"])
    assert app.state == S.AUTHORITY_SUBMITTED
    clock.set(2025, 10, 14, 9, 5)
    app = workflow.fire(app, "authority_received", actor=staff["authority"])
    assert app.state == S.SMS_VERIFICATION
    assert app.deadline - clock.now() == dt.timedelta(hours=24)
    clock.set(2025, 10, 14, 20)
    app = workflow.fire(app, "sms_verified", actor=staff["authority"])
    assert app.state == S.AUTHORITY_REVIEW
    # 20 working days from 14 October: 11 November 2025.
    assert (
        deadline_date(app)
        == calendar.add_working_days(dt.date(2025, 10, 14), 20)
        == dt.date(2025, 11, 11)
    )

    clock.set(2025, 10, 20, 14)
    app = workflow.fire(
        app, "authority_approve", actor=staff["authority"], data=numbers_from_simulator(app)
    )
    assert app.state == S.APPROVED
    subject, website = app.subject, app.websites.get()
    subject.refresh_from_db()
    website.refresh_from_db()
    assert subject.icp_number == "苏ICP备2025000001号"
    assert website.icp_number == "苏ICP备2025000001号-1"
    assert subject.status == website.status == RecordStatus.FILED
    assert website.domains.get().status == RecordStatus.FILED
    assert website.accesses.get().status == AccessStatus.OPEN
    assert FilingServiceCode.objects.get(code=code).status == CodeStatus.USED

    verbs = list(
        AuditEvent.objects.filter(object_type="application", object_id=str(app.pk)).values_list(
            "verb", flat=True
        )
    )
    for verb in (
        "submit",
        "return_to_applicant",
        "resubmit",
        "approve_initial_review",
        "request_backdrop",
        "ship_backdrop",
        "receive_originals",
        "upload_photo",
        "verify_photo",
        "mark_ready",
        "submit_to_authority",
        "authority_received",
        "sms_verified",
        "authority_approve",
    ):
        assert verb in verbs
    templates = set(Message.objects.filter(recipient=applicant).values_list("template", flat=True))
    assert {
        "application_received",
        "application_returned",
        "initial_review_passed",
        "backdrop_shipped",
        "originals_received",
        "photo_verified",
        "submitted_to_authority",
        "application_approved",
    } <= templates
