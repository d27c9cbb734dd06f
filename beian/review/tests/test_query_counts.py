"""Every list stays fast with many applications: the number of queries per
page does not grow with the rows (no N+1), from 50 to 5,000 per queue, and with
all six queues filled at once (at 100,000 applications: bench/queues.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beian.accounts.models import Role
from beian.filings.models import Application
from beian.review.selectors import STAGES
from testing import make_user
from testing.queues import STAGE_STATES, make_subject
from testing.queues import bulk_applications as _bulk

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14  # session, user, counts, rows, websites, domains, failures, … — never per row


@pytest.fixture
def subject(db, applicant):
    return make_subject(applicant)


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
    assert _queries(client, url) <= small  # a short page may also read the undated run
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


def test_every_list_keeps_its_queries_from_a_handful_to_thousands(
    client, subject, django_assert_max_num_queries
):
    """All six queues filled at once (3,600 applications): every queue page and the
    dashboard run the same few queries as with a handful. The same at 100,000
    applications, with page times, is `bench/queues.py` (docs/benchmarks.md)."""
    client.force_login(make_user("admin-all", Role.ADMIN))
    urls = [f"/review/queue/{stage}/" for stage in STAGE_STATES] + ["/review/"]
    for stage in STAGE_STATES:
        _bulk(subject, stage, 5)
    for url in urls:
        _queries(client, url)  # warm the per-process caches
    small = {url: _queries(client, url) for url in urls}
    for stage in STAGE_STATES:
        _bulk(subject, stage, 595)
    assert Application.objects.count() == 3600
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url)
        assert response.status_code == 200
        assert _queries(client, url) <= small[url], url
