"""The gate's shared snapshot file (registry.snapshot) against a set per process.

    .venv/bin/python bench/snapshot.py --domains 1000000 --readers 2
    .venv/bin/python bench/snapshot.py --domains 7000000 --readers 2 --skip-set

Synthetic names (as bench/decisions.py, no database: the file does not depend
on where the names came from). Measured:

- the build: time and the builder's peak RSS, file size;
- `--readers` processes that each map the file and answer decisions (the
  bench/decisions.py host mix) for `--seconds`: exact look-ups/s and
  decisions/s per process, then each process's RSS, PSS (its share of the
  shared pages) and private memory (/proc/self/smaps_rollup), after a pass
  that touches every page of the file (the worst case);
- the same for one process holding the names in a frozenset (`--skip-set`
  to leave it out at 7 M, where it costs ~0.8 GB and minutes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from beian.registry import gate, snapshot  # noqa: E402
from bench.decisions import hosts_for  # noqa: E402


def names(n: int):
    for i in range(n):
        yield f"site{i}.com.cn" if i % 5 == 0 else f"site{i}.cn"


def memory() -> dict[str, int]:
    """kB figures of this process: Rss, Pss, Private (clean + dirty)."""
    fields = {}
    with open("/proc/self/smaps_rollup") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0].rstrip(":")] = int(parts[1])
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {"rss": fields["Rss"], "pss": fields["Pss"], "private": private}


def measure(table, n: int, seconds: float, touch: bool, together=None) -> dict:
    rng = random.Random(7)
    sample = [
        f"site{i}.com.cn" if i % 5 == 0 else f"site{i}.cn"
        for i in (rng.randrange(n) for _ in range(100_000))
    ]
    hosts = hosts_for(sample, 200_000, rng)
    exact = sample + [f"unfiled{i}.cn" for i in range(100_000)]
    before = memory()
    snap = gate.Snapshot(table)
    result = {"memory_before": before}
    for label, items, check in (
        ("lookups", exact, table.__contains__),
        ("decisions", hosts, snap.allows),
    ):
        chunks = [items[at : at + 20_000] for at in range(0, len(items), 20_000)]
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds / 2:
            for item in chunks[done // 20_000 % len(chunks)]:
                check(item)
            done += 20_000
        result[label] = done / (time.perf_counter() - started)
    result["memory_after_lookups"] = memory()
    if touch and hasattr(table, "_hi"):
        total = 0
        for view in (table._index, table._hi, table._lo):
            for at in range(0, len(view), 512):  # one read per 4 KB page
                total += view[at]
        if together is not None:
            together.wait()  # every reader maps the file while each one measures
        result["memory_all_pages"] = memory()
        if together is not None:
            together.wait()
    return result


def reader(path: str, n: int, seconds: float, queue, together) -> None:
    opened = time.perf_counter()
    table = snapshot.HashedNames(Path(path))
    took = time.perf_counter() - opened
    out = measure(table, n, seconds, touch=True, together=together)
    out["open_s"] = took
    queue.put(out)


def fmt(m: dict) -> str:
    return f"RSS {m['rss'] / 1024:.0f} MB, PSS {m['pss'] / 1024:.0f} MB, private {m['private'] / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=1_000_000)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--skip-set", action="store_true")
    parser.add_argument("--folder", default="")
    parser.add_argument("--keep", action="store_true", help="keep the file (and reuse it)")
    args = parser.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="bench-snapshot-", dir="/tmp"))
    path = folder / snapshot.file_name(f"bench-{args.domains}")
    started = time.perf_counter()
    if args.keep and path.exists():
        count = snapshot.HashedNames(path).count
        print(f"reusing {path}: {count} names")
    else:
        count = snapshot.build(names(args.domains), path, version=f"bench-{args.domains}")
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"build: {count} names in {took:.1f}s, builder peak RSS {peak:.0f} MB "
        f"(process with the names' generator), file {path.stat().st_size / 1e6:.0f} MB"
    )
    ctx = multiprocessing.get_context("spawn")
    queue, together = ctx.Queue(), ctx.Barrier(args.readers)
    procs = [
        ctx.Process(target=reader, args=(str(path), args.domains, args.seconds, queue, together))
        for _ in range(args.readers)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    for i, r in enumerate(results):
        print(
            f"reader {i}: open + checksum {r['open_s']:.2f}s; {r['lookups']:,.0f} exact look-ups/s, "
            f"{r['decisions']:,.0f} decisions/s; at start {fmt(r['memory_before'])}; "
            f"after the look-ups {fmt(r['memory_after_lookups'])}; "
            f"every page touched {fmt(r['memory_all_pages'])}"
        )
    if not args.skip_set:
        base = memory()
        started = time.perf_counter()
        table = frozenset(names(args.domains))
        took = time.perf_counter() - started
        r = measure(table, args.domains, args.seconds, touch=False)
        print(
            f"frozenset in one process: built in {took:.1f}s; {r['lookups']:,.0f} exact look-ups/s, "
            f"{r['decisions']:,.0f} decisions/s; this process {fmt(r['memory_after_lookups'])} "
            f"(before the set: RSS {base['rss'] / 1024:.0f} MB)"
        )
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
