"""In-process gate decisions per second on one core.

    .venv/bin/python bench/decisions.py --domains 1000000         # synthetic allow-list
    DATABASE_URL=... .venv/bin/python bench/decisions.py --from-db # the generated database

Hosts are a realistic mix: a third `www.` + filed domain, a sixth a filed apex,
a sixth a deeper subdomain, a third unfiled names; 1 M decisions per round,
best of 3 rounds.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def hosts_for(domains: list[str], n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n):
        d = domains[rng.randrange(len(domains))]
        kind = i % 6
        if kind in (0, 1):
            out.append("www." + d)
        elif kind == 2:
            out.append(d)
        elif kind == 3:
            out.append("img.cdn." + d)
        else:
            out.append(f"www.unfiled{rng.randrange(10**9)}.com")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", type=int, default=1_000_000)
    parser.add_argument("--from-db", action="store_true")
    parser.add_argument("--decisions", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(7)
    if args.from_db:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
        import django

        django.setup()
        from beian.registry import selectors

        started = time.perf_counter()
        snapshot = selectors.gate_snapshot()
        print(f"snapshot: {len(snapshot)} domains loaded in {time.perf_counter() - started:.1f}s")
    else:
        from beian.registry.gate import Snapshot

        snapshot = Snapshot(
            {f"site{i}.com.cn" if i % 5 == 0 else f"site{i}.cn" for i in range(args.domains)}
        )
    domains = list(snapshot.domains)
    hosts = hosts_for(domains, args.decisions, rng)
    allows = snapshot.allows
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        allowed = sum(1 for h in hosts if allows(h))
        took = time.perf_counter() - started
        best = max(best, len(hosts) / took)
    print(
        f"{len(snapshot)} domains: {best:,.0f} decisions/s on one core ({allowed} allowed of {len(hosts)})"
    )


if __name__ == "__main__":
    main()
