"""What the applicant is told (filings/guidance.py), and that its durations follow the settings."""

import pytest
from django.utils import translation

from beian.filings import guidance, workflow
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_app(applicant, hosting_owner, clock):
    clock.set(2026, 3, 2, 10)
    return fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)


@pytest.mark.parametrize(
    "asked, verdict",
    [
        ({"reach": "domain", "protocol": "http", "location": "abroad"}, "no"),
        ({"reach": "ip", "protocol": "http", "location": "mainland"}, "no"),
        ({"reach": "domain", "protocol": "other", "location": "mainland"}, "no"),
        (
            {"reach": "domain", "protocol": "http", "location": "mainland", "commercial": "yes"},
            "yes",
        ),
        ({"reach": "domain", "protocol": "http", "location": "mainland"}, "yes"),
    ],
)
def test_need_filing(asked, verdict):
    answer = guidance.need_filing_answer({"commercial": "", **asked})
    assert answer[0] == verdict and answer[1]


def test_need_filing_waits_for_the_three_answers():
    assert guidance.need_filing_answer({"reach": "domain", "protocol": "", "location": ""}) is None


def test_next_step_reads_the_sms_hours_and_the_review_days_from_the_settings(
    seed_app, staff, settings
):
    app = drive_to(seed_app, staff, S.SMS_VERIFICATION)
    assert "24 小时" in guidance.next_step(app)
    settings.BEIAN = {**settings.BEIAN, "SMS_CODE_HOURS": 48, "AUTHORITY_REVIEW_WORKING_DAYS": 30}
    assert "48 小时" in guidance.next_step(app)
    with translation.override("en"):
        assert "Within 48 hours" in guidance.next_step(app)
    app = workflow.fire(app, "sms_verified", actor=staff["authority"])
    assert "最长 30 个工作日" in guidance.next_step(app)


def test_the_application_page_shows_the_configured_sms_hours(
    client, seed_app, applicant, staff, settings
):
    app = drive_to(seed_app, staff, S.SMS_VERIFICATION)
    settings.BEIAN = {**settings.BEIAN, "SMS_CODE_HOURS": 36}
    client.force_login(applicant)
    html = client.get(f"/filings/{app.number}/").content.decode()
    assert "36 小时" in html and "24 小时" not in html


def test_the_photo_page_shows_the_configured_backdrop_delivery(
    client, seed_app, applicant, staff, settings
):
    app = workflow.fire(seed_app, "submit", actor=applicant)
    app = workflow.fire(app, "approve_initial_review", actor=staff["reviewer"])
    workflow.fire(app, "request_backdrop", actor=applicant, data={"shipping_address": "苏州市1号"})
    settings.BEIAN = {**settings.BEIAN, "BACKDROP_DELIVERY_WORKING_DAYS": 5}
    client.force_login(applicant)
    html = client.get(f"/filings/{app.number}/photo/").content.decode()
    assert "幕布将在 5 个工作日内寄出" in html


def test_province_notes_timeline_and_footer(seed_app, staff):
    notes = guidance.province_notes(seed_app.province, guidance.subject_type(seed_app))
    assert any("份原件需邮寄" in n for n in notes)
    app = drive_to(seed_app, staff)
    steps = [row["what"] for row in guidance.timeline(app)]
    assert steps[:2] == ["创建备案订单", "提交初审"] and steps[-1] == "管局审核通过"
    [snippet] = guidance.footer_snippets(app)
    assert snippet["number"] in snippet["html"] and "beian.miit.gov.cn" in snippet["html"]


def test_verification_points_of_the_filing_province_come_first():
    points = guidance.verification_points("320000")
    assert points and points[0]["province"] == "320000"


def test_a_system_reason_in_the_timeline_reads_in_the_reader_s_language(seed_app, staff):
    app = drive_to(seed_app, staff, target=S.SMS_VERIFICATION)
    workflow.fire(app, "sms_failed", reason="工信部短信核验超时 / MIIT SMS verification timed out")
    for language, shown, hidden in (
        ("zh-hans", "工信部短信核验超时", "MIIT"),
        ("en", "MIIT", "超时"),
    ):
        with translation.override(language):
            [reason] = [row["reason"] for row in guidance.timeline(app) if row["reason"]]
        assert shown in reason and hidden not in reason, (language, reason)
