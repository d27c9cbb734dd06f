"""Beian and the simulated administration over real HTTP on loopback, through the life of a
first filing, a change, an add-access and a cancellation."""

import re

import pytest

from beian.authority import adapter, services
from beian.authority.models import (
    AuthorityId,
    Exchange,
    SimRequest,
    SimSmsChallenge,
    SimWebsite,
    Upload,
)
from beian.core import crypto
from beian.filings import services as filing_services
from beian.filings.models import Access, AccessStatus, ExternalRecord, RecordStatus, Subject
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType
from beian.notify.models import Message, RecordedSms
from testing import (
    FILING_PASSWORD,
    SEED_ID,
    SEED_MOBILE,
    drive_to,
    fill_seed_filing,
    make_code,
    start_seed_filing,
)
from testing.servers import (
    Browser,
    deliver_all,
    filing_password_on_the_phone,
    seed_site_filed_elsewhere,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def last_code(phone: str) -> str:
    """The code the simulator sent, as Beian's SMS channel received it."""
    challenge = SimSmsChallenge.objects.filter(
        phone_hash=crypto.lookup_hash(phone), verified_at=None
    ).latest("pk")
    key = f"authority-sim-sms-{challenge.pk}-{challenge.sends}"
    message = Message.objects.filter(channel="sms", idempotency_key=key).first()
    assert message is not None, "no SMS relayed to Beian"
    # Stored redacted; the phone (the recording backend) gets the code.
    assert "******" in message.body and not re.search(r"\d{6}", message.body)
    deliver_all()  # every due message: the demo leaves more than one round takes
    text = RecordedSms.objects.get(message=message).text
    return re.search(r"核验码为(\d{6})", text).group(1)


def answer_sms(sim_url: str, phone: str = SEED_MOBILE, tail: str = SEED_ID[-6:]):
    page = Browser(sim_url).post(
        "/sms/",
        "/sms/",
        {"phone": phone, "certificate_tail": tail, "code": last_code(phone), "action": "verify"},
    )
    assert "核验成功" in page, re.search(r'id="error">([^<]*)', page)


def console(sim_url: str) -> Browser:
    browser = Browser(sim_url)
    browser.post("/console/login", "/console/login", {"password": "beian-demo-password"})
    return browser


def approve_in_console(sim_url: str) -> None:
    request = SimRequest.objects.filter(state="review").latest("pk")
    page = console(sim_url).post(
        f"/console/request/{request.pk}", "/console/", {"action": "approve", "opinion": "信息属实"}
    )
    assert "approve" in page


@pytest.fixture
def ready(clock, applicant, staff, hosting_owner):
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return drive_to(app, staff, target=S.READY)


def file_first(ready, staff, sim_url, authority):
    result = adapter.submit(ready, staff["operator"], client=authority)
    assert result.accepted and result.data_sequence == 1, result.message
    app = result.application
    assert app.state == S.AUTHORITY_SUBMITTED
    services.sync_downloads(authority)
    app.refresh_from_db()
    assert app.state == S.SMS_VERIFICATION
    answer_sms(sim_url)
    services.sync_downloads(authority)
    app.refresh_from_db()
    assert app.state == S.AUTHORITY_REVIEW
    approve_in_console(sim_url)
    result = services.sync_downloads(authority)
    assert not result.problems, result.problems
    app.refresh_from_db()
    return app


def test_first_filing_then_change_then_cancel_access(
    ready, staff, applicant, sim_url, authority, clock
):
    app = file_first(ready, staff, sim_url, authority)
    assert app.state == S.APPROVED
    subject = Subject.objects.get(pk=app.subject_id)
    website = app.websites.get()
    assert subject.icp_number == "苏ICP备2025000001号"
    assert website.icp_number == "苏ICP备2025000001号-1"
    assert subject.authority_record_id and website.authority_record_id
    access = Access.objects.get(website=website)
    assert access.status == AccessStatus.OPEN
    assert AuthorityId.objects.filter(kind="access", local_id=access.pk).exists()
    # Every download was acknowledged only after processing; every call is in the log.
    assert set(Exchange.objects.values_list("method", flat=True)) >= {
        "isp_upload",
        "isp_download",
        "isp_downloadack",
    }
    upload = Exchange.objects.get(method="isp_upload")
    assert upload.data_sequence == 1 and upload.return_code == 0 and upload.payload

    # The administration sent the filing password with the approval; a wrong one is refused.
    password = filing_password_on_the_phone(SEED_MOBILE)
    assert password != FILING_PASSWORD

    # A change of the website: new name and domain; the website's person answers the SMS.
    change = filing_services.start_later_filing(
        filing_password=password,
        account=applicant,
        filing_type=FilingType.CHANGE_WEBSITE,
        subject=subject,
        websites=[website],
        changes={
            "websites": {
                str(website.pk): {"name": "张伟读书笔记", "domains": [{"name": "zw-notes.cn"}]}
            }
        },
    )
    change = drive_to(change, staff, target=S.READY)
    assert adapter.submit(change, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    change.refresh_from_db()
    assert change.state == S.SMS_VERIFICATION
    answer_sms(sim_url)
    services.sync_downloads(authority)
    approve_in_console(sim_url)
    services.sync_downloads(authority)
    change.refresh_from_db()
    website.refresh_from_db()
    assert change.state == S.APPROVED
    assert website.name == "张伟读书笔记"
    assert (
        SimWebsite.objects.get(pk=int(website.authority_record_id)).data["name"] == "张伟读书笔记"
    )

    # Cancel our access: no SMS; the number stays at the administration.
    cancel = filing_services.start_later_filing(
        filing_password=password,
        account=applicant,
        filing_type=FilingType.CANCEL_ACCESS,
        cancel_reason="changed_provider",
        subject=subject,
        websites=[website],
    )
    cancel = drive_to(cancel, staff, target=S.READY)
    assert adapter.submit(cancel, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    cancel.refresh_from_db()
    assert cancel.state == S.AUTHORITY_REVIEW
    approve_in_console(sim_url)
    services.sync_downloads(authority)
    cancel.refresh_from_db()
    assert cancel.state == S.APPROVED
    assert Access.objects.get(pk=access.pk).status == AccessStatus.CLOSED
    assert list(Upload.objects.values_list("data_sequence", flat=True)) == [1, 2, 3]


def test_add_access_for_a_site_filed_elsewhere(
    clock, applicant, staff, hosting_owner, sim_url, authority
):
    clock.set(2025, 10, 14, 9)
    seed_site_filed_elsewhere()
    # The portal asks the administration whether the domain is filed, and remembers it.
    status = services.query_status(domain="other-host.cn", client=authority)
    assert status.filed and status.website_number == "京ICP备2025000001号-1"
    services.learn_external("domain", "other-host.cn", status)
    assert services.verify_filing_password(status.website_number, "old-password", client=authority)
    assert not services.verify_filing_password(status.website_number, "wrong", client=authority)

    app = start_seed_filing(applicant, make_code(hosting_owner), domain="other-host.cn")
    assert app.filing_type == FilingType.ADD_ACCESS
    fill_seed_filing(app, applicant)
    Subject.objects.filter(pk=app.subject_id).update()  # the filing password comes from the filer
    subject = Subject.objects.get(pk=app.subject_id)
    subject.filing_password = "old-password"
    subject.save()
    app = drive_to(app, staff, target=S.READY)
    assert adapter.submit(app, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    app.refresh_from_db()
    assert app.state == S.SMS_VERIFICATION
    answer_sms(sim_url)
    services.sync_downloads(authority)
    approve_in_console(sim_url)
    assert not services.sync_downloads(authority).problems
    app.refresh_from_db()
    assert app.state == S.APPROVED
    website = app.websites.get()
    assert website.icp_number == "京ICP备2025000001号-1" and website.status == RecordStatus.FILED
    accesses = SimWebsite.objects.get(number=website.icp_number).data["accesses"]
    assert len(accesses) == 2 and {a["ispid"] for a in accesses} == {9999, 1001}
    assert ExternalRecord.objects.filter(key_hash="other-host.cn").exists()
