"""Commit → edge verdict through the change feed: two HAProxy nodes (runtime
API) and two nginx nodes (lua_shared_dict) on loopback, each followed by its
own `beian edge follow` process, while this process commits access changes.

    .venv/bin/python bench/edge_feed.py --domains 100000 --changes 10000
    BENCH_DB=/tmp/bench-1m.sqlite3 .venv/bin/python bench/edge_feed.py --changes 10000
    # (BENCH_DB: an already generated database, e.g. by bench/generate.py; it is changed)

Without BENCH_DB it builds a throwaway SQLite database (migrate, then
bench/generate.py --domains N). Redis at BEIAN_BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13), under a key prefix of this run, removed at the end.

Measured: the first full load of each node; then `--changes` cancellations and
re-openings, each committed on its own; every `--sample`th commit is timed
until all four nodes give the new verdict over HTTP (p50/p90/p99/max); the
rest are not waited for. At the end every node's table is compared with the
database's allow-list.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
REDIS_URL = os.environ.get("BEIAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PREFIX = f"beian-bench:{uuid.uuid4().hex[:8]}"
os.environ["BEIAN_GATE_FEED_URL"] = REDIS_URL
os.environ["BEIAN_GATE_FEED_KEY"] = PREFIX
FOLDER = Path(tempfile.mkdtemp(prefix="bef-", dir="/tmp"))
if os.environ.get("BENCH_DB"):
    os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['BENCH_DB']}"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{FOLDER}/bench.sqlite3"
    os.environ.setdefault("BEIAN_DATA_DIR", str(FOLDER))

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from beian.filings.models import Access, AccessStatus, Domain  # noqa: E402
from beian.registry import edge, feed, selectors  # noqa: E402
from testing.edge import (  # noqa: E402
    DEPLOY,
    HAProxy,
    Nginx,
    adapt,
    free_port,
    get,
    start_backends,
    user_line,
)


def haproxy(directory: Path, backend: int):
    directory.mkdir()
    map_path = directory / "beian.map"
    map_path.write_text("")
    port, tls_port = free_port(), free_port()
    conf = adapt(
        (DEPLOY / "haproxy" / "haproxy-gate.cfg").read_text(),
        {
            "/run/haproxy/": f"{directory}/",
            "/etc/haproxy/beian.map": str(map_path),
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "bind :80": f"bind 127.0.0.1:{port}",
            "bind :443": f"bind 127.0.0.1:{tls_port}",
            "127.0.0.1:8080": f"127.0.0.1:{backend}",
        },
    )
    server = HAProxy(directory / "haproxy.cfg", conf, port)
    node = edge.HAProxyRuntime(str(directory / "beian-admin.sock"), str(map_path))
    args = ["--haproxy-socket", node.address, "--haproxy-map", node.map]
    return server, port, node, args


def nginx(directory: Path, dict_size: str, backend: int):
    directory.mkdir()
    (directory / "run").mkdir()
    port = free_port()
    conf = adapt(
        (DEPLOY / "nginx" / "nginx-gate-lua.conf").read_text(),
        {
            "user www-data;": user_line(),
            "worker_processes auto;": "worker_processes 1;",
            "listen 80 ": f"listen 127.0.0.1:{port} ",
            "/run/beian/": f"{directory}/run/",
            "/var/log/nginx/": f"{directory}/",
            "lua_shared_dict beian_gate 1024m;": f"lua_shared_dict beian_gate {dict_size};",
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "127.0.0.1:8080": f"127.0.0.1:{backend}",
        },
    )
    server = Nginx(directory, conf, port)
    node = edge.NginxLua(str(directory / "run" / "gate-admin.sock"))
    return server, port, node, ["--nginx-socket", node.address]


def allowed(port: int, host: str) -> bool:
    return get(port, host)[0] == 200


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=50, help="time every Nth commit")
    parser.add_argument("--dict", default="1024m", help="nginx lua_shared_dict size")
    args = parser.parse_args()
    if not os.environ.get("BENCH_DB"):
        call_command("migrate", verbosity=0)
        connections.close_all()  # the generator switches the journal off while it writes
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--domains", str(args.domains)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"generated {args.domains} domains in {time.perf_counter() - started:.1f}s")
    conn = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    started = time.perf_counter()
    info = feed.write_full()
    print(f"full table in Redis: {info['count']} names, {time.perf_counter() - started:.1f}s")

    backend, backend_ports = start_backends(FOLDER / "backend")
    servers, ports, nodes, agents = [backend], [], [], []
    for _ in range(2):
        for build in (
            lambda d: haproxy(d, backend_ports["http"]),
            lambda d: nginx(d, args.dict, backend_ports["http"]),
        ):
            server, port, node, node_args = build(FOLDER / f"node{len(servers)}")
            servers.append(server), ports.append(port), nodes.append(node)
            agents.append(
                subprocess.Popen(
                    [sys.executable, "-m", "beian.cli", "edge", "follow", *node_args],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=open(FOLDER / f"agent{len(agents)}.log", "w"),  # noqa: SIM115
                )
            )
    try:
        sample_host = info["count"] and next(iter(selectors.gate_domains()))
        started = time.perf_counter()
        while not all(allowed(p, sample_host) for p in ports):
            time.sleep(0.05)
        print(f"first full load on all 4 nodes: {time.perf_counter() - started:.1f}s")

        rng = random.Random(19)
        ids = list(Access.objects.values_list("pk", "website_id"))
        latencies, started = [], time.perf_counter()
        for i in range(args.changes):
            access_id, website_id = rng.choice(ids)
            row = Access.objects.filter(pk=access_id)
            is_open = row.filter(status=AccessStatus.OPEN).exists()
            sampled = i % args.sample == 0
            committed = time.perf_counter()
            (row.close if is_open else row.open)()  # autocommit: published on commit
            if sampled:
                names = Domain.objects.filter(website_id=website_id).values_list("name", flat=True)
                name = names[0]
                want = not is_open
                pending = set(range(len(ports)))
                while pending:
                    pending = {p for p in pending if allowed(ports[p], name) != want}
                latencies.append(time.perf_counter() - committed)
        took = time.perf_counter() - started
        print(f"{args.changes} changes committed in {took:.1f}s ({args.changes / took:.0f}/s)")
        ms = [v * 1000 for v in latencies]
        print(
            f"commit -> verdict on all 4 nodes, {len(ms)} samples: p50 {statistics.median(ms):.1f} ms,"
            f" p90 {pct(ms, 0.9):.1f} ms, p99 {pct(ms, 0.99):.1f} ms, max {max(ms):.1f} ms"
        )
        expected = set(selectors.gate_domains())
        started = time.perf_counter()
        while True:
            tables = [node.names() for node in nodes]
            if all(t == expected for t in tables) or time.perf_counter() - started > 120:
                break
            time.sleep(0.5)
        same = [t == expected for t in tables]
        print(f"tables equal to the database ({len(expected)} names): {same}")
        print(f"stream entries: {conn.xlen(f'{PREFIX}:stream')}")
    finally:
        for agent in agents:
            agent.terminate()
            agent.wait(timeout=10)
        for server in servers:
            server.stop()
        for key in conn.scan_iter(match=f"{PREFIX}*", count=1000):
            conn.delete(key)


if __name__ == "__main__":
    main()
