"""The demo's own DNS responder, asked through the resolve check's adapter on loopback:
a filed name resolves, a demo name that stopped does not, and a name outside the demo's
zone is refused, which the check reads as "cannot check", never as "does not resolve"."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from beian.core import dns
from beian.core.dnsserver import ZoneResponder, write_zone


@pytest.fixture
def responder(tmp_path, settings):
    zone = tmp_path / "zone.json"
    write_zone(zone, {"filed.cn", "stopped.cn"}, {"filed.cn": "203.0.113.10"})
    server = ZoneResponder(zone_file=zone)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": server.address, "DNS_TIMEOUT_SECONDS": 2}
    yield server, zone
    server.stop()
    thread.join(timeout=2)


def test_filed_stopped_and_unknown_names(responder):
    assert dns.resolve("filed.cn").addresses == ["203.0.113.10"]
    assert dns.resolve("www.stopped.cn").resolves is False
    assert dns.resolve("stopped.cn").resolves is False
    assert dns.resolve("example.org").resolves is None  # outside the zone: cannot check


def test_the_zone_file_is_read_again_when_it_changes(responder):
    server, zone = responder
    assert dns.resolve("stopped.cn").resolves is False
    time.sleep(0.01)
    write_zone(zone, {"stopped.cn"}, {"stopped.cn": "203.0.113.11"})
    os.utime(zone, (time.time() + 5, time.time() + 5))
    assert dns.resolve("stopped.cn").addresses == ["203.0.113.11"]


def test_the_command_serves_the_zone_file(tmp_path, settings):
    zone = tmp_path / "demo-zone.json"
    write_zone(zone, {"demo-site-10.cn"}, {"demo-site-10.cn": "203.0.113.30"})
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    env.update(BEIAN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="beian.settings")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "beian",
            "dns-responder",
            "--port",
            str(port),
            "--zone-file",
            str(zone),
        ],
        env=env,
    )
    try:
        settings.BEIAN = {
            **settings.BEIAN,
            "DNS_RESOLVER": f"127.0.0.1:{port}",
            "DNS_TIMEOUT_SECONDS": 1,
        }
        deadline = time.monotonic() + 60
        while (found := dns.resolve("demo-site-10.cn")).resolves is None:
            assert time.monotonic() < deadline, "the responder never answered"
            time.sleep(0.5)
        assert found.addresses == ["203.0.113.30"]
        assert dns.resolve("www.demo-site-10.cn").resolves is False
    finally:
        process.terminate()
        process.wait(timeout=10)
