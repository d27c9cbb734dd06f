"""Builders for filed records without walking the workflow (the workflow's own
tests and one scenario below cover how records get filed)."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from beian.core import clock
from beian.filings.models import Access, AccessStatus, Domain, RecordStatus, Subject, Website
from beian.registry.live import live_gate
from testing import SEED_ID, edge, make_server

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_gate():
    live_gate.reset()
    yield
    live_gate.reset()


@pytest.fixture
def filed(db, applicant, hosting_owner):
    """filed(domains, access="open", nature=..., name=..., province=...) -> Website."""
    server = make_server(hosting_owner, ip="203.0.113.20")

    def build(
        domains,
        *,
        access: str | None = AccessStatus.OPEN,
        nature: str = "enterprise",
        name: str = "苏州示例科技有限公司",
        province: str = "320000",
        abbreviation: str = "苏",
        website_name: str = "示例科技官网",
        home_url: str = "",
        status: str = RecordStatus.FILED,
    ) -> Website:
        n = next(_serial)
        now = clock.now()
        subject = Subject.objects.create(
            account=applicant,
            nature=nature,
            name=name,
            certificate_type="uscc" if nature != "individual" else "resident_id",
            certificate_number=SEED_ID,
            province=province,
            status=status,
            icp_number=f"{abbreviation}ICP备2026{n:06d}号"
            if status == RecordStatus.FILED
            else None,
            filed_at=now,
        )
        website = Website.objects.create(
            subject=subject,
            name=website_name,
            home_url=home_url,
            status=status,
            icp_number=f"{subject.icp_number}-1" if subject.icp_number else None,
            index=1,
            filed_at=now,
        )
        for domain in domains:
            Domain.objects.create(website=website, name=domain, status=status)
        if access:
            Access.objects.create(
                website=website, server=server, ip=server.public_ip, status=access, changed_at=now
            )
        return website

    return build


@pytest.fixture
def short_dir():
    # Unix socket paths must stay short (108 bytes).
    path = Path(tempfile.mkdtemp(prefix="bg-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def backends(short_dir):
    """HTTP and TLS backends (an nginx) that answer with the host they saw."""
    if not os.path.exists(edge.NGINX):
        pytest.skip("nginx not installed: apt-get install nginx-light (.ci/run does)")
    server, ports = edge.start_backends(short_dir / "backend")
    yield ports
    server.stop()


FEED_REDIS_URL = os.environ.get("BEIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def feed_on():
    """The change feed on the loopback Redis, under a key prefix of this test
    alone (other test runs share the server); removed afterwards."""
    import redis
    from django.conf import settings
    from django.test import override_settings

    conn = redis.Redis.from_url(FEED_REDIS_URL, decode_responses=True, socket_timeout=5)
    try:
        conn.ping()
    except redis.RedisError:
        pytest.skip("no Redis server at 127.0.0.1:6379 (.ci/run starts one)")
    prefix = f"beian-test:{uuid.uuid4().hex}"
    beian = {**settings.BEIAN, "GATE_FEED_URL": FEED_REDIS_URL, "GATE_FEED_KEY": prefix}
    with override_settings(BEIAN=beian):
        yield conn, prefix
    for key in conn.scan_iter(match=f"{prefix}*", count=1000):
        conn.delete(key)
