"""The back-office stages: one definition, read by the review queues and the staff digest."""

import pytest

from beian.filings import jobs, stages, workflow
from beian.filings.states import ApplicationState as S
from beian.filings.states import PhotoState as P
from beian.review import selectors as review_selectors
from testing import fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


def test_the_review_queues_and_the_digest_read_the_same_stages():
    assert review_selectors.STAGES is stages.STAGES
    assert jobs.STAGES is stages.STAGES


def test_who_works_a_stage_is_who_may_fire_its_events():
    roles = {s.key: s.roles for s in stages.STAGES}
    assert roles == {
        "initial_review": {"reviewer"},
        "originals": {"mailroom"},
        "photos": {"photo_verifier"},
        "backdrops": {"mailroom", "photo_verifier"},
        "ready": {"operator"},
        "authority_returned": {"operator"},
    }


@pytest.fixture
def backdrop_requested(applicant, hosting_owner, staff, clock):
    clock.set(2026, 3, 2, 10)
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    app = workflow.fire(app, "submit", actor=applicant)
    app = workflow.fire(app, "approve_initial_review", actor=staff["reviewer"])
    app = workflow.fire(
        app, "request_backdrop", actor=applicant, data={"shipping_address": "苏州市姑苏区1号"}
    )
    assert (app.state, app.photo_state) == (S.VERIFYING, P.BACKDROP_REQUESTED)
    assert app.deadline_kind == "backdrop_delivery"
    return app


def test_a_late_backdrop_is_in_the_queue_and_the_digest_of_everyone_who_may_ship_it(
    backdrop_requested, staff, clock
):
    # Before, the digest had its own backdrop stage (deadline kind, mailroom only)
    # while the queue showed it to mailroom and photo verifiers: now both agree.
    clock.advance(days=10)
    for role in ("mailroom", "photo_verifier"):
        user = staff[role]
        queue = review_selectors.queue(user, "backdrops")
        assert [a.pk for a in queue["rows"]] == [backdrop_requested.pk]
        rows = jobs.filing_deadlines(user)
        assert {"stage": "待寄幕布 / Backdrops to ship", "overdue": 1, "due_today": 0} in rows
    assert jobs.filing_deadlines(staff["reviewer"]) == []


def test_a_shipped_backdrop_leaves_the_queue_and_the_digest(backdrop_requested, staff, clock):
    workflow.fire(
        backdrop_requested,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF1"},
    )
    clock.advance(days=10)
    assert review_selectors.queue(staff["mailroom"], "backdrops")["rows"] == []
    assert jobs.filing_deadlines(staff["mailroom"]) == []
