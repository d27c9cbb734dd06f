"""Commit → edge verdict, side by side in one run: two HAProxy nodes (runtime
API) and two nginx nodes (lua_shared_dict), each followed by its own `beian
edge follow` process, and one nginx in map mode (the `nginx-http` and
`nginx-sni` exports rewritten by the export job every `--export-every`
seconds, then a SIGHUP), while this process commits access changes; then
writes committed while a full export runs (SQLite: no error, wait ≤ 50 ms).

    .venv/bin/python bench/edge_feed.py --domains 100000 --changes 10000
    BENCH_DB=/tmp/bench-1m.sqlite3 .venv/bin/python bench/edge_feed.py --changes 600 --rate 10
    # (BENCH_DB: an already generated database, e.g. by bench/generate.py; it is changed)

Without BENCH_DB it builds a throwaway SQLite database (migrate, then
bench/generate.py --domains N). Redis at BEIAN_BENCH_REDIS_URL (default
redis://127.0.0.1:6379/13), under a key prefix of this run, removed at the end.

Measured: the first full load of each node; then `--changes` cancellations and
re-openings (each of another website), each committed on its own, at most
`--rate` a second; every `--sample`th commit is watched on every node, by one
thread per kind of edge that asks the nodes over HTTP until they all give the
new verdict, without holding the commits back (p50/p90/p99/max per kind, and
how many did not arrive within `--wait` seconds after the last commit). At
the end every runtime node's table is compared with the database's
allow-list. `--no-map` leaves the map-mode node out.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
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
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import override_settings  # noqa: E402

from beian.filings.models import Access, AccessStatus, Domain  # noqa: E402
from beian.registry import edge, export, feed, selectors  # noqa: E402
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


def nginx_map(directory: Path, backends: dict[str, int]):
    """nginx in map mode (deploy/nginx/nginx-gate-map.conf) on the exports in
    `directory`/maps, as deployed (hash sizes of the deploy configuration)."""
    (directory / "run").mkdir(parents=True)
    port, tls_port = free_port(), free_port()
    conf = adapt(
        (DEPLOY / "nginx" / "nginx-gate-map.conf").read_text(),
        {
            "user www-data;": user_line(),
            "worker_processes auto;": "worker_processes 1;",
            "listen 80 ": f"listen 127.0.0.1:{port} ",
            "listen 443 ": f"listen 127.0.0.1:{tls_port} ",
            "/etc/beian/gate/": f"{directory}/maps/",
            "/usr/share/beian": str(DEPLOY / "nginx"),
            "127.0.0.1:8080": f"127.0.0.1:{backends['http']}",
            "127.0.0.1:8443": f"127.0.0.1:{backends['tls']}",
            "/run/beian/": f"{directory}/run/",
            "/var/log/nginx/": f"{directory}/",
        },
    )
    server = Nginx(directory, conf, port, wait_seconds=600)
    return server, port, directory / "run" / "nginx-gate.pid"


# The export job of `beian worker` (registry.gate_export), in its own process:
# every N seconds bring the configured exports up to date, then SIGHUP nginx.
EXPORT_LOOP = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
import django
django.setup()
from django.conf import settings
from beian.registry import export
maps, pid_file, every = sys.argv[1], sys.argv[2], float(sys.argv[3])
settings.BEIAN["GATE_EXPORTS"] = [
    {"format": "nginx-http", "output": f"{maps}/http.map", "reload": f"hup:{pid_file}"},
    {"format": "nginx-sni", "output": f"{maps}/sni.map", "reload": f"hup:{pid_file}"},
]
while True:
    started = time.time()
    done = export.refresh_configured()
    if done:
        print(f"{started:.3f} exported in {time.time() - started:.2f}s, HUP", flush=True)
    time.sleep(max(0.0, every - (time.time() - started)))
"""


