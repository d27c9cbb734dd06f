"""Keyset pages of the queues (decision 0024): every row exactly once, in the queue's
order, forwards and backwards; cursors are signed and bound to their queue; counts
come from the counters and agree with a live count, within the caller's provinces."""

from __future__ import annotations

import pytest
from django.core import signing

from beian.accounts.models import Role
from beian.filings.models import Application
from beian.review import selectors, services
from testing import make_user
from testing.queues import bulk_applications, make_subject

pytestmark = pytest.mark.django_db
STAGE = "initial_review"


@pytest.fixture
def filled(applicant, clock):
    """173 in Jiangsu (20 without a deadline), 40 in Guangdong; deadlines from a
    day ago to two days ahead, many of them equal."""
    clock.set(2025, 9, 23, 12)
    subject = make_subject(applicant)
    bulk_applications(subject, STAGE, 173)
    bulk_applications(subject, STAGE, 40, province="440000")
    ids = list(Application.objects.filter(province="320000").values_list("pk", flat=True)[:20])
    Application.objects.filter(pk__in=ids).update(deadline=None)
    Application.objects.filter(pk__in=ids[:10]).update(deadline=None)
    from beian.filings import counts

    counts.rebuild()
    return subject


def _expected(provinces=None) -> list[str]:
    qs = Application.objects.filter(state="submitted")
    if provinces:
        qs = qs.filter(province__in=provinces)
    dated = list(qs.filter(deadline__isnull=False).order_by("deadline", "pk"))
    return [a.number for a in dated] + [
        a.number for a in qs.filter(deadline__isnull=True).order_by("pk")
    ]


def _walk(user, start: str, link: str, **filters) -> list[str]:
    seen, cursor = [], start
    for _ in range(100):
        page = selectors.queue(user, STAGE, cursor=cursor, **filters)
        numbers = [a.number for a in page["rows"]]
        seen = seen + numbers if link == "next_cursor" else numbers + seen
        cursor = page[link]
        if not cursor:
            return seen
    raise AssertionError("the walk did not end")


def test_forward_and_backward_walks_see_every_row_once_in_order(filled):
    admin = make_user("admin-k", Role.ADMIN)
    expected = _expected()
    assert len(expected) == 213
    assert _walk(admin, "", "next_cursor") == expected
    assert _walk(admin, selectors.LAST, "previous_cursor") == expected
    # Across the boundary between the dated rows and the undated ones, both ways.
    page = selectors.queue(admin, STAGE, cursor=selectors.LAST)
    back = selectors.queue(admin, STAGE, cursor=page["previous_cursor"])
    assert [a.number for a in back["rows"]] == expected[-100:-50]
    again = selectors.queue(admin, STAGE, cursor=back["next_cursor"])
    assert [a.number for a in again["rows"]] == expected[-50:]


def test_a_province_reviewer_pages_and_counts_only_their_province(client, filled):
    reviewer = make_user("rev-gd", Role.REVIEWER, provinces=["440000"])
    assert _walk(reviewer, "", "next_cursor") == _expected(["440000"])
    dash = {r["stage"].key: r for r in selectors.dashboard(reviewer)}[STAGE]
    assert dash["total"] == 40
    # Asking for a province outside the scope shows nothing and counts nothing.
    page = selectors.queue(reviewer, STAGE, province="320000")
    assert (page["rows"], page["counts"]["total"]) == ([], 0)
    client.force_login(reviewer)
    html = client.get(f"/review/queue/{STAGE}/").content.decode()
    assert 'id="count-total">40<' in html and html.count('data-number="') == 40


@pytest.mark.parametrize("provinces", [[], ["320000"], ["440000"]])
def test_counters_agree_with_a_live_count_at_any_hour(filled, clock, provinces):
    """The bulk rows have deadlines at every hour, so today holds passed and coming
    ones: overdue and due today are exact, as the rows' own marks are."""
    admin = make_user(f"admin-{'-'.join(provinces)}", Role.ADMIN, provinces=provinces)
    for hour in (0, 9, 17, 23):
        clock.set(2025, 9, 23, hour, 30)
        stage = selectors.get_stage(admin, STAGE)
        live = selectors._live_counts(selectors.stage_queryset(admin, stage), clock.now())
        dash = {r["stage"].key: r for r in selectors.dashboard(admin)}[STAGE]
        assert {k: dash[k] for k in live} == live
        assert dash["overdue"] and dash["in_time"] and (dash["due_today"] or hour == 23)
        assert selectors.queue(admin, STAGE, filing_type="first_filing")["counts"] == live
        assert selectors.queue(admin, STAGE, filing_type="add_access")["counts"]["total"] == 0


def test_claim_filters_count_claimed_rows_live(filled):
    reviewer = make_user("rev-claims", Role.REVIEWER)
    for app in Application.objects.filter(deadline__isnull=False).order_by("pk")[:3]:
        services.claim(app, reviewer)
    mine = selectors.queue(reviewer, STAGE, claimed="mine")
    unclaimed = selectors.queue(reviewer, STAGE, claimed="unclaimed")
    assert (mine["counts"]["total"], len(mine["rows"])) == (3, 3)
    assert unclaimed["counts"]["total"] == 210


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # signature broken
        lambda c: signing.dumps({"s": STAGE, "d": "after", "r": 0, "t": None, "p": 1}),  # no salt
        lambda c: "not-a-cursor",
        lambda c: signing.dumps(  # a well-signed cursor of another queue
            {"s": "ready", "d": "after", "r": 1, "t": None, "p": 1}, salt="beian.review.queue"
        ),
        lambda c: signing.dumps(  # well signed, nonsense inside
            {"s": STAGE, "d": "after", "r": 0, "t": "yesterday", "p": "x"},
            salt="beian.review.queue",
        ),
    ],
)
def test_a_tampered_cursor_gives_a_clear_page_not_a_500(client, filled, tamper):
    client.force_login(make_user("rev-t", Role.REVIEWER))
    good = selectors.queue(make_user("rev-t2", Role.REVIEWER), STAGE)["next_cursor"]
    assert client.get(f"/review/queue/{STAGE}/?cursor={good}").status_code == 200
    response = client.get(f"/review/queue/{STAGE}/?cursor={tamper(good)}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "翻页链接无效" in html and "This page link is not valid" not in html
    assert f'href="/review/queue/{STAGE}/"' in html  # the way back to the first page
    english = client.get(f"/review/queue/{STAGE}/?cursor={tamper(good)}", HTTP_ACCEPT_LANGUAGE="en")
    assert "This page link is not valid" in english.content.decode()


def test_the_page_links_walk_the_queue(client, filled):
    client.force_login(make_user("rev-links", Role.REVIEWER))
    url, seen = f"/review/queue/{STAGE}/", []
    html = client.get(url).content.decode()
    assert 'id="page-previous"' not in html and 'id="page-last"' in html
    while True:
        seen += [part.split('"')[0] for part in html.split('data-number="')[1:]]
        if 'id="page-next"' not in html:
            break
        href = html.split('id="page-next"')[0].rsplit('href="', 1)[1].split('"')[0]
        html = client.get(url + href.replace("&amp;", "&")).content.decode()
    assert seen == _expected()
