"""`/gate/check` per core: before (Django's handler and middleware, waitress),
the lean path in front of Django (beian/wsgi.py, waitress) and `beian gate serve`
(granian), side by side on one generated database (issue 19).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/gate_check.py

Each server is pinned to core 0 (`taskset -c 0`), wrk to core 1, so the figure
is checks/s per core. Hosts: a third `www.` of a filed domain, a third a deeper
subdomain, a third unfiled (403 with the block page), as bench/run.sh. The runs
are interleaved so load from other processes hits every variant alike. Needs
/usr/bin/wrk and /usr/bin/taskset. Knobs: --runs, --seconds, --connections,
--port (first of three consecutive ports).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")

BEFORE_APP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()  # Django's handler alone, as before issue 19
"""


def hosts_file(folder: Path, count: int = 20000) -> Path:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
    import django

    django.setup()
    from beian.filings.models import Domain, RecordStatus

    names = list(
        Domain.objects.filter(status=RecordStatus.FILED).values_list("name", flat=True)[:count]
    )
    if not names:
        sys.exit("no filed domains: run bench/generate.py first")
    rng = random.Random(3)
    hosts = []
    for i in range(count):
        d = rng.choice(names)
        hosts.append(["www." + d, "img.cdn." + d, f"www.unfiled{rng.randrange(10**9)}.com"][i % 3])
    lua = folder / "check.lua"
    lua.write_text(
        "hosts = {\n"
        + ",\n".join(f'"{h}"' for h in hosts)
        + "\n}\nmath.randomseed(7)\nrequest = function()\n"
        "  return wrk.format('GET', '/gate/check?host=' .. hosts[math.random(#hosts)])\nend\n"
    )
    return lua


def wait_ready(port: int, timeout: float = 600) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gate/check?host=x.cn", timeout=5)
        except urllib.error.HTTPError as answer:
            if answer.code == 403:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"no answer on port {port}")


def wrk(port: int, lua: Path, seconds: int, connections: int) -> tuple[float, str, str]:
    out = subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
        + ["-s", str(lua), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rps, p50, p99


def memory_of(pid: int) -> str:
    """RSS and PSS (MB) of a process and its children (granian's workers)."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            pass
    parts = []
    for p in pids:
        try:
            fields = dict(
                line.split()[:2]
                for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:]
            )
        except OSError:
            continue
        parts.append(
            f"pid {p} RSS {int(fields['Rss:']) // 1024} MB PSS {int(fields['Pss:']) // 1024} MB"
        )
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 9190)))
    parser.add_argument("--only", nargs="*", help="variants whose name contains one of these")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gate-check-bench-"))
    (folder / "before_app.py").write_text(BEFORE_APP)
    lua = hosts_file(folder)
    waitress = [PY, "-m", "waitress", "--host=127.0.0.1", "--threads=8"]
    variants = {
        "before: Django handler + middleware, waitress 8 threads": (
            waitress + [f"--port={args.port}", "before_app:application"],
            args.port,
        ),
        "lean path in front of Django (beian.wsgi), waitress 8 threads": (
            waitress + [f"--port={args.port + 1}", "beian.wsgi:application"],
            args.port + 1,
        ),
        "beian gate serve (granian, 1 worker)": (
            [PY, "-m", "beian", "gate", "serve", "--port", str(args.port + 2), "--workers", "1"],
            args.port + 2,
        ),
        "beian gate serve, a set per process (GATE_SNAPSHOT_DIR empty)": (
            [PY, "-m", "beian", "gate", "serve", "--port", str(args.port + 3), "--workers", "1"],
            args.port + 3,
        ),
    }
    own_env = {args.port + 3: {"BEIAN_GATE_SNAPSHOT_DIR": ""}}
    if args.only:
        variants = {k: v for k, v in variants.items() if any(o in k for o in args.only)}
    env = {**os.environ, "PYTHONPATH": f"{folder}:{ROOT}"}
    procs = []
    try:
        for name, (argv, port) in variants.items():
            log = open(folder / f"{port}.log", "w")
            procs.append(
                subprocess.Popen(
                    ["taskset", "-c", "0", *argv],
                    env={**env, **own_env.get(port, {})},
                    stdout=log,
                    stderr=log,
                )
            )
            print(f"{name}: first answer after {wait_ready(port):.1f} s", flush=True)
            print(f"{name}: {memory_of(procs[-1].pid)}", flush=True)
        results: dict[str, list] = {name: [] for name in variants}
        for run in range(args.runs):
            for name, (_, port) in variants.items():
                rps, p50, p99 = wrk(port, lua, args.seconds, args.connections)
                results[name].append(rps)
                load = os.getloadavg()[0]  # the machine is shared: say how busy it was
                print(
                    f"run {run + 1} {name}: {rps:,.0f} checks/s, p50 {p50}, p99 {p99}"
                    f" (load average {load:.1f})",
                    flush=True,
                )
        for (name, _), proc in zip(variants.items(), procs, strict=True):
            print(f"{name}: after the runs {memory_of(proc.pid)}")
        print(f"-- median of {args.runs} runs, wrk -t1 -c{args.connections} -d{args.seconds}s")
        for name, values in results.items():
            print(f"{name}: {statistics.median(values):,.0f} checks/s per core")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