def allowed(port: int, host: str) -> bool:
    return get(port, host)[0] == 200


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def watch(label: str, ports: list[int], inbox, outbox) -> None:
    """A process per kind of edge (so that its HTTP polling takes no time from
    the commits or the other kinds): asks the nodes for each watched change's
    verdict until all of them give it. perf_counter is CLOCK_MONOTONIC on
    Linux, the same clock in every process."""
    pending: list[list] = []  # [name, want, committed at, ports still wrong]
    latencies: list[float] = []
    stalls = 0  # requests the node did not answer within 5 s (HAProxy busy in a `del map`)
    deadline = None
    while deadline is None or (pending and time.perf_counter() < deadline):
        while True:
            try:
                message = inbox.get(block=not pending and deadline is None, timeout=0.5)
            except queue.Empty:
                break
            if message[0] == "stop":
                deadline = message[1]
            else:
                name, want, committed = message
                pending.append([name, want, committed, set(ports)])
        for item in list(pending):
            name, want, committed, wrong = item
            for port in list(wrong):
                try:
                    if allowed(port, name) == want:
                        wrong.discard(port)
                except (
                    OSError,
                    http.client.HTTPException,
                ):  # a timeout: the node is stalled, not wrong; ask again
                    stalls += 1
            if not wrong:
                latencies.append(time.perf_counter() - committed)
                pending.remove(item)
        time.sleep(0.002)
    outbox.put((label, latencies, len(pending), stalls))


def report(label: str, latencies: list[float], missing: int, stalls: int) -> str:
    ms = [v * 1000 for v in latencies]
    if not ms:
        return f"{label}: no verdict arrived ({missing} outstanding, {stalls} requests timed out)"
    return (
        f"{label}: {len(ms)} samples: p50 {statistics.median(ms):.1f} ms, "
        f"p90 {pct(ms, 0.9):.1f} ms, p99 {pct(ms, 0.99):.1f} ms, max {max(ms):.1f} ms"
        f"; not arrived: {missing}; requests timed out (5 s): {stalls}"
    )


def toggle(access_id: int) -> bool:
    """Close an open access or open a closed one (one commit); returns the new state."""
    row = Access.objects.filter(pk=access_id)
    is_open = row.filter(status=AccessStatus.OPEN).exists()
    (row.close if is_open else row.open)()  # autocommit: published on commit
    return not is_open


