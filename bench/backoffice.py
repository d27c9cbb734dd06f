"""Back-office pages at national scale (issue 19): the dashboard and the queues at
1 M applications, first page, the page 3,000 pages in, and the last page.

    .venv/bin/python bench/backoffice.py                       # 1 M, SQLite, built once
    .venv/bin/python bench/backoffice.py --applications 200000 --samples 3
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_bo .venv/bin/python bench/backoffice.py

The applications are written by one INSERT … SELECT (no ORM, no websites: a queue
row's domains are read for the 50 rows of a page only, whatever the total). On
SQLite the database is built once into `--db` (default
/tmp/beian-bench-backoffice-<N>-<schema>.sqlite3) and reused; on PostgreSQL the
named database must be empty or already built by this script. It runs the code of
the checkout it is in, so the same script measures before (OFFSET pages, counts by
scan: the tree before decision 0024) and after (counters, keyset pages).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
KEYSET = (ROOT / "beian" / "filings" / "counts.py").exists()

parser = argparse.ArgumentParser()
parser.add_argument("--applications", type=int, default=1_000_000)
parser.add_argument("--samples", type=int, default=5, help="requests per page")
parser.add_argument("--db", default="", help="SQLite file to build once and reuse")
parser.add_argument("--deep", type=int, default=3000, help="the deep page's number")
args = parser.parse_args()
if "DATABASE_URL" not in os.environ:
    db = (
        args.db
        or f"/tmp/beian-bench-backoffice-{args.applications}-{'new' if KEYSET else 'old'}.sqlite3"
    )
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("BEIAN_DATA_DIR", str(Path(db).parent / "beian-bench-backoffice-data"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from beian.accounts.models import Role, User  # noqa: E402
from beian.core import clock  # noqa: E402
from beian.filings.models import Application  # noqa: E402
from beian.filings.stages import STAGES  # noqa: E402
from beian.review import selectors  # noqa: E402
from testing import make_user  # noqa: E402
from testing.queues import STAGE_STATES, make_subject  # noqa: E402

PROVINCES = [
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000",
    "310000", "320000", "330000", "340000", "350000", "360000", "370000", "410000",
    "420000", "430000", "440000", "450000", "460000", "500000", "510000", "520000",
    "530000", "540000", "610000", "620000", "630000", "640000", "650000",
]  # fmt: skip


def build(n: int) -> None:
    """n applications over the six queues, 31 provinces, deadlines at the end of a
    day from 20 days ago to 40 days ahead (one in 20 without one), in one statement."""
    subject = make_subject(make_user("bench-applicant"))
    states = list(STAGE_STATES.values())

    def cases(col: int) -> str:
        whens = " ".join(f"WHEN {i} THEN '{s[col]}'" for i, s in enumerate(states))
        return f"CASE x % 6 {whens} END"

    province = (
        "CASE (x / 6) % 31 "
        + " ".join(f"WHEN {i} THEN '{p}'" for i, p in enumerate(PROVINCES))
        + " END"
    )
    today = clock.now().astimezone(clock.CHINA).date()
    if connection.vendor == "sqlite":
        series = f"WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c LIMIT {n})"
        source = "c"
        deadline = (
            f"CASE WHEN x % 20 = 0 THEN NULL ELSE "
            f"strftime('%Y-%m-%d 15:59:59.999999', '{today}', ((x / 7) % 60 - 20) || ' days') END"
        )
        now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    else:
        series = ""
        source = f"generate_series(0, {n - 1}) AS x"
        deadline = (
            f"CASE WHEN x % 20 = 0 THEN NULL ELSE "
            f"(DATE '{today}' + ((x / 7) % 60 - 20)) + TIME '15:59:59.999999' END"
        )
        now = "now()"
    number = "'B' || x" if connection.vendor == "sqlite" else "'B' || x::text"
    sql = f"""
        {series}
        INSERT INTO filings_application
            (number, account_id, filing_type, state, originals_state, photo_state, province,
             subject_id, changes, remarks, deadline, deadline_kind, created_at, submitted_at,
             round)
        SELECT {number}, {subject.account_id}, 'first_filing', {cases(0)}, {cases(1)},
               {cases(2)}, {province}, {subject.pk}, '{{}}', '', {deadline}, '', {now}, {now}, 1
        FROM {source}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
    if KEYSET:
        from beian.filings import counts

        t0 = time.perf_counter()
        rows = counts.rebuild()
        print(
            f"counters rebuilt from {n} applications in {time.perf_counter() - t0:.1f} s ({rows} rows)"
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(client, url: str, samples: int) -> tuple[float, float, float]:
    """(p50 wall ms, max wall ms, p50 ms spent in the database) of `samples` requests."""
    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    times, in_db = [], []
    for _ in range(samples):
        spent = [0.0]

        def wrapper(execute, sql, params, many, context, spent=spent):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - t0

        t0 = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            client.get(url)
        times.append(time.perf_counter() - t0)
        in_db.append(spent[0])
    return statistics.median(times) * 1000, max(times) * 1000, statistics.median(in_db) * 1000


def deep_url(stage, page: int) -> str:
    base = f"/review/queue/{stage.key}/"
    if not KEYSET:
        return f"{base}?page={page}"
    # The cursor the "next" link of page `page - 1` carries: the key of its last row.
    qs = Application.objects.filter(stage.condition)
    position = min((page - 1) * selectors.PAGE_SIZE, qs.count() - selectors.PAGE_SIZE) - 1
    dated = qs.filter(deadline__isnull=False).count()
    if position < dated:
        row = qs.filter(deadline__isnull=False).order_by("deadline", "pk")[position]
    else:
        row = qs.filter(deadline__isnull=True).order_by("pk")[position - dated]
    return f"{base}?cursor={selectors._cursor(stage, 'after', row)}"


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Application.objects.exists():
        build(args.applications)
        print(f"{args.applications} applications built in {time.perf_counter() - t0:.1f} s")
    total = Application.objects.count()
    print(
        f"{total} applications, {connection.vendor}, {'counters + keyset' if KEYSET else 'scan + OFFSET'}"
    )
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        admin = User.objects.filter(username="bench-admin").first() or make_user(
            "bench-admin", Role.ADMIN
        )
        local = User.objects.filter(username="bench-js").first() or make_user(
            "bench-js", Role.REVIEWER, provinces=["320000"]
        )
        client = Client()
        client.force_login(admin)
        print(f"{'page':<58} {'p50':>9} {'max':>9} {'SQL p50':>9}")
        rows = [("dashboard /review/ (admin, all provinces)", "/review/")]
        for stage in STAGES:
            base = f"/review/queue/{stage.key}/"
            rows.append((f"{stage.key}: first page", base))
            rows.append((f"{stage.key}: page {args.deep}", deep_url(stage, args.deep)))
            rows.append(
                (f"{stage.key}: last page", base + ("?cursor=last" if KEYSET else "?page=3334"))
            )
        for label, url in rows:
            p50, worst, sql = timed(client, url, args.samples)
            print(f"{label:<58} {p50:7.1f} ms {worst:7.1f} ms {sql:7.1f} ms")
        client.force_login(local)
        for label, url in [
            ("dashboard (Jiangsu reviewer)", "/review/"),
            ("initial_review first page (Jiangsu reviewer)", "/review/queue/initial_review/"),
        ]:
            p50, worst, sql = timed(client, url, args.samples)
            print(f"{label:<58} {p50:7.1f} ms {worst:7.1f} ms {sql:7.1f} ms")
        # Persistent connections: the same page with a connection per request.
        client.force_login(admin)
        for age in (0, 60):
            connection.close()
            connection.settings_dict["CONN_MAX_AGE"] = age
            p50, worst, sql = timed(client, "/review/", args.samples * 4)
            label = f"dashboard, CONN_MAX_AGE={age}"
            print(f"{label:<58} {p50:7.1f} ms {worst:7.1f} ms {sql:7.1f} ms")
    print(
        "load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()), f"({os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
