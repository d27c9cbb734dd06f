"""Public look-up: by domain, number and name; masking; rate limit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from beian.core.clock import CHINA
from beian.registry import ratelimit
from beian.rules.checks import check_icp_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def records(filed):
    company = filed(["example.cn", "example.com.cn"], name="苏州示例科技有限公司")
    person = filed(
        ["zhangwei-notes.cn"], nature="individual", name="张伟", website_name="张伟的读书笔记"
    )
    filed(["pending.cn"], status="pending")
    return company, person


def api(client, **params):
    return client.get("/api/v1/registry/query", params)


def test_any_host_under_a_filed_domain_finds_its_filing(client, records):
    company, _ = records
    for q in (
        "example.cn",
        "WWW.Example.CN",
        "a.b.example.com.cn",
        "http://x"[:0] + "shop.example.cn:8080",
    ):
        body = api(client, q=q).json()
        assert body["by"] == "domain"
        assert [r["website_number"] for r in body["results"]] == [company.icp_number], q
    result = api(client, q="www.example.cn").json()["results"][0]
    assert result == {
        "subject_name": "苏州示例科技有限公司",
        "subject_nature": "企业 / Enterprise",
        "subject_number": company.subject.icp_number,
        "website_name": "示例科技官网",
        "website_number": company.icp_number,
        "domains": ["example.cn", "example.com.cn"],
        "approved_on": company.filed_at.astimezone(CHINA).date().isoformat(),
    }


def test_unfiled_and_pending_domains_find_nothing(client, records):
    assert api(client, q="pending.cn").json()["results"] == []
    assert api(client, q="nowhere.cn").json()["results"] == []
    assert api(client, q="cn", by="domain").json()["results"] == []


def test_by_website_and_subject_number(client, records):
    company, _ = records
    body = api(client, q=company.icp_number).json()
    assert body["by"] == "number" and len(body["results"]) == 1
    body = api(client, q=company.subject.icp_number).json()
    assert [r["website_name"] for r in body["results"]] == ["示例科技官网"]
    # Full-width input is folded.
    wide = company.icp_number.replace("ICP", "ＩＣＰ").replace("2026", "２０２６")
    assert len(api(client, q=wide).json()["results"]) == 1
    assert api(client, q="苏ICP备99999999号").json()["results"] == []


def test_number_query_reads_numbers_as_the_check_does(client, records):
    # One parser (beian.rules.icp) for the check and the query: what the check
    # accepts, the query finds; what it refuses, the query does not look up.
    company, _ = records
    pasted = company.icp_number.replace("ICP", "icp").replace("-", "—")
    assert check_icp_number(pasted).normalized == company.icp_number
    assert len(api(client, q=pasted).json()["results"]) == 1
    eleven_digits = company.subject.icp_number.replace("号", "0号")
    assert not check_icp_number(eleven_digits).ok
    assert api(client, q=eleven_digits, by="number").json()["results"] == []


def test_by_name_masks_persons_and_hides_pii(client, records):
    body = api(client, q="张伟").json()
    assert body["by"] == "name"
    [result] = body["results"]
    assert result["subject_name"] == "张*"
    text = str(body["results"])
    from testing import SEED_ID, SEED_MOBILE

    assert "'张伟'" not in text
    assert SEED_ID not in text and SEED_MOBILE not in text
    assert len(api(client, q="苏州示例科技有限公司").json()["results"]) == 1
    assert len(api(client, q="张伟的读书笔记").json()["results"]) == 1


def test_empty_query_is_refused(client):
    response = api(client, q="  ")
    assert response.status_code == 400
    assert response.json()["code"] == "registry.query_empty"


def test_rate_limit_per_client(client, records):
    with override_settings(BEIAN={**settings.BEIAN, "QUERY_RATE_LIMIT": 3}):
        for _ in range(3):
            assert api(client, q="example.cn").status_code == 200
        refused = api(client, q="example.cn")
        assert refused.status_code == 429
        assert refused.json()["code"] == "registry.rate_limited"
        assert "查询过于频繁" in refused.json()["message"]
        # Another client is not affected.
        other = client.get(
            "/api/v1/registry/query", {"q": "example.cn"}, REMOTE_ADDR="198.51.100.7"
        )
        assert other.status_code == 200
        page = client.get("/query/", {"q": "example.cn"})
        assert page.status_code == 429 and "查询过于频繁" in page.content.decode()


def _redis_or_skip(url: str = "redis://127.0.0.1:6379/15"):
    import redis

    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379 (.ci/run has one)")
    return server


def test_rate_limit_counters_live_in_redis_shared_by_every_process(client, records, monkeypatch):
    server = _redis_or_skip()
    # One window for the whole test, however close to a minute's end it starts.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    prefix = "beian-test-ratelimit"
    cache_conf = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=cache_conf, BEIAN={**settings.BEIAN, "QUERY_RATE_LIMIT": 2}):
            for _ in range(2):
                assert api(client, q="example.cn").status_code == 200
            # What this process counted, another process reads from Redis.
            keys = server.keys(f"{prefix}:*registry:query:127.0.0.1:*")
            assert len(keys) == 1 and int(server.get(keys[0])) == 2
            server.set(keys[0], 5)  # another web process took the remaining queries
            assert api(client, q="example.cn").status_code == 429
    finally:
        for key in server.keys(f"{prefix}:*"):
            server.delete(key)


def test_an_unreachable_cache_lets_the_query_through_and_logs_it(client, records, caplog):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=unreachable):
        response = api(client, q="example.cn")
    assert response.status_code == 200 and response.json()["results"]
    assert "rate limit not applied" in caplog.text


def test_cache_url_setting(tmp_path):
    import subprocess
    import sys

    def backend(url: str) -> subprocess.CompletedProcess:
        code = "import beian.settings as s; print(s.CACHES['default']['BACKEND'])"
        env = {"PATH": "/usr/bin:/bin", "BEIAN_DATA_DIR": str(tmp_path), "BEIAN_CACHE_URL": url}
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert backend("redis://127.0.0.1:6379/0").stdout.strip().endswith("RedisCache")
    assert backend("").stdout.strip().endswith("LocMemCache")
    wrong = backend("memcached://127.0.0.1")
    assert wrong.returncode != 0 and "BEIAN_CACHE_URL must be a redis:// URL" in wrong.stderr


def test_query_page(client, records):
    company, person = records
    page = client.get("/query/", {"q": "www.zhangwei-notes.cn"})
    text = page.content.decode()
    assert page.status_code == 200
    assert person.icp_number in text and "张*" in text and "张伟的读书笔记" in text
    assert "没有找到" in client.get("/query/", {"q": "nowhere.cn"}).content.decode()
    assert client.get("/query/").status_code == 200
