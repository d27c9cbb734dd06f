"""Queues per stage, deadlines marked and counted, claim/release, and who sees what."""

import pytest

from beian.accounts.models import Role
from beian.core.models import AuditEvent
from beian.review import selectors, services
from testing import make_user

pytestmark = pytest.mark.django_db


def test_the_submitted_filing_is_in_the_initial_review_queue_with_its_deadline(
    client, submitted, staff, clock
):
    client.force_login(staff["reviewer"])
    html = client.get("/review/queue/initial_review/").content.decode()
    assert f'data-number="{submitted.number}"' in html
    # Submitted Monday 22 Sep 2025: due by the end of Tuesday — in time on Monday.
    data = selectors.queue(staff["reviewer"], "initial_review")
    assert data["counts"] == {"total": 1, "overdue": 0, "due_today": 0}


def test_due_today_then_overdue_are_marked_and_counted(client, submitted, staff, clock):
    clock.set(2025, 9, 23, 9)  # Tuesday: the last working day
    client.force_login(staff["reviewer"])
    html = client.get("/review/queue/initial_review/").content.decode()
    assert 'id="count-due-today">1<' in html
    assert "row-due-today" in html
    clock.set(2025, 9, 24, 9)  # Wednesday: late
    html = client.get("/review/queue/initial_review/").content.decode()
    assert 'id="count-overdue">1<' in html
    assert "row-overdue" in html
    dash = {r["stage"].key: r for r in selectors.dashboard(staff["reviewer"])}
    assert (dash["initial_review"]["overdue"], dash["initial_review"]["in_time"]) == (1, 0)


def test_the_dashboard_counts_per_stage_for_the_role(client, submitted, staff):
    client.force_login(staff["reviewer"])
    html = client.get("/review/").content.decode()
    assert 'data-stage="initial_review"' in html
    assert 'data-stage="ready"' not in html  # the operator's queue
    client.force_login(staff["admin"])
    html = client.get("/review/").content.decode()
    assert all(f'data-stage="{s.key}"' in html for s in selectors.STAGES)


@pytest.mark.parametrize(
    "role, provinces, status, sees",
    [
        (Role.REVIEWER, ["320000"], 200, True),  # Jiangsu reviewer: in scope
        (Role.REVIEWER, [], 200, True),  # empty scope = every province
        (Role.REVIEWER, ["440000"], 200, False),  # Guangdong reviewer: empty queue
        (Role.ADMIN, ["440000"], 200, False),  # even an admin is scoped
        (Role.MAILROOM, ["320000"], 403, False),  # not this role's queue
        (Role.OPERATOR, [], 403, False),
    ],
)
def test_queue_visibility_by_role_and_province(client, submitted, role, provinces, status, sees):
    user = make_user(f"u-{role}-{'-'.join(provinces) or 'all'}", role, provinces=provinces)
    client.force_login(user)
    response = client.get("/review/queue/initial_review/")
    assert response.status_code == status
    assert (submitted.number in response.content.decode()) is sees


@pytest.mark.parametrize("who", ["applicant", "authority", "out_of_scope", "anonymous"])
def test_the_application_page_is_hidden_from_outsiders(client, submitted, staff, applicant, who):
    if who == "applicant":
        client.force_login(applicant)
    elif who == "authority":
        client.force_login(staff["authority"])
    elif who == "out_of_scope":
        client.force_login(make_user("rev-gd", Role.REVIEWER, provinces=["440000"]))
    response = client.get(f"/review/{submitted.number}/")
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert response.status_code != 200


def test_an_out_of_scope_reviewer_cannot_decide(client, submitted):
    client.force_login(make_user("rev-gd", Role.REVIEWER, provinces=["440000"]))
    assert client.post(f"/review/{submitted.number}/approve/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_mailroom_clerk_cannot_approve(client, submitted, staff):
    client.force_login(staff["mailroom"])
    response = client.post(f"/review/{submitted.number}/approve/")
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_unknown_queue_is_404(client, staff):
    client.force_login(staff["reviewer"])
    assert client.get("/review/queue/nothing/").status_code == 404


def test_filters_by_province_type_and_claim(client, submitted, staff):
    client.force_login(staff["reviewer"])
    base = "/review/queue/initial_review/"
    assert submitted.number in client.get(base + "?province=320000").content.decode()
    assert submitted.number not in client.get(base + "?province=440000").content.decode()
    assert submitted.number in client.get(base + "?filing_type=first_filing").content.decode()
    assert submitted.number not in client.get(base + "?filing_type=add_access").content.decode()
    assert submitted.number not in client.get(base + "?claimed=mine").content.decode()
    services.claim(submitted, staff["reviewer"])
    assert submitted.number in client.get(base + "?claimed=mine").content.decode()
    assert submitted.number not in client.get(base + "?claimed=unclaimed").content.decode()


def test_claim_and_release_are_audited_and_exclusive(client, submitted, staff):
    other = make_user("reviewer-2", Role.REVIEWER)
    client.force_login(staff["reviewer"])
    client.post(f"/review/{submitted.number}/claim/")
    submitted.refresh_from_db()
    assert submitted.claimed_by == staff["reviewer"]
    client.force_login(other)
    response = client.post(f"/review/{submitted.number}/claim/")
    assert response.status_code == 409
    assert "reviewer-1" in response.content.decode()
    assert client.post(f"/review/{submitted.number}/release/").status_code == 403
    client.force_login(staff["reviewer"])
    client.post(f"/review/{submitted.number}/release/")
    submitted.refresh_from_db()
    assert submitted.claimed_by is None
    verbs = list(
        AuditEvent.objects.filter(object_id=str(submitted.pk), verb__in=["claim", "release"])
        .values_list("verb", flat=True)
        .order_by("id")
    )
    assert verbs == ["claim", "release"]


def test_an_admin_may_release_a_colleagues_claim(submitted, staff):
    services.claim(submitted, staff["reviewer"])
    app = services.release(submitted, staff["admin"])
    assert app.claimed_by_id is None
