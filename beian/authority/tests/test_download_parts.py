"""Every download part, from fixture files written by hand from the spec's text
(``fixtures/downloads/*.xml``, one per part), packed by an independent route written here
from the spec's text (§3.3.2: zip, MD5 over the zip bytes, base64; GBK as a province sends)
and fed through Beian's own download path: ``decode_payload`` then ``receive_download`` —
what ``sync_downloads`` does with each ``fileInfos`` before acknowledging it."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from beian.accounts.models import Role
from beian.authority import codes, services
from beian.authority.codec import decode_payload
from beian.authority.mapping import server_location
from beian.authority.models import (
    AuthorityTask,
    DownloadFile,
    ListedEntry,
    ListKind,
    ReceivedPart,
    SetAside,
    TaskKind,
    TaskStatus,
)
from beian.core import clock as clock_module
from beian.core import deadlines
from beian.core.models import AuditEvent
from beian.filings.models import Access, AccessStatus, Domain, RecordStatus
from beian.notify import digest
from beian.notify.models import Message
from beian.registry import selectors as registry
from beian.registry.live import live_gate
from beian.review.prechecks import run_prechecks
from testing import drive_to, fill_seed_filing, make_code, make_user, start_seed_filing
from testing.readable import internal_values, page_text

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "downloads"
PARTS = sorted(p.stem for p in FIXTURES.glob("*.xml"))


def province_file(part: str) -> tuple[str, str, str]:
    """(file name, beianInfo, beianInfoHash) of a fixture as a province sends it: the XML
    in GBK, zipped (one entry named by letters and digits), MD5 over the zip bytes, both
    base64 — written from the spec's text, sharing nothing with Beian's codec."""
    text = (FIXTURES / f"{part}.xml").read_text(encoding="utf-8")
    xml = text.replace('encoding="UTF-8"', 'encoding="GBK"', 1).encode("gbk")
    name = "D1001" + "".join(c for c in part if c.isalnum()) + "20251015080000.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, xml)
    packed = buffer.getvalue()
    info = base64.b64encode(packed).decode("ascii")
    digest = base64.b64encode(hashlib.md5(packed).digest()).decode("ascii")
    return name, info, digest


def receive(part: str) -> DownloadFile:
    name, info, digest = province_file(part)
    entry, xml = decode_payload(info, digest, hash_algorithm=0, encrypt_algorithm=0)
    assert entry == name
    return services.receive_download(name, xml)


@pytest.fixture
def filed(clock, applicant, staff, hosting_owner):
    """A website filed here, carrying the administration's ids the fixtures name."""
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="fixture-notes.cn")
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff)
    subject = app.subject
    website = app.websites.get()
    type(subject).objects.filter(pk=subject.pk).update(authority_record_id="90001")
    type(website).objects.filter(pk=website.pk).update(authority_record_id="90011")
    website.refresh_from_db()
    return website


@pytest.mark.parametrize("part", PARTS)
def test_every_fixture_goes_through_and_is_accounted_for(part, filed):
    stored = receive(part)
    assert stored.processed_at is not None
    # Each part is applied (a summary line) or set aside with its reason; none is dropped.
    set_aside = SetAside.objects.filter(download=stored, resolved_at=None)
    assert stored.summary or set_aside.exists(), part
    if part == "BAJG":  # no upload awaits it: set aside, not lost
        assert set_aside.get().reason_code == "authority_result_unmatched"
    elif part != "BASJ":
        assert not set_aside.exists(), stored.problems


def test_zxsj_cancels_the_website_and_closes_the_gate(filed, applicant, staff, settings, clock):
    settings.BEIAN = {**settings.BEIAN, "GATE_REFRESH_SECONDS": 60}
    live_gate.reset()
    gate = Client()
    assert "fixture-notes.cn" in registry.gate_snapshot().domains
    assert gate.get("/gate/check", {"host": "www.fixture-notes.cn"}).status_code == 204

    clock.advance(hours=2)  # the province's file arrives later
    stored = receive("ZXSJ")

    filed.refresh_from_db()
    assert filed.status == RecordStatus.CANCELLED
    assert Domain.objects.get(website=filed).status == RecordStatus.CANCELLED
    assert not Access.objects.filter(website=filed, status=AccessStatus.OPEN).exists()
    # The edge's allow-list follows at once; a gate process within its refresh (≤ 1 min).
    assert "fixture-notes.cn" not in registry.gate_snapshot().domains
    real_time = live_gate._checked_at
    live_gate._checked_at = real_time - 61  # a minute later
    assert gate.get("/gate/check", {"host": "www.fixture-notes.cn"}).status_code == 403
    # Audited, the applicant told (both languages in the catalogue), staff see it.
    event = AuditEvent.objects.get(verb="cancelled_by_authority")
    assert event.object_type == "website" and event.object_id == str(filed.pk)
    told = Message.objects.filter(template="record_cancelled_by_authority", recipient=applicant)
    assert told.filter(channel="inbox").exists()
    assert "空壳网站清理" in told.get(channel="inbox").body
    operator = staff["operator"]
    assert Message.objects.filter(template="authority_staff_notice", recipient=operator).exists()
    task = AuthorityTask.objects.get(download=stored, part="ZXSJ")
    assert task.kind == TaskKind.CANCELLED and task.website == filed


