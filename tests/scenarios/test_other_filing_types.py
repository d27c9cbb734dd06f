"""Every other filing type walks its own path through the same table."""

import pytest

from beian.core import clock, crypto
from beian.core.errors import Refusal
from beian.filings import services, workflow
from beian.filings.models import Access, AccessStatus, Domain, ExternalRecord, RecordStatus, Subject
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType, OriginalsState, PhotoState
from testing import (
    FILING_PASSWORD,
    SEED_ID,
    drive_to,
    fill_seed_filing,
    make_code,
    start_seed_filing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(applicant, staff, hosting_owner):
    """The seed's first filing, approved: 苏ICP备…号 with one website."""
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return drive_to(app, staff)


def events_of(app):
    from beian.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_type="application", object_id=str(app.pk)).values_list(
            "verb", flat=True
        )
    )


def test_add_website_to_a_subject_filed_here(filed, applicant, staff, hosting_owner):
    subject = filed.subject
    app = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.50"), domain="zhangwei-photos.cn"
    )
    assert app.filing_type == FilingType.ADD_WEBSITE_HERE
    assert app.subject_id == subject.pk
    assert "已在本接入商备案" in services.explain(
        app.filing_type, {"subject_number": subject.icp_number}
    )
    fill_seed_filing(app, applicant, website_name="张伟的摄影作品")
    app = drive_to(app, staff)
    website = app.websites.get()
    website.refresh_from_db()
    assert website.icp_number == f"{subject.icp_number}-2"
    assert Subject.objects.get(pk=subject.pk).icp_number == subject.icp_number


def test_add_website_for_a_subject_filed_elsewhere(applicant, staff, hosting_owner):
    ExternalRecord.objects.create(
        kind="subject",
        key_hash=crypto.lookup_hash(SEED_ID),
        icp_number="苏ICP备2019012345号",
        learned_at=clock.now(),
    )
    app = start_seed_filing(applicant, make_code(hosting_owner))
    assert app.filing_type == FilingType.ADD_WEBSITE_ELSEWHERE
    assert app.subject.icp_number == "苏ICP备2019012345号"
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.AUTHORITY_REVIEW)
    # Elsewhere the subject has sites already: the administration gives the number.
    app = workflow.fire(
        app,
        "authority_approve",
        actor=staff["authority"],
        data={"website_numbers": {str(app.websites.get().pk): "苏ICP备2019012345号-3"}},
    )
    website = app.websites.get()
    assert (website.icp_number, website.index, website.status) == (
        "苏ICP备2019012345号-3",
        3,
        RecordStatus.FILED,
    )


def test_add_access_is_reachable_once_initial_review_passes(applicant, staff, hosting_owner):
    ExternalRecord.objects.create(
        kind="domain",
        key_hash="other-host.cn",
        icp_number="京ICP备2020000001号-1",
        learned_at=clock.now(),
    )
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="www.other-host.cn")
    assert app.filing_type == FilingType.ADD_ACCESS
    website = app.websites.get()
    assert website.icp_number == "京ICP备2020000001号-1"
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.SUBMITTED)
    assert Access.objects.get(website=website).status == AccessStatus.PENDING
    app = workflow.fire(app, "approve_initial_review", actor=staff["reviewer"])
    assert app.state == S.VERIFYING
    assert Access.objects.get(website=website).status == AccessStatus.OPEN  # reachable from here on
    app = drive_to(app, staff)
    assert app.state == S.APPROVED
    assert "sms_verified" in events_of(app)
    assert Domain.objects.get(website=website).status == RecordStatus.FILED


def test_withdrawn_add_access_closes_the_early_access(applicant, staff, hosting_owner):
    ExternalRecord.objects.create(
        kind="domain",
        key_hash="other-host.cn",
        icp_number="京ICP备2020000001号-1",
        learned_at=clock.now(),
    )
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="other-host.cn")
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.VERIFYING)
    app = workflow.fire(app, "withdraw", actor=applicant)
    assert app.state == S.WITHDRAWN
    assert Access.objects.get(website=app.websites.get()).status == AccessStatus.CLOSED


def test_domain_already_filed_and_hosted_here_is_refused(filed, applicant, hosting_owner):
    with pytest.raises(Refusal) as caught:
        start_seed_filing(
            applicant, make_code(hosting_owner, ip="203.0.113.77"), domain="www.zhangwei-notes.cn"
        )
    assert caught.value.code == "domain_filed_here"


def test_change_subject_needs_only_review_and_sms(filed, applicant, staff):
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CHANGE_SUBJECT,
        subject=filed.subject,
        changes={
            "subject": {
                "mailing_address": "江苏省苏州市工业园区星湖街328号",
                "principal": {"email": "new@example.cn"},
            }
        },
    )
    app = drive_to(app, staff)
    assert app.state == S.APPROVED
    assert (app.originals_state, app.photo_state) == (
        OriginalsState.NOT_REQUIRED,
        PhotoState.NOT_REQUIRED,
    )
    subject = Subject.objects.get(pk=filed.subject_id)
    assert subject.mailing_address == "江苏省苏州市工业园区星湖街328号"
    assert subject.principal.email == "new@example.cn"
    assert {"sms_verified", "authority_approve"} <= set(events_of(app))
    # Access is not interrupted by a change.
    assert Access.objects.get(website=filed.websites.get()).status == AccessStatus.OPEN


