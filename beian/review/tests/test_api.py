"""The back-office API: same scope and decisions as the pages."""

import pytest

from beian.accounts.models import Role
from testing import make_user

pytestmark = pytest.mark.django_db


def test_queue_counts_and_rows(client, submitted, staff):
    client.force_login(staff["reviewer"])
    counts = client.get("/api/v1/review/queues").json()
    assert counts == [
        {"stage": "initial_review", "total": 1, "in_time": 1, "due_today": 0, "overdue": 0}
    ]
    data = client.get("/api/v1/review/queues/initial_review").json()
    assert [r["number"] for r in data["rows"]] == [submitted.number]


def test_out_of_scope_and_wrong_role_are_refused(client, submitted, staff, applicant):
    client.force_login(make_user("rev-gd", Role.REVIEWER, provinces=["440000"]))
    assert client.get("/api/v1/review/queues/initial_review").json()["rows"] == []
    assert (
        client.get(f"/api/v1/review/applications/{submitted.number}/prechecks").status_code == 404
    )
    client.force_login(staff["mailroom"])
    response = client.get("/api/v1/review/queues/initial_review")
    assert (response.status_code, response.json()["code"]) == (403, "review_stage_forbidden")
    client.force_login(applicant)
    assert client.get("/api/v1/review/queues").status_code == 404


def test_prechecks_over_the_api(client, submitted, staff, loopback_dns):
    loopback_dns.records["www.zhangwei-notes.cn"] = "203.0.113.5"
    client.force_login(staff["reviewer"])
    checks = {
        c["key"]: c
        for c in client.get(f"/api/v1/review/applications/{submitted.number}/prechecks").json()
    }
    assert checks["resolution"]["status"] == "fail"
    assert checks["certificates"]["status"] == "pass"


def test_submit_over_the_api(client, submitted, staff):
    client.force_login(staff["operator"])
    response = client.post(
        "/api/v1/review/submit", {"numbers": [submitted.number]}, content_type="application/json"
    )
    assert response.status_code == 200
    # Not ready yet: refused in words, nothing changes.
    assert response.json()[0]["ok"] is False
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    empty = client.post("/api/v1/review/submit", {"numbers": []}, content_type="application/json")
    assert (empty.status_code, empty.json()["code"]) == (400, "review_nothing_selected")


def test_a_bad_cursor_is_refused_in_both_languages_not_a_500(client, staff):
    # The queue pages by signed cursor (no page numbers, no OFFSET): anything else is a 400.
    client.force_login(staff["reviewer"])
    url = "/api/v1/review/queues/initial_review?cursor="
    for bad in ("99999999999999999999", "eyJzIjoiaW5pdGlhbF9yZXZpZXcifQ:1abc:xyz", "x" * 1500):
        response = client.get(url + bad, HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert (response.status_code, response.json()["code"]) == (400, "review_cursor_invalid")
        assert "翻页链接无效" in response.json()["message"]
    english = client.get(url + "nonsense", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english.startswith("This page link is not valid")
    assert client.get(url + "last").status_code == 200
