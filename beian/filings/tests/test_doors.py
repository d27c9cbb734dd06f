"""One door per decision: events that belong to a service are refused by the
generic API events endpoint; the service still works and the table releases
the claim."""

import pytest

from beian.accounts.models import ApiToken
from beian.filings import workflow
from beian.filings.states import ApplicationState as S
from beian.filings.transitions import TABLE
from beian.review import services
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def submitted(applicant, hosting_owner):
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    return workflow.fire(app, "submit", actor=applicant)


def _fire(client, app, event, user, **body):
    return client.post(
        f"/api/v1/filings/applications/{app.number}/events/{event}",
        body,
        content_type="application/json",
        **bearer(user),
    )


def test_the_generic_endpoint_refuses_a_review_decision(client, submitted, staff):
    response = _fire(client, submitted, "approve_initial_review", staff["reviewer"])
    assert response.status_code == 403
    assert response.json()["code"] == "event_has_its_own_door"
    assert "初审通过" in response.json()["message"]
    en = client.post(
        f"/api/v1/filings/applications/{submitted.number}/events/approve_initial_review",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(staff["reviewer"]),
    )
    assert "generic events endpoint" in en.json()["message"]
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_the_generic_endpoint_refuses_a_submission_without_its_upload(client, submitted, staff):
    ready = drive_to(submitted, staff, S.READY)
    response = _fire(client, ready, "submit_to_authority", staff["operator"])
    assert response.status_code == 403
    assert response.json()["code"] == "event_has_its_own_door"
    ready.refresh_from_db()
    assert ready.state == S.READY


def test_the_services_still_decide_and_the_table_releases_the_claim(submitted, staff):
    services.claim(submitted, staff["reviewer"])
    app = services.approve(submitted, staff["reviewer"])
    assert app.state == S.VERIFYING and app.claimed_by_id is None
    ready = drive_to(app, staff, S.READY)
    services.claim(ready, staff["operator"])
    attempt = services.submit(ready, staff["operator"])
    ready.refresh_from_db()
    assert attempt.ok and ready.state == S.AUTHORITY_SUBMITTED and ready.claimed_by_id is None


def test_the_claim_is_released_by_the_event_whoever_fires_it(submitted, staff):
    services.claim(submitted, staff["reviewer"])
    app = workflow.fire(submitted, "approve_initial_review", actor=staff["reviewer"])
    assert app.claimed_by_id is None


def test_the_applicants_and_the_administrations_events_keep_the_generic_door():
    doors = {row.event: row.door for row in TABLE}
    for event in ("submit", "resubmit", "withdraw", "reopen", "choose_verification_point"):
        assert doors[event] == "", event
    assert doors["authority_approve"] == ""
    assert doors["approve_initial_review"] == doors["verify_photo"] == "review"
    assert doors["submit_to_authority"] == doors["resubmit_to_authority"] == "submission"
