"""Dates and times are Beijing time wherever a person or an integrator reads them
(issue 13): the public query and the applicant's timeline agree, the back office's
history, the API (ISO 8601 with +08:00) and the messages say the same moment.

The filing is approved at 01:30 on 3 March in Beijing, which is 17:30 on 2 March in UTC:
a date taken in UTC would say the 2nd."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.accounts.models import ApiToken
from beian.core.clock import CHINA
from beian.filings.states import ApplicationState as S
from beian.notify import catalog
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 3, 1, 30, tzinfo=CHINA)


@pytest.fixture
def approved(applicant, hosting_owner, staff, clock):
    clock.set(MOMENT)
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="zhangwei-notes.cn")
    return drive_to(fill_seed_filing(app, applicant), staff, S.APPROVED)


def test_the_public_query_and_the_timeline_say_the_same_day(client, approved, applicant):
    page = client.get("/query/", {"q": "zhangwei-notes.cn"}).content.decode()
    assert ">2026-03-03<" in page and "2026-03-02" not in page
    answer = client.get("/api/v1/registry/query", {"q": "zhangwei-notes.cn"}).json()
    assert answer["results"][0]["approved_on"] == "2026-03-03"
    client.force_login(applicant)
    timeline = client.get(f"/filings/{approved.number}/").content.decode()
    assert "2026-03-03 01:30" in timeline and "2026-03-02 17:30" not in timeline


def test_the_back_office_history_is_beijing_time(client, approved, staff):
    client.force_login(staff["reviewer"])
    page = client.get(f"/review/{approved.number}/").content.decode()
    assert "2026-03-03 01:30" in page and "17:30" not in page


def test_the_api_answers_moments_with_the_beijing_offset(client, approved, applicant):
    headers = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(applicant, "t")[1]}
    body = client.get(f"/api/v1/filings/applications/{approved.number}", **headers).json()
    reasons = body["return_reasons"]
    assert reasons == [] or all(r["created_at"].endswith("+08:00") for r in reasons)
    inbox = client.get("/api/v1/notify/inbox", **headers).json()
    assert inbox and all(m["created_at"] == "2026-03-03T01:30:00+08:00" for m in inbox)


def test_a_deadline_in_the_api_carries_the_offset(client, applicant, hosting_owner, staff, clock):
    clock.set(MOMENT)
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="zhangwei-notes.cn")
    app = drive_to(fill_seed_filing(app, applicant), staff, S.SUBMITTED)
    headers = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(applicant, "t")[1]}
    body = client.get(f"/api/v1/filings/applications/{app.number}", **headers).json()
    assert body["deadline"].endswith("+08:00")
    assert dt.datetime.fromisoformat(body["deadline"]) == app.deadline


def test_messages_tell_a_moment_in_beijing_time():
    late = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)
    for language in ("zh-hans", "en"):
        shown = catalog.render(
            "order_expiring", {"order_number": "1", "expires_at": late}, language
        )
        assert "2026-03-03 01:30" in shown.text and "17:30" not in shown.text
        shown = catalog.render(
            "order_expiring", {"order_number": "1", "expires_at": late.isoformat()}, language
        )
        assert "2026-03-03 01:30" in shown.text
