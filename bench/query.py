"""Public query latency (p50/p99) by domain, number and name, in process (the
selector behind the page and the API, without HTTP and rate limit).

    DATABASE_URL=... .venv/bin/python bench/query.py --samples 2000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")

import django  # noqa: E402

django.setup()

from beian.filings.models import Domain, Subject, Website  # noqa: E402
from beian.registry import selectors  # noqa: E402


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000  # noqa: E731
    return f"p50 {p(0.50):.2f} ms, p99 {p(0.99):.2f} ms (n={len(samples)}, mean {statistics.mean(samples) * 1000:.2f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(11)
    top = Domain.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randrange(1, top + 1) for _ in range(args.samples)]
    names = list(Domain.objects.filter(pk__in=ids).values_list("name", flat=True))
    numbers = list(Website.objects.filter(pk__in=ids).values_list("icp_number", flat=True))
    filers = list(Subject.objects.filter(pk__in=ids).values_list("name", flat=True))
    missing = [f"未备案的名称{rng.randrange(10**9)}有限公司" for _ in range(len(filers))]
    for label, finder, queries in (
        ("by domain (www.<domain>)", selectors.find_by_domain, ["www." + n for n in names]),
        ("by website number", selectors.find_by_number, numbers),
        ("by subject number", selectors.find_by_number, [n.split("-")[0] for n in numbers]),
        ("by filer name", selectors.find_by_name, filers),
        ("by a name not on file", selectors.find_by_name, missing),
    ):
        times = []
        for q in queries:
            started = time.perf_counter()
            found = finder(q)
            times.append(time.perf_counter() - started)
            assert bool(found) == (finder is not selectors.find_by_name or q not in missing), q
        print(f"{label}: {percentiles(times)}")


if __name__ == "__main__":
    main()
