"""GET /gate/check: 204 or 403 from the in-memory snapshot, block page, landing page."""

from __future__ import annotations

import gc

import pytest
from django.conf import settings
from django.test import override_settings

from beian.filings.models import Access, AccessStatus
from beian.registry.live import live_gate

pytestmark = pytest.mark.django_db


def test_filed_host_gets_204_unfiled_403_with_the_block_page(client, filed):
    filed(["a.cn"])
    assert client.get("/gate/check", {"host": "www.a.cn"}).status_code == 204
    assert client.get("/gate/check", {"host": "A.CN:443"}).status_code == 204
    assert client.get("/gate/check", {"host": "203.0.113.9"}).status_code == 204
    blocked = client.get("/gate/check", {"host": "unfiled.cn"})
    assert blocked.status_code == 403
    text = blocked.content.decode()
    assert "unfiled.cn" in text and "尚未在本服务商完成" in text and "not filed" in text


def test_a_filed_domains_labels_under_another_domain_are_blocked(client, filed):
    filed(["anan.cc"])
    assert client.get("/gate/check", {"host": "www.anan.cc"}).status_code == 204
    for host in ("anan.cc.evil.com", "www.anan.cc.evil.com", "anan.cc.cn", "xanan.cc"):
        assert client.get("/gate/check", {"host": host}).status_code == 403, host


def test_host_from_the_edge_header(client, filed):
    filed(["a.cn"])
    assert client.get("/gate/check", HTTP_X_ORIGINAL_HOST="shop.a.cn").status_code == 204
    assert client.get("/gate/check", HTTP_X_ORIGINAL_HOST="b.cn").status_code == 403


def test_no_database_query_per_request(client, filed, django_assert_num_queries):
    filed(["a.cn"])
    client.get("/gate/check", {"host": "a.cn"})  # first load
    with override_settings(BEIAN={**settings.BEIAN, "GATE_REFRESH_SECONDS": 3600}):
        with django_assert_num_queries(0):
            for host in ("a.cn", "b.cn", "x.a.cn"):
                client.get("/gate/check", {"host": host})


def test_loaded_snapshot_is_kept_out_of_garbage_collections(client, filed):
    # A full collection would walk all 7 million names of a national snapshot.
    filed(["a.cn"])
    try:
        client.get("/gate/check", {"host": "a.cn"})
        domains = live_gate.snapshot().domains
        assert "a.cn" in domains and gc.get_freeze_count() > 0
        assert not any(tracked is domains for tracked in gc.get_objects())
    finally:
        gc.unfreeze()


def test_snapshot_follows_a_cancellation_after_the_refresh_interval(client, filed, clock):
    clock.set(2026, 3, 2, 10)
    website = filed(["a.cn"])
    with override_settings(BEIAN={**settings.BEIAN, "GATE_REFRESH_SECONDS": 0}):
        assert client.get("/gate/check", {"host": "a.cn"}).status_code == 204
        clock.advance(minutes=1)
        Access.objects.filter(website=website).update(
            status=AccessStatus.CLOSED, changed_at=clock.now()
        )
        assert client.get("/gate/check", {"host": "a.cn"}).status_code == 403
        filed(["b.cn"])
        assert client.get("/gate/check", {"host": "www.b.cn"}).status_code == 204


def test_block_page_is_bilingual(client):
    page = client.get("/gate/blocked", {"host": "X.CN"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "x.cn" in text and "网站暂时无法访问" in text and "This site is not available" in text


def test_landing_page_links(client):
    text = client.get("/").content.decode()
    for href in ("/query/", "/filings/", "/review/", "/api/v1/docs", "/admin/"):
        assert f'href="{href}"' in text
    assert "公众查询" in text and "申请人门户" in text and "后台" in text


def test_deploy_block_page_matches_the_template():
    from pathlib import Path

    from django.template.loader import render_to_string

    shipped = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "blocked.html"
    assert shipped.read_text() == render_to_string("registry/blocked.html", {"host": ""})
