"""Back-office queues at scale: queries and time per page with N applications
spread over the six queues (the query-count tests prove the same property with
thousands; this measures it at 100,000).

    .venv/bin/python bench/queues.py --applications 100000          # throwaway SQLite
    DATABASE_URL=postgresql://... .venv/bin/python bench/queues.py  # an EMPTY database

Without DATABASE_URL it builds a fresh SQLite database in a temporary folder
(migrated, then filled in bulk); it never touches var/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")
if "DATABASE_URL" not in os.environ:
    folder = tempfile.mkdtemp(prefix="beian-bench-queues-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("BEIAN_DATA_DIR", folder)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from beian.accounts.models import Role  # noqa: E402
from testing import make_user  # noqa: E402
from testing.queues import STAGE_STATES, bulk_applications, make_subject  # noqa: E402


def _counting(queries: list):
    """An execute wrapper that lists every statement (the test client's request
    signals reset Django's own query log)."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=20, help="requests per page")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ALLOWED_HOSTS=["testserver"],
    ):
        admin = make_user("bench-admin", Role.ADMIN)
        subject = make_subject(make_user("bench-applicant"))
        started = time.perf_counter()
        per_stage = args.applications // len(STAGE_STATES)
        for stage in STAGE_STATES:
            bulk_applications(subject, stage, per_stage)
        print(
            f"{per_stage * len(STAGE_STATES)} applications written in "
            f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        client = Client()
        client.force_login(admin)
        urls = [f"/review/queue/{stage}/" for stage in STAGE_STATES] + ["/review/"]
        for url in urls:
            client.get(url)  # warm the per-process caches
            queries = []
            with connection.execute_wrapper(_counting(queries)):
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(args.samples):
                t0 = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - t0)
            times.sort()
            print(
                f"{url:<32} {len(queries):>3} queries  "
                f"p50 {statistics.median(times) * 1000:7.1f} ms  "
                f"max {times[-1] * 1000:7.1f} ms  (n={len(times)})"
            )


if __name__ == "__main__":
    main()
