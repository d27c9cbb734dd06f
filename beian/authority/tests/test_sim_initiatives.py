"""The operator plays the administration in the simulator's console: a forced cancellation,
a change notice and a verification task reach Beian over real HTTP on loopback
(``isp_download``), are applied, and acknowledged only then."""

import pytest

from beian.authority import services
from beian.authority.models import AuthorityTask, DownloadFile, SimDownload, TaskKind
from beian.authority.tests.test_loopback_life import console
from beian.filings.models import Access, AccessStatus, RecordStatus
from beian.registry import selectors as registry
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def website(clock, applicant, staff, hosting_owner, sim_url):
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="zhangwei-notes.cn")
    fill_seed_filing(app, applicant)
    return drive_to(app, staff).websites.get()


def _act(sim_url, **form):
    page = console(sim_url).post("/console/initiative", "/console/", form)
    assert "已下发" in page, page[:500]


def test_console_cancellation_closes_the_gate_after_a_sync(website, sim_url, authority, clock):
    assert "zhangwei-notes.cn" in registry.gate_snapshot().domains
    clock.advance(hours=1)
    _act(
        sim_url,
        action="cancel",
        kind="website",
        record_id=website.authority_record_id,
        text="虚假信息",
    )
    result = services.sync_downloads(authority)
    assert result.files and not result.problems, result.problems
    website.refresh_from_db()
    assert website.status == RecordStatus.CANCELLED
    assert not Access.objects.filter(website=website, status=AccessStatus.OPEN).exists()
    assert "zhangwei-notes.cn" not in registry.gate_snapshot().domains
    # Acknowledged after it was applied: the administration does not send it again.
    stored = DownloadFile.objects.get(file_name=result.files[0])
    assert stored.acknowledged_at is not None and stored.processed_at <= stored.acknowledged_at
    assert SimDownload.objects.get(file_name=stored.file_name).acknowledged_at is not None


def test_console_notice_and_verification_task_become_work(website, sim_url, authority):
    subject = website.subject
    _act(
        sim_url,
        action="notice",
        kind="website",
        record_id=website.authority_record_id,
        text="首页内容与网站名称不符",
    )
    _act(sim_url, action="verify", kind="subject", record_id=subject.authority_record_id)
    result = services.sync_downloads(authority)
    assert len(result.files) == 2 and not result.problems, result.problems
    notice = AuthorityTask.objects.get(kind=TaskKind.CHANGE_NOTICE)
    assert notice.website == website and "首页内容与网站名称不符" in notice.text
    task = AuthorityTask.objects.get(kind=TaskKind.VERIFICATION)
    assert task.subject == subject and task.deadline is not None
    assert task.data["Wz_xx"]["Ym_xx"]["Ym"] == "zhangwei-notes.cn"


def test_console_refuses_a_notice_without_text(website, sim_url):
    page = console(sim_url).post(
        "/console/initiative",
        "/console/",
        {"action": "notice", "kind": "website", "record_id": website.authority_record_id},
    )
    assert "整改通知需要内容" in page
    assert not SimDownload.objects.filter(summary__contains="整改").exists()
