"""Injected faults: no filing lost or submitted twice, and the operator sees what happened."""

import pytest

from beian.authority import adapter, services
from beian.authority.models import (
    DownloadFile,
    Exchange,
    SimRequest,
    SimUpload,
    Upload,
    UploadStatus,
)
from beian.authority.sim import services as sim
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def two_ready(clock, applicant, staff, hosting_owner):
    clock.set(2025, 10, 14, 9)
    apps = []
    for n, domain in enumerate(["zhangwei-notes.cn", "zhangwei-photos.cn"]):
        app = start_seed_filing(
            applicant, make_code(hosting_owner, ip=f"203.0.113.{10 + n}"), domain=domain
        )
        fill_seed_filing(app, applicant, website_name=["张伟的读书笔记", "张伟的摄影作品"][n])
        apps.append(drive_to(app, staff, target=S.READY))
    return apps


def received_once(app) -> bool:
    return SimRequest.objects.filter(key=str(app.subject_id), operation=1).count() == 1


@pytest.mark.parametrize("kind", ["soap_fault", "server_error"])
def test_lost_upload_answer_is_resent_once(two_ready, staff, sim_url, authority, kind):
    app = two_ready[0]
    sim.inject_fault(kind, "isp_upload")
    result = adapter.submit(app, staff["operator"], client=authority)
    # The fault came before processing: reconciliation saw nothing arrived and re-sent it.
    assert result.accepted and result.application.state == S.AUTHORITY_SUBMITTED
    assert received_once(app)
    attempts = Exchange.objects.filter(method="isp_upload").order_by("pk")
    assert attempts.count() == 2 and attempts[0].error and attempts[1].return_code == 0
    assert Exchange.objects.filter(method="isp_querypreviousupload").exists()


def test_slow_answer_is_settled_without_sending_twice(two_ready, staff, sim_url, authority):
    app = two_ready[0]
    sim.inject_fault("slow", "isp_upload", seconds=1.5)
    authority.timeout = 0.5
    result = adapter.submit(app, staff["operator"], client=authority)
    # The administration did accept it; isp_querypreviousupload proves it: no resend.
    assert result.accepted
    assert Exchange.objects.filter(method="isp_upload").count() == 1
    assert "timeout" in Exchange.objects.get(method="isp_upload").error.lower()
    assert SimUpload.objects.count() == 1 and received_once(app)


def test_sequence_gap_is_repaired_by_resending_the_missing_file(
    two_ready, staff, sim_url, authority
):
    first, second = two_ready
    assert adapter.submit(first, staff["operator"], client=authority).accepted
    sim.inject_fault("gap", "isp_upload")  # the administration loses upload 1
    result = adapter.submit(second, staff["operator"], client=authority)
    assert result.accepted and result.data_sequence == 2
    codes = list(
        Exchange.objects.filter(method="isp_upload")
        .order_by("pk")
        .values_list("data_sequence", "return_code")
    )
    assert codes == [(1, 0), (2, 14), (1, 0), (2, 0)]
    assert sorted(SimUpload.objects.values_list("data_sequence", flat=True)) == [1, 2]
    assert received_once(first) and received_once(second)


def test_wrong_download_hash_is_not_acknowledged_and_comes_again(
    two_ready, staff, sim_url, authority
):
    app = two_ready[0]
    assert adapter.submit(app, staff["operator"], client=authority).accepted
    sim.inject_fault("wrong_hash", "isp_download")
    result = services.sync_downloads(authority)
    assert result.problems and "哈希" in result.problems[0]
    assert not DownloadFile.objects.exists()
    app.refresh_from_db()
    assert app.state == S.AUTHORITY_SUBMITTED
    assert "HashMismatch" in Exchange.objects.filter(method="isp_download").first().error
    # Next time the same file comes with the right hash: processed, then acknowledged.
    assert not services.sync_downloads(authority).problems
    app.refresh_from_db()
    assert app.state == S.SMS_VERIFICATION
    assert DownloadFile.objects.get().acknowledged_at is not None


def test_refusal_code_is_shown_in_words(two_ready, staff, sim_url, authority):
    authority.password = "not-the-password"
    result = adapter.submit(two_ready[0], staff["operator"], client=authority)
    assert result.status == UploadStatus.REFUSED and result.return_code == 5
    assert result.message.startswith("密码错误")
    assert Upload.objects.get().status == UploadStatus.REFUSED
    assert Exchange.objects.get(method="isp_upload").outcome[0] == "密码错误"
    # Not sent: the application waits for the operator.
    two_ready[0].refresh_from_db()
    assert two_ready[0].state == S.READY


def test_unreachable_administration_leaves_the_upload_unknown_until_settled(
    two_ready, staff, sim_url, authority
):
    authority.url = "http://127.0.0.1:9"  # nothing listens there
    authority.retries = 1
    result = adapter.submit(two_ready[0], staff["operator"], client=authority)
    assert result.status == UploadStatus.UNKNOWN and "勿重复提交" in result.message
    from beian.core.errors import Refusal

    with pytest.raises(Refusal) as caught:
        adapter.submit(two_ready[0], staff["operator"], client=authority)
    assert caught.value.code == "authority_upload_pending"
    authority.url = sim_url
    services.settle_unknown_uploads(authority)
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.ACCEPTED and upload.workflow_done
    two_ready[0].refresh_from_db()
    assert two_ready[0].state == S.AUTHORITY_SUBMITTED
    assert SimUpload.objects.count() == 1
