"""Periodic jobs side by side, and the display check's concurrent fetches.

    .venv/bin/python bench/jobs.py [--sites 200] [--delay 0.2] [--hold 20]

1. The display check's network phase (`registry.display._verdict` over a batch,
   as `check_due_websites` runs it) against a local forward proxy that answers
   each page after `--delay` seconds, or never within the timeout (1 s here):
   wall time at DISPLAY_CHECK_CONCURRENCY 1 (the old sequential loop) and 16.
2. A real `beian worker` (throwaway SQLite file) running the jobs of
   beian/notify/tests/parallel_jobs.py: a slow job whose request a local server
   holds for `--hold` seconds, and a fast job every 0.3 s. Reported: the longest
   gap between two runs of the fast job while the slow one is in hand (in the
   sequential loop it was the whole hold).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FOLDER = Path(tempfile.mkdtemp(prefix="bjobs-", dir="/tmp"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.notify.tests.worker_settings")
os.environ["DATABASE_URL"] = f"sqlite:///{FOLDER}/db.sqlite3"
os.environ["BEIAN_DATA_DIR"] = str(FOLDER)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from beian.registry import display  # noqa: E402


def _server(handler_body) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            handler_body(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench_display(sites: int, delay: float) -> None:
    def page(handler, wait):
        time.sleep(wait)
        body = b"<html><footer><a href='https://beian.miit.gov.cn/'>x</a></footer></html>"
        try:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout)

    for label, wait in ((f"{delay} s a page", delay), ("no answer within 1 s", 1.5)):
        proxy = _server(lambda h, w=wait: page(h, w))
        targets = [
            display._Target(None, f"http://www.site{i}.cn/", "苏ICP备2026000001号-1", False)
            for i in range(sites)
        ]
        for threads in (1, 16):
            knobs = {
                **settings.BEIAN,
                "DISPLAY_CHECK_PROXY": f"http://127.0.0.1:{proxy.server_port}",
                "DISPLAY_CHECK_TIMEOUT": 1,
                "DISPLAY_CHECK_CONCURRENCY": threads,
            }
            with override_settings(BEIAN=knobs):
                from concurrent.futures import ThreadPoolExecutor

                start = time.perf_counter()
                with ThreadPoolExecutor(threads) as pool:
                    verdicts = list(pool.map(display._verdict, targets))
                took = time.perf_counter() - start
            print(
                f"display fetch, {sites} sites, {label}, concurrency {threads:2d}: "
                f"{took:6.1f} s ({len(verdicts)} verdicts)"
            )
        proxy.shutdown()
        proxy.server_close()


def bench_worker(hold: float) -> None:
    release = threading.Event()
    arrived = threading.Event()

    def slow(handler):
        arrived.set()
        release.wait(hold + 30)
        handler.send_response(200)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    server = _server(slow)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_TEST")}
    log = FOLDER / "ticks.log"
    env.update(
        BEIAN_TEST_JOB_MODULES="beian.notify.tests.parallel_jobs",
        BEIAN_TEST_JOB_LOG=str(log),
        BEIAN_TEST_SLOW_URL=f"http://127.0.0.1:{server.server_port}/",
        BEIAN_EMAIL_PORT="1",
    )
    beian = [sys.executable, "-m", "beian"]
    subprocess.run([*beian, "migrate", "-v0"], env=env, check=True)
    worker = subprocess.Popen(
        [*beian, "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert arrived.wait(30), "the slow job never started"
        start = time.time()
        time.sleep(hold)
        release.set()
        ticks = [float(line) for line in log.read_text().split()]
        during = [t for t in ticks if t >= start] or [start]
        gaps = [b - a for a, b in zip([start, *during], [*during, start + hold], strict=True)]
        print(
            f"worker: slow job held {hold:.0f} s; fast job (every 0.3 s) ran {len(during)} times "
            f"meanwhile, longest gap {max(gaps):.2f} s"
        )
    finally:
        worker.terminate()
        worker.wait(30)
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--hold", type=float, default=20)
    args = parser.parse_args()
    try:
        bench_display(args.sites, args.delay)
        bench_worker(args.hold)
    finally:
        shutil.rmtree(FOLDER, ignore_errors=True)


if __name__ == "__main__":
    main()