def test_change_website_replaces_domains(filed, applicant, staff):
    website = filed.websites.get()
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CHANGE_WEBSITE,
        subject=filed.subject,
        websites=[website],
        changes={
            "websites": {
                str(website.pk): {"name": "张伟读书笔记", "domains": [{"name": "zw-notes.cn"}]}
            }
        },
    )
    drive_to(app, staff)
    website.refresh_from_db()
    assert website.name == "张伟读书笔记"
    assert set(
        website.domains.filter(status=RecordStatus.FILED).values_list("name", flat=True)
    ) == {"zw-notes.cn"}


def test_change_access_moves_the_ip(filed, applicant, staff):
    website = filed.websites.get()
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CHANGE_ACCESS,
        subject=filed.subject,
        websites=[website],
        changes={"access": {str(website.pk): {"ip": "203.0.113.99"}}},
    )
    drive_to(app, staff)
    assert Access.objects.get(website=website, status=AccessStatus.OPEN).ip == "203.0.113.99"


def test_cancel_website_refuses_the_last_one(filed, applicant):
    with pytest.raises(Refusal) as caught:
        services.start_later_filing(
            filing_password=FILING_PASSWORD,
            account=applicant,
            filing_type=FilingType.CANCEL_WEBSITE,
            cancel_reason="website_closed",
            subject=filed.subject,
            websites=list(filed.websites.all()),
        )
    assert caught.value.code == "last_website"


def test_cancel_website_keeps_the_subject(filed, applicant, staff, hosting_owner):
    second = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.51"), domain="zhangwei-photos.cn"
    )
    fill_seed_filing(second, applicant, website_name="张伟的摄影作品")
    second = drive_to(second, staff)
    website = second.websites.get()
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CANCEL_WEBSITE,
        cancel_reason="website_closed",
        subject=filed.subject,
        websites=[website],
    )
    drive_to(app, staff)
    website.refresh_from_db()
    assert website.status == RecordStatus.CANCELLED
    assert Access.objects.get(website=website).status == AccessStatus.CLOSED
    assert Subject.objects.get(pk=filed.subject_id).status == RecordStatus.FILED


def test_cancel_subject_cancels_everything(filed, applicant, staff):
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CANCEL_SUBJECT,
        cancel_reason="subject_gone",
        subject=filed.subject,
    )
    app = drive_to(app, staff)
    subject = Subject.objects.get(pk=filed.subject_id)
    assert subject.status == RecordStatus.CANCELLED
    assert not subject.websites.exclude(status=RecordStatus.CANCELLED).exists()
    assert not Access.objects.filter(website__subject=subject, status=AccessStatus.OPEN).exists()
    assert not Domain.objects.filter(website__subject=subject, status=RecordStatus.FILED).exists()


def test_cancel_access_has_no_sms_and_keeps_the_number(filed, applicant, staff):
    website = filed.websites.get()
    app = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CANCEL_ACCESS,
        cancel_reason="changed_provider",
        subject=filed.subject,
        websites=[website],
    )
    app = drive_to(app, staff, target=S.AUTHORITY_SUBMITTED)
    app = workflow.fire(app, "authority_received", actor=staff["authority"])
    assert app.state == S.AUTHORITY_REVIEW  # no SMS for a cancel access
    app = workflow.fire(app, "authority_approve", actor=staff["authority"])
    website.refresh_from_db()
    assert website.status == RecordStatus.FILED and website.icp_number
    assert Access.objects.get(website=website).status == AccessStatus.CLOSED


def test_a_second_later_filing_waits_for_the_first(filed, applicant):
    services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CANCEL_SUBJECT,
        cancel_reason="subject_gone",
        subject=filed.subject,
    )
    with pytest.raises(Refusal) as caught:
        services.start_later_filing(
            filing_password=FILING_PASSWORD,
            account=applicant,
            filing_type=FilingType.CANCEL_SUBJECT,
            cancel_reason="subject_gone",
            subject=filed.subject,
        )
    assert caught.value.code == "application_in_progress"


def test_later_filings_need_the_filing_password(filed, applicant):
    app = services.start_later_filing(
        account=applicant,
        filing_type=FilingType.CANCEL_ACCESS,
        cancel_reason="changed_provider",
        subject=filed.subject,
        websites=list(filed.websites.all()),
    )
    from beian.filings.models import Subject as SubjectModel

    SubjectModel.objects.filter(pk=filed.subject_id).update(filing_password="")
    with pytest.raises(Refusal) as caught:
        workflow.fire(app, "submit", actor=applicant)
    assert {d["code"] for d in caught.value.details} == {"filing_password_required"}
    services.save_filing_password(app, actor=applicant, password=FILING_PASSWORD)
    assert workflow.fire(app, "submit", actor=applicant).state == S.SUBMITTED


def test_a_first_filing_has_no_filing_password(applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    with pytest.raises(Refusal) as caught:
        services.save_filing_password(app, actor=applicant, password="x")
    assert caught.value.code == "filing_password_not_needed"
