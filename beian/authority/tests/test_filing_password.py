"""The filing password (备案密码, issue 13): the simulated administration issues one with
the approval of a new subject and resets it on request; it keeps only its hash and
relays it to the subject's e-mail and phone through Beian, which tells the owning
account in its inbox and keeps the password readable nowhere once sent."""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

import pytest
from django.core import mail

from beian.authority import adapter, services
from beian.authority.models import SimOutbox, SimSubject
from beian.authority.sim import services as sim
from beian.core.models import AuditEvent
from beian.filings import services as filing_services
from beian.filings.models import Subject
from beian.filings.states import ApplicationState as S
from beian.notify.models import Message
from testing import (
    SEED_EMAIL,
    SEED_MOBILE,
    drive_to,
    fill_seed_filing,
    make_code,
    make_user,
    start_seed_filing,
)
from testing.servers import filing_password_on_the_phone

from .test_loopback_life import answer_sms, approve_in_console, console

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def filed(clock, applicant, staff, hosting_owner, sim_url, authority, settings):
    """The seed's first filing approved by the simulated administration."""
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True}
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.READY)
    assert adapter.submit(app, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    answer_sms(sim_url)
    services.sync_downloads(authority)
    approve_in_console(sim_url)
    assert not services.sync_downloads(authority).problems
    app.refresh_from_db()
    assert app.state == S.APPROVED
    return Subject.objects.get(pk=app.subject_id)


def _password_rows():
    return Message.objects.filter(template="filing_password")


def test_the_approval_issues_a_password_that_only_the_subjects_contacts_receive(filed, applicant):
    password = filing_password_on_the_phone(SEED_MOBILE)
    sim_subject = SimSubject.objects.get(number=filed.icp_number)
    # The administration keeps its hash only (what ICPmm and isp_verifybamm compare).
    assert sim_subject.filing_password_md5 == hashlib.md5(password.encode()).hexdigest()
    assert all("password" not in row.context for row in SimOutbox.objects.all())
    assert services.verify_filing_password(filed.icp_number, password)
    # E-mail to the subject's address, SMS to the person in charge's phone, no inbox row.
    assert {(m.channel, m.recipient_id) for m in _password_rows()} == {
        ("email", None),
        ("sms", None),
    }
    sent = [m for m in mail.outbox if "备案密码" in m.subject]
    assert [m.to for m in sent] == [[SEED_EMAIL]] and password in sent[0].body
    # Once sent, Beian's rows hold it nowhere (context, subject, body, html).
    for row in _password_rows():
        assert row.state == "sent"
        stored = json.dumps(row.context) + row.subject + row.body + row.html
        assert password not in stored and "******" in row.body
    # The owner's inbox says it was sent, without the password.
    (notice,) = Message.objects.filter(template="filing_password_sent", recipient=applicant)
    assert "139****0000" in notice.body and "已发送" in notice.subject
    assert password not in notice.body


def test_a_relay_with_a_foreign_address_or_no_signature_is_refused(filed, beian_url, settings):
    url = f"{beian_url}/api/v1/authority/filing-password-relay"

    def post(payload: dict, signed: bool = True) -> int:
        body = json.dumps(payload).encode()
        secret = settings.BEIAN["AUTHORITY_SMS_RELAY_SECRET"].encode()
        signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Authority-Signature": signature if signed else "forged",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    base = {"key": "x-1", "password": "Abc123xyz9", "subject_number": filed.icp_number}
    assert post({**base, "phone": SEED_MOBILE}, signed=False) == 403
    assert post({**base, "phone": "13900000000", "email": "evil@example.cn"}) == 409
    assert post({**base, "subject_number": "苏ICP备2099999999号", "phone": SEED_MOBILE}) == 404
    assert not _password_rows().filter(idempotency_key__startswith="authority-x-1").exists()


def test_the_applicant_forgets_and_gets_a_new_password(filed, applicant, staff):
    old = filing_password_on_the_phone(SEED_MOBILE)
    number = filing_services.request_filing_password_reset(account=applicant, subject=filed)
    assert number == filed.icp_number
    new = filing_password_on_the_phone(SEED_MOBILE)
    assert new != old
    assert services.verify_filing_password(filed.icp_number, new)
    assert not services.verify_filing_password(filed.icp_number, old)
    event = AuditEvent.objects.get(verb="filing_password_reset_requested")
    assert (event.actor, event.object_id) == (applicant, str(filed.pk))
    assert new not in json.dumps(event.data)
    notices = Message.objects.filter(template="filing_password_sent", recipient=applicant)
    assert any("新备案密码" in n.body for n in notices)


def test_refusals_wrong_subject_and_too_many(filed, applicant, settings):
    from beian.core.errors import Refusal

    other = make_user("lisi", mobile="13962100001")
    with pytest.raises(Refusal) as caught:
        filing_services.request_filing_password_reset(account=other, subject=filed)
    assert caught.value.code == "filing_password_reset_wrong_subject"
    settings.BEIAN = {**settings.BEIAN, "FILING_PASSWORD_RESETS_PER_DAY": 2}
    for _ in range(2):
        filing_services.request_filing_password_reset(account=applicant, subject=filed)
    with pytest.raises(Refusal) as caught:
        filing_services.request_filing_password_reset(account=applicant, subject=filed)
    assert (caught.value.code, caught.value.status) == ("filing_password_reset_too_many", 429)
    assert "2" in caught.value.message()


def test_the_administration_limits_resets_and_knows_only_its_subjects(filed, settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_SIM_PASSWORD_RESETS_PER_DAY": 1}
    assert services.reset_filing_password(filed.icp_number)
    from beian.core.errors import Refusal

    with pytest.raises(Refusal) as caught:
        services.reset_filing_password(filed.icp_number)
    assert caught.value.code == "filing_password_reset_too_many"
    with pytest.raises(Refusal) as caught:
        services.reset_filing_password("苏ICP备2099999999号")
    assert caught.value.code == "filing_password_reset_wrong_subject"
    # Unsigned calls are not the provider's.
    request = urllib.request.Request(
        settings.BEIAN["AUTHORITY_URL"] + "/bamm/reset",
        data=json.dumps({"number": filed.icp_number}).encode(),
        headers={"X-Authority-Signature": "forged"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403


def test_the_operator_resets_in_the_console(filed, sim_url):
    old = filing_password_on_the_phone(SEED_MOBILE)
    subject = SimSubject.objects.get(number=filed.icp_number)
    page = console(sim_url).post(f"/console/subject/{subject.pk}/password", "/console/", {})
    assert "已重置" in page
    new = filing_password_on_the_phone(SEED_MOBILE)
    assert new != old and services.verify_filing_password(filed.icp_number, new)


def test_a_later_filing_with_the_old_password_is_refused_by_the_administration(filed, applicant):
    from beian.core.errors import Refusal

    old = filing_password_on_the_phone(SEED_MOBILE)
    sim.reset_password(filed.icp_number)
    with pytest.raises(Refusal) as caught:
        filing_services.start_later_filing(
            account=applicant,
            filing_type="change_subject",
            subject=filed,
            changes={"subject": {"mailing_address": "江苏省苏州市工业园区星湖街328号"}},
            filing_password=old,
        )
    assert caught.value.code == "filing_password_wrong"