# A full export in its own process, saying when its read starts and ends.
EXPORT_ONCE = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
import django
django.setup()
from pathlib import Path
from beian.registry import export
print("start", flush=True)
started = time.perf_counter()
version, counts = export.write_exports([("nginx-http", Path(sys.argv[1]))])
print(f"end {counts[0]} {time.perf_counter() - started:.2f}", flush=True)
"""


def writes_during_export(ids: list[tuple[int, int]], rng: random.Random) -> None:
    """Writes committed while a full export reads the whole allow-list."""
    out = FOLDER / "during-export.map"
    beian = {**settings.BEIAN, "GATE_FEED_URL": ""}  # the write alone, no publication
    with override_settings(BEIAN=beian):
        proc = subprocess.Popen(
            [sys.executable, "-c", EXPORT_ONCE, str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "start"
        finished = []
        reader = threading.Thread(target=lambda: finished.append(proc.stdout.readline()))
        reader.start()
        waits, errors = [], []
        while not finished:
            started = time.perf_counter()
            try:
                toggle(rng.choice(ids)[0])
            except Exception as exc:  # e.g. "database is locked"
                errors.append(repr(exc))
            waits.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)
        proc.wait()
    _, count, took = finished[0].split()
    ok = "no error" if not errors else f"{len(errors)} errors, first {errors[0]}"
    print(
        f"writes during an export of {count} names ({connection.vendor}, {took}s): "
        f"{len(waits)} commits, p50 {statistics.median(waits):.1f} ms, "
        f"p99 {pct(waits, 0.99):.1f} ms, max {max(waits):.1f} ms; {ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=50, help="watch every Nth commit")
    parser.add_argument(
        "--rate", type=float, default=0, help="commits per second at most (0: no limit)"
    )
    parser.add_argument(
        "--wait", type=float, default=180, help="seconds to wait for verdicts at the end"
    )
    parser.add_argument("--export-every", type=float, default=20, help="the export job's interval")
    parser.add_argument("--no-map", action="store_true", help="leave out nginx in map mode")
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
    servers, nodes, agents = [backend], [], []
    kinds: dict[str, list[int]] = {"HAProxy runtime": [], "nginx Lua": []}
    for _ in range(2):
        for kind, build in (
            ("HAProxy runtime", lambda d: haproxy(d, backend_ports["http"])),
            ("nginx Lua", lambda d: nginx(d, args.dict, backend_ports["http"])),
        ):
            server, port, node, node_args = build(FOLDER / f"node{len(servers)}")
            servers.append(server), kinds[kind].append(port), nodes.append(node)
            agents.append(
                subprocess.Popen(
                    [sys.executable, "-m", "beian.cli", "edge", "follow", *node_args],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=open(FOLDER / f"agent{len(agents)}.log", "w"),  # noqa: SIM115
                )
            )
    loop = None
    try:
        if not args.no_map:
            started = time.perf_counter()
            maps = FOLDER / "map-node" / "maps"
            maps.mkdir(parents=True)
            export.write_exports(
                [("nginx-http", maps / "http.map"), ("nginx-sni", maps / "sni.map")]
            )
            exported = time.perf_counter() - started
            server, port, pid_file = nginx_map(FOLDER / "map-node", backend_ports)
            servers.append(server)
            kinds["nginx map (export + HUP)"] = [port]
            print(
                f"nginx map mode: exports {exported:.1f}s, nginx start "
                f"{time.perf_counter() - started - exported:.1f}s"
            )
            loop = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    EXPORT_LOOP,
                    str(maps),
                    str(pid_file),
                    str(args.export_every),
                ],
                cwd=ROOT,
                stdout=open(FOLDER / "export-loop.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
        sample_host = info["count"] and next(iter(selectors.gate_domains()))
        started = time.perf_counter()
        while not all(allowed(p, sample_host) for ports in kinds.values() for p in ports):
            time.sleep(0.05)
        print(f"first full load on all runtime nodes: {time.perf_counter() - started:.1f}s")

        ctx = multiprocessing.get_context("fork")  # no thread runs in this process yet
        outbox = ctx.Queue()
        watches = {label: ctx.Queue() for label in kinds}
        watchers = [
            ctx.Process(target=watch, args=(label, ports, watches[label], outbox), daemon=True)
            for label, ports in kinds.items()
        ]
        for watcher in watchers:
            watcher.start()
        rng = random.Random(19)
        ids = list(Access.objects.values_list("pk", "website_id"))
        rng.shuffle(ids)  # each change on another website: a later one cannot undo a watched one
        commit_ms, started = [], time.perf_counter()
        for i in range(args.changes):
            access_id, website_id = ids[i % len(ids)]
            if args.rate:
                time.sleep(max(0.0, started + i / args.rate - time.perf_counter()))
            before = time.perf_counter()
            want = toggle(access_id)
            committed = time.perf_counter()
            commit_ms.append((committed - before) * 1000)
            if i % args.sample == 0:
                name = Domain.objects.filter(website_id=website_id).values_list("name", flat=True)[
                    0
                ]
                for inbox in watches.values():  # timed from the write: publication included
                    inbox.put((name, want, before))
        took = time.perf_counter() - started
        print(
            f"{args.changes} changes committed in {took:.1f}s ({args.changes / took:.0f}/s); "
            f"each commit (incl. publishing) p50 {statistics.median(commit_ms):.1f} ms, "
            f"p99 {pct(commit_ms, 0.99):.1f} ms, max {max(commit_ms):.1f} ms"
        )
        deadline = time.perf_counter() + args.wait
        for inbox in watches.values():
            inbox.put(("stop", deadline))
        for _ in watchers:
            print("commit -> verdict, " + report(*outbox.get()), flush=True)
        if loop is not None:
            loop.terminate()
            loop.wait(timeout=30)
            loop = None
            print(
                "export job runs: "
                + " | ".join(
                    line.split(" ", 1)[1].strip()
                    for line in (FOLDER / "export-loop.log").read_text().splitlines()
                    if " exported in " in line
                )
            )
        expected = set(selectors.gate_domains())
        started = time.perf_counter()
        while True:
            tables = [node.names() for node in nodes]
            if all(t == expected for t in tables) or time.perf_counter() - started > 120:
                break
            time.sleep(0.5)
        same = [t == expected for t in tables]
        print(f"runtime tables equal to the database ({len(expected)} names): {same}")
        print(f"stream entries: {conn.xlen(f'{PREFIX}:stream')}")
        writes_during_export(ids, rng)
    finally:
        if loop is not None:
            loop.terminate()
        for agent in agents:
            agent.terminate()
            agent.wait(timeout=10)
        for server in servers:
            server.stop()
        for key in conn.scan_iter(match=f"{PREFIX}*", count=1000):
            conn.delete(key)


if __name__ == "__main__":
    main()
