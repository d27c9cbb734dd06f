"""Every list stays fast with many applications: the number of queries per
page does not grow with the rows (no N+1), from 50 to 5,000 per queue, and at
100,000 applications across all queues."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beian.accounts.models import Role
from beian.core import clock as core_clock
from beian.filings.models import Application, Domain, PhotoVerification, Subject, Website
from beian.review.selectors import STAGES
from beian.testing import make_user

pytestmark = pytest.mark.django_db

# (state, originals_state, photo_state) that puts an application in each queue.
STAGE_STATES = {
    "initial_review": ("submitted", "not_required", "not_required"),
    "originals": ("verifying", "awaiting", "not_started"),
    "photos": ("verifying", "received", "photo_uploaded"),
    "backdrops": ("verifying", "received", "backdrop_requested"),
    "ready": ("ready", "received", "verified"),
    "authority_returned": ("authority_returned", "received", "verified"),
}
MAX_QUERIES = 14  # session, user, counts, rows, websites, domains, failures, … — never per row


@pytest.fixture
def subject(db, applicant):
    return Subject.objects.create(
        account=applicant,
        nature="individual",
        name="张伟",
        certificate_type="resident_id",
        certificate_number="320508199003071239",
        province="320000",
    )


_serial = iter(range(10**9))


def _bulk(subject, stage: str, count: int) -> None:
    state, originals, photo = STAGE_STATES[stage]
    now = core_clock.now()
    apps = Application.objects.bulk_create(
        [
            Application(
                number=f"Q{next(_serial):012d}",
                account=subject.account,
                filing_type="first_filing",
                state=state,
                originals_state=originals,
                photo_state=photo,
                province="320000",
                subject=subject,
                created_at=now,
                deadline=now + dt.timedelta(hours=i % 72 - 24),
                deadline_kind="initial_review",
            )
            for i in range(count)
        ]
    )
    websites = Website.objects.bulk_create(
        [Website(subject=subject, name=f"站点{a.pk}") for a in apps]
    )
    Domain.objects.bulk_create([Domain(website=w, name=f"site{w.pk}.cn") for w in websites])
    Application.websites.through.objects.bulk_create(
        [Application.websites.through(application=a, website=w) for a, w in zip(apps, websites)]
    )
    PhotoVerification.objects.bulk_create(
        [
            PhotoVerification(application=a, shipping_address="江苏省苏州市姑苏区人民路100号")
            for a in apps
        ]
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("stage", [s.key for s in STAGES])
def test_queue_queries_do_not_grow_with_rows(client, subject, stage, django_assert_max_num_queries):
    admin = make_user("admin-q", Role.ADMIN)
    client.force_login(admin)
    url = f"/review/queue/{stage}/"
    _bulk(subject, stage, 50)
    _queries(client, url)  # warm the per-process caches (calendar overrides)
    small = _queries(client, url)
    _bulk(subject, stage, 4950)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.content.decode().count('data-number="') == 50  # one page
    assert _queries(client, url) == small
    assert 'id="count-total">5000<' in response.content.decode()


def test_dashboard_queries_do_not_grow_with_rows(client, subject, django_assert_max_num_queries):
    client.force_login(make_user("admin-d", Role.ADMIN))
    for stage in STAGE_STATES:
        _bulk(subject, stage, 10)
    _queries(client, "/review/")  # warm the per-process caches (calendar overrides)
    small = _queries(client, "/review/")
    for stage in STAGE_STATES:
        _bulk(subject, stage, 1000)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/review/")
    assert _queries(client, "/review/") == small


def test_every_list_at_100000_applications(client, subject, django_assert_max_num_queries):
    """The issue's scale: 100,000 applications across the six queues; every queue
    page and the dashboard still run the same few queries as with a handful."""
    client.force_login(make_user("admin-100k", Role.ADMIN))
    urls = [f"/review/queue/{stage}/" for stage in STAGE_STATES] + ["/review/"]
    for stage in STAGE_STATES:
        _bulk(subject, stage, 5)
    for url in urls:
        _queries(client, url)  # warm the per-process caches
    small = {url: _queries(client, url) for url in urls}
    per_stage = 100_000 // len(STAGE_STATES)
    for stage in STAGE_STATES:
        _bulk(subject, stage, per_stage - 5)
    assert Application.objects.count() >= 99_990
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert _queries(client, url) == small[url], url
