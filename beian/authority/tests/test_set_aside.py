"""A downloaded result that cannot be applied is set aside with its reason — the file is
acknowledged (it arrived intact, spec 3-3-2), the next files are applied — shown to the
operators in the back office, and retried: automatically with backoff, and by an operator."""

import pytest
from django.test import Client

from beian.accounts.models import Role
from beian.authority import adapter, services
from beian.authority.models import (
    SetAside,
    SimDownload,
    SimSerialCounter,
    SimSubject,
    SimWebsite,
    Upload,
    UploadStatus,
)
from beian.authority.tests.test_loopback_life import answer_sms, approve_in_console
from beian.core import clock as clock_module
from beian.core.models import AuditEvent
from beian.filings.models import Subject, Website
from beian.filings.states import ApplicationState as S
from testing import (
    drive_to,
    fill_seed_filing,
    id_number,
    make_code,
    make_user,
    start_seed_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

TAKEN = "苏ICP备2025000001号"


@pytest.fixture
def ready(clock, applicant, staff, hosting_owner):
    clock.set(2025, 10, 14, 9)
    apps = []
    for n, domain in enumerate(["zhangwei-notes.cn", "zhangwei-photos.cn"]):
        app = start_seed_filing(
            applicant, make_code(hosting_owner, ip=f"203.0.113.{10 + n}"), domain=domain
        )
        fill_seed_filing(app, applicant, website_name=["张伟的读书笔记", "张伟的摄影作品"][n])
        apps.append(drive_to(app, staff, target=S.READY))
    return apps


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _held_elsewhere(staff, hosting_owner):
    """Another subject here already holds 苏ICP备2025000001号, and the simulator's counter
    starts again (as when its database alone was deleted and made anew): its next number collides."""
    other = make_user("lisi", mobile="15190000099")
    app = start_seed_filing(
        other,
        make_code(hosting_owner, ip="203.0.113.30"),
        domain="lisi-notes.cn",
        certificate_number=id_number(7),
    )
    fill_seed_filing(app, other, website_name="李四的读书笔记")
    app = drive_to(app, staff, target=S.APPROVED)
    assert Subject.objects.get(pk=app.subject_id).icp_number == TAKEN
    SimWebsite.objects.all().delete()
    SimSubject.objects.all().delete()
    SimSerialCounter.objects.all().delete()
    return app


def test_a_number_already_held_is_set_aside_and_does_not_block_the_next_results(
    ready, staff, hosting_owner, sim_url, authority
):
    held = _held_elsewhere(staff, hosting_owner)
    first, second = ready
    assert adapter.submit(first, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    answer_sms(sim_url)
    services.sync_downloads(authority)
    approve_in_console(sim_url)  # the simulator issues 苏ICP备2025000001号 again
    assert adapter.submit(second, staff["operator"], client=authority).accepted

    result = services.sync_downloads(authority)

    # The approval is set aside with its reason; nothing of it was written.
    (item,) = SetAside.objects.all()
    assert item.reason_code == "icp_number_taken" and item.application_id == first.pk
    assert TAKEN in item.reason("zh-hans") and "already belongs" in item.reason("en")
    assert any(TAKEN in line for line in result.problems)
    first.refresh_from_db()
    assert first.state == S.AUTHORITY_REVIEW
    assert not Subject.objects.get(pk=first.subject_id).icp_number
    # Every file was acknowledged, and the result after it was applied.
    assert not SimDownload.objects.filter(acknowledged_at=None).exists()
    second.refresh_from_db()
    assert second.state == S.SMS_VERIFICATION

    # The operators see it in the back office, with its reason in their language.
    operator = _login(staff[Role.OPERATOR])
    assert 'data-notice="set_aside"' in operator.get("/review/").content.decode()
    page = operator.get("/authority/downloads/").content.decode()
    assert TAKEN in page and "已属于本系统中另一条已备案记录" in page and first.number in page
    order = operator.get(f"/review/{first.number}/").content.decode()
    assert 'data-notice="set_aside"' in order and TAKEN in order
    assert (
        'data-notice="set_aside"' not in operator.get(f"/review/{second.number}/").content.decode()
    )
    english = operator.get("/authority/downloads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "already belongs to another filed record" in english and "icp_number_taken" not in english
    )
    # Nobody else does.
    for who in (staff[Role.REVIEWER], first.account):
        assert _login(who).get("/authority/downloads/").status_code == 404
    assert (
        _login(staff[Role.REVIEWER]).post(f"/authority/downloads/{item.pk}/retry/").status_code
        == 404
    )
    outside = make_user("operator-bj", Role.OPERATOR, provinces=["110000"])
    page = _login(outside).get("/authority/downloads/").content.decode()
    assert f'data-set-aside="{item.pk}"' not in page and 'id="none-set-aside"' in page

    # A retry while the cause remains says so and pushes the next try back.
    page = operator.post(f"/authority/downloads/{item.pk}/retry/", follow=True).content.decode()
    item.refresh_from_db()
    assert item.resolved_at is None and item.attempts == 2 and "仍未能处理" in page

    # Once the records agree again, the operator's retry applies it.
    Subject.objects.filter(pk=held.subject_id).update(icp_number="苏ICP备2025000009号")
    Website.objects.filter(subject_id=held.subject_id).update(icp_number="苏ICP备2025000009号-1")
    operator.post(f"/authority/downloads/{item.pk}/retry/")
    item.refresh_from_db()
    assert item.resolved_at is not None and item.resolved_by == staff[Role.OPERATOR]
    first.refresh_from_db()
    assert first.state == S.APPROVED
    assert Subject.objects.get(pk=first.subject_id).icp_number == TAKEN
    assert AuditEvent.objects.filter(object_type="download_set_aside", verb="retry").count() == 2
    assert 'data-notice="set_aside"' not in operator.get("/review/").content.decode()


def test_an_unmatched_result_is_retried_automatically_with_backoff(
    ready, staff, sim_url, authority, clock, settings
):
    first = ready[0]
    assert adapter.submit(first, staff["operator"], client=authority).accepted
    # The answer of the upload was lost: Beian does not know yet that it was accepted.
    Upload.objects.update(status=UploadStatus.UNKNOWN)
    services.sync_downloads(authority)
    (item,) = SetAside.objects.all()
    assert item.reason_code == "authority_result_unmatched"
    base = settings.BEIAN["AUTHORITY_SET_ASIDE_RETRY_BASE_SECONDS"]
    assert (item.next_attempt_at - item.last_attempt_at).total_seconds() == base

    assert services.retry_due() == 0  # not due yet
    item.refresh_from_db()
    assert item.attempts == 1
    clock.advance(seconds=base + 1)
    assert services.retry_due() == 0  # due, still unmatched: the wait doubles
    item.refresh_from_db()
    assert item.attempts == 2
    assert (item.next_attempt_at - item.last_attempt_at).total_seconds() == 2 * base

    services.settle_unknown_uploads(authority)  # isp_querypreviousupload: it was accepted
    clock.advance(seconds=2 * base + 1)
    assert services.retry_due() == 1
    item.refresh_from_db()
    first.refresh_from_db()
    assert item.resolved_at is not None and item.resolved_by is None
    assert first.state == S.SMS_VERIFICATION


def test_a_file_that_cannot_be_read_is_set_aside_whole_and_acknowledged(
    ready, staff, sim_url, authority
):
    SimDownload.objects.create(
        file_name="D100120251014090000999.xml",
        xml='<?xml version="1.0" encoding="GBK"?><DownloadData version="V.3.0"><Nothing/>'
        "</DownloadData>".encode("gbk"),
        created_at=clock_module.now(),
    )
    first = ready[0]
    assert adapter.submit(first, staff["operator"], client=authority).accepted

    services.sync_downloads(authority)

    (item,) = SetAside.objects.all()
    assert item.index is None and item.reason_code == "authority_download_unreadable"
    assert "无法读取" in item.reason("zh-hans")
    assert not SimDownload.objects.filter(acknowledged_at=None).exists()
    first.refresh_from_db()
    assert first.state == S.SMS_VERIFICATION  # the file after it was applied


def test_the_wait_doubles_up_to_its_cap(settings):
    settings.BEIAN = {
        **settings.BEIAN,
        "AUTHORITY_SET_ASIDE_RETRY_BASE_SECONDS": 120,
        "AUTHORITY_SET_ASIDE_RETRY_MAX_SECONDS": 600,
    }
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [120, 240, 480, 600]
