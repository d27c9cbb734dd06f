"""Integration: two HAProxy nodes and two nginx nodes on loopback follow the
change feed and end identical to the database, with no reload.

Real parts only: Redis at 127.0.0.1:6379, Debian's HAProxy (runtime API on its
admin socket) and nginx with libnginx-mod-http-lua (a lua_shared_dict), run
with the shipped deploy/ configurations. Three nodes are followed by agents in
threads of this process, one by `beian edge follow` as its own process. The
10,000-change run is in bench/edge_feed.py; this one is kept short.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import transaction

from beian.filings.models import Access, AccessStatus, Domain, RecordStatus
from beian.registry import edge, feed, selectors
from beian.registry.tests.conftest import FEED_REDIS_URL
from testing.edge import (
    DEPLOY,
    HAPROXY,
    LUA_MODULE,
    NGINX,
    HAProxy,
    Nginx,
    adapt,
    free_port,
    get,
    user_line,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.path.exists(HAPROXY) and os.path.exists(NGINX) and os.path.exists(LUA_MODULE)),
        reason="needs haproxy, nginx and libnginx-mod-http-lua (.ci/run installs them)",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
CHANGES = 300


def haproxy_node(directory: Path, backend_port: int) -> tuple[HAProxy, int, edge.HAProxyRuntime]:
    directory.mkdir()
    map_path = directory / "beian.map"
    map_path.write_text("")  # an edge starts empty; the agent loads the full table
    http_port, tls_port = free_port(), free_port()
    conf = adapt(
        (DEPLOY / "haproxy" / "haproxy-gate.cfg").read_text(),
        {
            "/run/haproxy/": f"{directory}/",
            "/etc/haproxy/beian.map": str(map_path),
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "bind :80": f"bind 127.0.0.1:{http_port}",
            "bind :443": f"bind 127.0.0.1:{tls_port}",
            "127.0.0.1:8080": f"127.0.0.1:{backend_port}",
        },
    )
    server = HAProxy(directory / "haproxy.cfg", conf, http_port)
    node = edge.HAProxyRuntime(str(directory / "beian-admin.sock"), str(map_path))
    return server, http_port, node


def nginx_node(directory: Path, backend_port: int) -> tuple[Nginx, int, edge.NginxLua]:
    directory.mkdir()
    (directory / "run").mkdir()
    http_port = free_port()
    conf = adapt(
        (DEPLOY / "nginx" / "nginx-gate-lua.conf").read_text(),
        {
            "user www-data;": user_line(),
            "worker_processes auto;": "worker_processes 1;",
            "listen 80 ": f"listen 127.0.0.1:{http_port} ",
            "/run/beian/": f"{directory}/run/",
            "/var/log/nginx/": f"{directory}/",
            "lua_shared_dict beian_gate 1024m;": "lua_shared_dict beian_gate 8m;",
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "127.0.0.1:8080": f"127.0.0.1:{backend_port}",
        },
    )
    server = Nginx(directory, conf, http_port)
    return server, http_port, edge.NginxLua(str(directory / "run" / "gate-admin.sock"))


def _wait_equal(nodes, expected: set[str], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    tables = {}
    while time.monotonic() < deadline:
        tables = {node.label: node.names() for node in nodes}
        if all(table == expected for table in tables.values()):
            return
        time.sleep(0.1)
    for label, table in tables.items():
        assert table == expected, (label, sorted(table ^ expected)[:10])


def test_four_edge_nodes_follow_the_feed_to_the_database(filed, feed_on, backends, short_dir):
    conn, prefix = feed_on
    rng = random.Random(19)
    sites = [filed([f"site{i}.cn"] + ([f"alt{i}.com.cn"] if i % 3 == 0 else [])) for i in range(60)]
    filed(["anan.cc"])
    closed = [filed([f"later{i}.cn"], access=AccessStatus.PENDING) for i in range(20)]
    feed.maintain()  # the job's first run: the full table

    servers, ports, nodes = [], [], []
    for n in range(2):
        server, port, node = haproxy_node(short_dir / f"h{n}", backends["http"])
        servers.append(server), ports.append(port), nodes.append(node)
        server, port, node = nginx_node(short_dir / f"n{n}", backends["http"])
        servers.append(server), ports.append(port), nodes.append(node)
    status = short_dir / "agent.prom"
    agent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "beian.cli",
            "edge",
            "follow",
            "--feed",
            FEED_REDIS_URL,
            "--key",
            prefix,
            "--haproxy-socket",
            nodes[0].address,
            "--haproxy-map",
            nodes[0].map,
            "--status",
            str(status),
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "beian.settings"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    followers = [
        edge.Follower(FEED_REDIS_URL, [node], prefix=prefix, block_ms=200, check_seconds=0.5)
        for node in nodes[1:]
    ]
    threads = [threading.Thread(target=f.run, daemon=True) for f in followers]
    for thread in threads:
        thread.start()
    try:
        _wait_equal(nodes, set(selectors.gate_domains()))
        # A stream of changes, each committed on its own: cancellations,
        # approvals, re-openings and a changed domain list.
        pool = sites + closed
        for i in range(CHANGES):
            site = rng.choice(pool)
            with transaction.atomic():
                if i % 50 == 7:
                    Domain.objects.filter(website=site).update(status=RecordStatus.CANCELLED)
                    Domain.objects.create(website=site, name=f"moved{i}.cn", status="filed")
                    Access.objects.filter(website=site, status=AccessStatus.OPEN).touch()
                elif Access.objects.filter(website=site, status=AccessStatus.OPEN).exists():
                    Access.objects.filter(website=site).close()
                else:
                    Access.objects.filter(website=site).open()
        expected = set(selectors.gate_domains())
        _wait_equal(nodes, expected)
        assert "anan.cc" in expected
        # The nodes decide as the gate does, by Host.
        snapshot = selectors.gate_snapshot()
        hosts = ["www.anan.cc", "anan.cc.evil.com", "www.site1.cn", "later3.cn", "alt0.com.cn"]
        for port in ports:
            for host in hosts:
                assert (get(port, host)[0] == 200) == snapshot.allows(host), (port, host)
        assert "beian_edge_feed_up 1" in status.read_text()
        assert all(f.full_loads == 1 for f in followers)  # deltas only, after the first load

        # A restarted nginx has an empty table: its agent notices and loads it whole.
        servers[1].stop()
        servers[1] = Nginx(
            servers[1].prefix, (servers[1].prefix / "nginx.conf").read_text(), ports[1]
        )
        _wait_equal([nodes[1]], expected)
        assert followers[0].full_loads == 2
    finally:
        for follower in followers:
            follower.stop()
        for thread in threads:
            thread.join(timeout=5)
        agent.terminate()
        agent.wait(timeout=10)
        for server in servers:
            server.stop()
