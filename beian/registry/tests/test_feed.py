"""The change feed (registry.feed) on a real Redis: each committed access
change becomes deltas, the full table carries its position, the job repairs a
lost publication, and an edge agent that cannot reach the feed says so."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from beian.filings.models import Access, AccessStatus, Domain, RecordStatus
from beian.registry import edge, export, feed, jobs, selectors
from beian.registry.tests.conftest import FEED_REDIS_URL
from testing.edge import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def _entries(conn, prefix):
    return [fields for _id, fields in conn.xrange(f"{prefix}:stream")]


def test_an_access_change_is_published_once_committed(filed, feed_on):
    conn, prefix = feed_on
    site = filed(["a.cn", "b.cn"], access=AccessStatus.PENDING)
    with transaction.atomic():
        Access.objects.filter(website=site).open()
        assert _entries(conn, prefix) == []  # nothing before the commit
    assert [(e["op"], e["name"]) for e in _entries(conn, prefix)] == [
        ("add", "a.cn"),
        ("add", "b.cn"),
    ]
    assert conn.get(f"{prefix}:published") == selectors.gate_version()
    Access.objects.filter(website=site).close()
    assert [(e["op"], e["name"]) for e in _entries(conn, prefix)[2:]] == [
        ("del", "a.cn"),
        ("del", "b.cn"),
    ]


def test_a_rolled_back_change_publishes_nothing(filed, feed_on):
    conn, prefix = feed_on
    site = filed(["a.cn"], access=AccessStatus.PENDING)
    with pytest.raises(RuntimeError), transaction.atomic():
        Access.objects.filter(website=site).open()
        raise RuntimeError("refused later in the same transaction")
    assert _entries(conn, prefix) == []


def test_a_changed_domain_list_publishes_the_state_of_each_name(filed, feed_on):
    conn, prefix = feed_on
    site = filed(["old.cn", "kept.cn"])
    with transaction.atomic():
        Domain.objects.filter(website=site, name="old.cn").update(status=RecordStatus.CANCELLED)
        Domain.objects.create(website=site, name="new.cn", status=RecordStatus.FILED)
        Access.objects.filter(website=site, status=AccessStatus.OPEN).touch()
    assert {e["name"]: e["op"] for e in _entries(conn, prefix)} == {
        "kept.cn": "add",
        "new.cn": "add",
        "old.cn": "del",
    }


def test_no_feed_configured_publishes_nothing(filed):
    site = filed(["a.cn"], access=AccessStatus.PENDING)
    assert not feed.enabled()
    Access.objects.filter(website=site).open()  # no error, no Redis needed
    assert feed.publish_websites([site.pk]) == 0


def test_the_full_table_and_the_file_exports_carry_the_feed_position(filed, feed_on, tmp_path):
    conn, prefix = feed_on
    filed(["b.cn", "a.cn"])
    site = filed(["c.cn"], access=AccessStatus.PENDING)
    Access.objects.filter(website=site).open()
    last = conn.xrevrange(f"{prefix}:stream", count=1)[0][0]
    info = feed.write_full()
    assert info["position"] == last and info["count"] == 3
    assert conn.lrange(info["key"], 0, -1) == ["a.cn\nb.cn\nc.cn"]
    assert conn.hget(f"{prefix}:full", "key") == info["key"]
    out = tmp_path / "gate.map"
    export.export("haproxy", out)
    assert f" feed={last}\n" in out.read_text().splitlines(keepends=True)[0]


def test_the_job_writes_the_first_table_and_resets_after_a_lost_publication(filed, feed_on):
    conn, prefix = feed_on
    filed(["a.cn"])
    assert feed.maintain() == "full"
    assert feed.maintain() == "ok"
    site = filed(["lost.cn"], access=AccessStatus.PENDING)
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(BEIAN={**settings.BEIAN, "GATE_FEED_URL": unreachable}):
        Access.objects.filter(website=site).open()  # committed; the publication fails
    assert _entries(conn, prefix) == []
    assert feed.maintain() == "suspect"  # it may still be on its way
    jobs.gate_feed()  # the periodic job: the same gap again, so a reset
    (reset,) = _entries(conn, prefix)
    assert reset["op"] == "reset" and reset["full"] == conn.hget(f"{prefix}:full", "key")
    assert conn.lrange(reset["full"], 0, -1) == ["a.cn\nlost.cn"]
    assert feed.maintain() == "ok"


def test_a_new_full_table_before_the_stream_is_trimmed_past_it(filed, feed_on):
    conn, prefix = feed_on
    site = filed(["a.cn"], access=AccessStatus.PENDING)
    feed.maintain()
    first = conn.hget(f"{prefix}:full", "key")
    with override_settings(BEIAN={**settings.BEIAN, "GATE_FEED_MAXLEN": 10}):
        for _ in range(2):
            Access.objects.filter(website=site).open()
            Access.objects.filter(website=site).close()
        assert feed.maintain() == "ok"  # 4 entries since the table: under half the length
        Access.objects.filter(website=site).open()
        Access.objects.filter(website=site).close()
        assert feed.maintain() == "full"  # 6: a new table before the stream forgets the old one
    assert conn.hget(f"{prefix}:full", "key") != first
    assert conn.ttl(first) > 0  # the old table stays a while for a node loading it


def test_the_agent_says_when_it_cannot_reach_the_feed(tmp_path):
    status = tmp_path / "edge.prom"
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    follower = edge.Follower(
        unreachable, [], prefix="beian-test:none", status_path=str(status), retry_seconds=0.01
    )
    follower.run_once()  # no exception: it keeps its table and reports
    text = status.read_text()
    assert "beian_edge_feed_up 0" in text and "refused" in text.lower()
    follower.url = FEED_REDIS_URL  # the feed is back (no full table under this key yet)
    follower.run_once()
    assert "beian_edge_feed_up 1" in status.read_text()