def test_zxsj_twice_changes_nothing_the_second_time(filed):
    receive("ZXSJ")
    name, info, digest = province_file("ZXSJ")
    _, xml = decode_payload(info, digest)
    stored = services.receive_download("D1001ZXSJagain.xml", xml)
    assert any("already cancelled" in line for line in stored.summary)
    assert AuditEvent.objects.filter(verb="cancelled_by_authority").count() == 1


def test_zxsj_for_an_unknown_record_is_set_aside_and_retried(filed):
    type(filed).objects.filter(pk=filed.pk).update(authority_record_id="")
    stored = receive("ZXSJ")
    item = SetAside.objects.get(download=stored)
    assert item.part == "ZXSJ" and item.reason_code == "authority_record_unknown"
    assert "找不到" in item.reason("zh-hans") and "matches no filing" in item.reason("en")
    filed.refresh_from_db()
    assert filed.status == RecordStatus.FILED  # nothing half-written
    type(filed).objects.filter(pk=filed.pk).update(authority_record_id="90011")
    item = services.retry_set_aside(item)
    assert item.resolved_at is not None
    filed.refresh_from_db()
    assert filed.status == RecordStatus.CANCELLED


def test_xgtz_is_work_with_a_deadline_and_the_applicant_is_told(filed, applicant):
    stored = receive("XGTZ")
    task = AuthorityTask.objects.get(download=stored)
    assert task.kind == TaskKind.CHANGE_NOTICE and task.status == TaskStatus.OPEN
    assert task.website == filed and task.subject == filed.subject
    assert task.deadline == deadlines.deadline_for("authority_notice", clock_module.now())
    assert "网站名称与首页内容不符" in task.text
    message = Message.objects.get(template="authority_change_notice", channel="inbox")
    assert message.recipient == applicant and "网站名称与首页内容不符" in message.body


def test_hsrw_is_a_verification_task_with_its_filing_encrypted(filed):
    stored = receive("HSRW")
    task = AuthorityTask.objects.get(download=stored)
    assert task.kind == TaskKind.VERIFICATION and task.subject == filed.subject
    assert task.deadline == deadlines.deadline_for("authority_verification", clock_module.now())
    assert task.data["Zt_xx"]["Zj"]["Zjhm"] == "320502199001011234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT data, text FROM authority_authoritytask WHERE id = %s", [task.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "320502199001011234" not in raw and "张伟" not in raw


def test_hcjg_results_are_recorded_on_the_filing(filed):
    stored = receive("HCJG")
    tasks = {t.data["_tag"]: t for t in AuthorityTask.objects.filter(download=stored)}
    assert set(tasks) == {"Zthc", "Jrhc", "Kkwzhc", "Wzch"}
    assert tasks["Zthc"].subject == filed.subject and tasks["Zthc"].status == TaskStatus.OPEN
    assert "少报" in tasks["Jrhc"].text and tasks["Jrhc"].website == filed
    assert tasks["Kkwzhc"].status == TaskStatus.OPEN  # a dead shell site needs work
    assert tasks["Wzch"].status == TaskStatus.DONE and tasks["Wzch"].deadline is None


def test_blacklists_are_stored_encrypted_and_warn_the_reviewer(filed, applicant, hosting_owner):
    receive("HMDLB")
    receive("FFJRHMD")
    receive("WBAWZLB")
    kinds = dict(ListedEntry.objects.values_list("domain", "kind"))
    assert kinds["blacklisted-site.cn"] == ListKind.WEBSITE_BLACKLIST
    assert kinds["illegal-access.cn"] == ListKind.ILLEGAL_ACCESS
    assert kinds["unfiled-shop.cn"] == ListKind.UNFILED
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, certificate_number, data FROM authority_listedentry")
        raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert "110101198001011237" not in raw and "王五" not in raw
    # The reviewer's pre-check warns on a listed domain.
    app = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.60"), domain="blacklisted-site.cn"
    )
    check = next(c for c in run_prechecks(app, resolve=False) if c.key == "authority_lists")
    assert check.status == "warn" and "blacklisted-site.cn" in check.findings[0].text


