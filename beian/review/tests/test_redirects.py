"""After a decision or a submission the back office follows `next=` only to a
path of this site (issue 14, finding 7)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "///evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_decision_does_not_follow_next_off_the_site(client, submitted, staff, target):
    client.force_login(staff["reviewer"])
    response = client.post(f"/review/{submitted.number}/claim/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/review/{submitted.number}/"


def test_a_decision_follows_a_local_next(client, submitted, staff):
    client.force_login(staff["reviewer"])
    response = client.post(
        f"/review/{submitted.number}/claim/", {"next": "/review/queue/submitted/"}
    )
    assert response["Location"] == "/review/queue/submitted/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_submit_does_not_follow_next_off_the_site(client, staff, target):
    client.force_login(staff["operator"])
    response = client.post("/review/submit/", {"numbers": ["000"], "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/review/queue/ready/"
