"""`/healthz` and `/readyz` (beian/core/health.py, beian/authority/health.py): each
check named, 503 when one fails, no log-in, the administration's interface asked
over real HTTP on loopback (the simulator) or found refused on a free port."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from beian.core import storage
from testing.servers import serve_simulator

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_every_check_and_passes(client, django_assert_num_queries, settings):
    with django_assert_num_queries(1):  # SELECT 1, no write
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "authority"}
    assert all(check["ok"] for check in body["checks"].values())
    # The tests submit in process: the interface is not used, and says so.
    assert "skipped" in body["checks"]["authority"]
    # The storage probe left nothing behind.
    probes = storage.materials_root() / ".readyz"
    assert not probes.exists() or not any(probes.iterdir())


def test_readyz_fails_on_storage_that_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "materials"
    blocked.write_text("a file where the folder should be")
    settings.BEIAN = {**settings.BEIAN, "MATERIALS_ROOT": str(blocked)}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["code"] == "not_ready"
    assert body["message"].startswith("服务尚未就绪")
    assert body["checks"]["storage"]["ok"] is False and body["checks"]["storage"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


def test_readyz_asks_the_administrations_interface_when_it_is_used(client, settings):
    with serve_simulator() as url:
        settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": "miit", "AUTHORITY_URL": url}
        response = client.get("/readyz")
        assert response.status_code == 200, response.json()
        assert response.json()["checks"]["authority"]["note"].startswith("HTTP ")
    # Nothing listens there any more.
    settings.BEIAN = {
        **settings.BEIAN,
        "AUTHORITY_URL": f"http://127.0.0.1:{_free_port()}",
        "AUTHORITY_ADAPTER": "local",
        "AUTHORITY_SYNC": True,
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    authority = response.json()["checks"]["authority"]
    assert authority["ok"] is False and "refused" in authority["error"].lower()


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_are_not_sent_to_https(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301  # everything else is