def test_a_removed_blacklist_entry_no_longer_warns(filed, applicant, hosting_owner):
    receive("HMDLB")
    xml = (FIXTURES / "HMDLB.xml").read_bytes().replace(b"<Czlx>0</Czlx>", b"<Czlx>2</Czlx>")
    services.receive_download("D1001HMDLBremoved.xml", xml)
    assert not ListedEntry.objects.filter(active=True).exists()
    app = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.61"), domain="blacklisted-site.cn"
    )
    check = next(c for c in run_prechecks(app, resolve=False) if c.key == "authority_lists")
    assert check.status == "pass"


def test_jcdm_becomes_the_tables_uploads_use(db):
    receive("JCDM")
    tables = codes.current()
    assert tables.name("access_methods", 5) == "云接入"
    assert tables.name("languages", 2) == "英语"
    # Tables the download did not carry stay (server locations are not downloadable).
    assert isinstance(server_location("320000"), int)
    assert tables.table("server_locations") and tables.table("regions")


def test_ip_ym_and_sjtb_parts_are_kept_for_staff(db):
    receive("IP-BAJG")
    receive("IP-HCJG")
    receive("YM")
    receive("SJTB")
    parts = set(ReceivedPart.objects.values_list("part", flat=True))
    assert {"IP/BAJG", "IP/HCJG", "YM/BAJG", "SJTB/YM"} <= parts
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM authority_receivedpart")
        raw = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "13912345678" not in raw  # a registrant's phone, encrypted at rest


def test_the_back_office_page_shows_each_part_and_closes_work(filed, staff, applicant):
    for part in ("XGTZ", "HCJG", "HMDLB", "FFJRHMD", "JCDM", "IP-HCJG", "SJTB"):
        receive(part)
    operator = Client()
    operator.force_login(staff["operator"])
    page = operator.get("/authority/work/").content.decode()
    text = page_text(page)
    assert "网站名称与首页内容不符" in text and "少报" in text
    assert "blacklisted-site.cn" in text and "illegal-access.cn" in text
    assert "110101198001011237" not in text  # masked on the page too
    assert "上报使用管局下发的代码表" in text
    assert "未报起始ip" in text and "203.0.113.0" in text  # IPs dotted, not as integers
    assert internal_values(text) == []
    task = AuthorityTask.objects.filter(part="XGTZ").get()
    elsewhere = Client()
    elsewhere.force_login(make_user("bj-operator", Role.OPERATOR, provinces=["110000"]))
    assert "网站名称与首页内容不符" not in page_text(
        elsewhere.get("/authority/work/").content.decode()
    )
    assert elsewhere.post(f"/authority/work/{task.pk}/done/", {"outcome": "x"}).status_code == 404
    refused = operator.post(f"/authority/work/{task.pk}/done/", {"outcome": " "}, follow=True)
    assert "请填写处理结果" in refused.content.decode()
    operator.post(f"/authority/work/{task.pk}/done/", {"outcome": "已通知客户提交变更"})
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == staff["operator"]
    assert AuditEvent.objects.filter(object_type="authority_task", verb="done").exists()
    nosy = Client()
    nosy.force_login(applicant)
    assert nosy.get("/authority/work/").status_code == 404


def test_an_overdue_change_notice_is_in_the_staff_digest(filed, staff, clock):
    receive("XGTZ")
    operator = staff["operator"]
    row = {"stage": "管局下发事项", "due_today": 0, "overdue": 0}
    assert [r for r in digest.rows_for(operator) if r["stage"] == row["stage"]] == []
    clock.advance(days=30)
    rows = [r for r in digest.rows_for(operator) if r["stage"] == row["stage"]]
    assert rows == [{**row, "overdue": 1}]


def test_staff_messages_name_no_person(filed, staff):
    receive("HSRW")
    receive("HCJG")
    bodies = Message.objects.filter(template="authority_staff_notice").values_list(
        "body", flat=True
    )
    assert len(bodies) >= 2
    for body in bodies:
        # The subject (a person, 张伟) is not named; the website's name may be.
        assert "张伟" not in body.replace("张伟的读书笔记", "")
        assert "320502199001011234" not in body
    assert any("核实任务：张伟的读书笔记" in b for b in bodies)
    assert any("主体核查：证件住所与证件不符" in b for b in bodies)
