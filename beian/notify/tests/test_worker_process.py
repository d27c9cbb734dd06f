"""The real `beian worker` (and `beian serve`) as processes, on a file SQLite
database shared with the test, against real servers on loopback.

What these tests establish (see docs/notifications.md):
- a worker killed with SIGKILL in the middle of a delivery loses nothing: after
  a restart every message arrives; a message that reached the server before the
  kill may arrive twice, but both copies carry the same Message-ID (its UUID):
  one identity, never two;
- two workers at once run each periodic job once;
- `beian serve` runs the web server and the worker, restarts a child that dies
  (with back-off) while the others stay up, and stops them all on Ctrl-C/SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from beian.notify.tests.conftest import MailSink, SmtpServer, free_port

pytestmark = pytest.mark.integration

BEIAN = [sys.executable, "-m", "beian"]
# Every wait ends as soon as its condition holds; this only says how long a loaded
# machine (CI beside other work, two cores) may take before it counts as a failure.
PATIENCE = 3


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """A migrated database file, made once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("template-db")
    env = _env(folder, smtp_port=1)
    subprocess.run([*BEIAN, "migrate", "-v0"], env=env, check=True, timeout=60)
    return folder


def _env(folder: Path, *, smtp_port: int, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    env.update(
        DJANGO_SETTINGS_MODULE="beian.notify.tests.worker_settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        BEIAN_DATA_DIR=str(folder),
        BEIAN_EMAIL_HOST="127.0.0.1",
        BEIAN_EMAIL_PORT=str(smtp_port),
        BEIAN_EMAIL_TIMEOUT="5",
        BEIAN_FROM_EMAIL="beian@beian.test",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


@pytest.fixture
def workdir(migrated_db, tmp_path) -> Path:
    # Same keys (secret, PII) and a copy of the migrated database.
    for name in ("db.sqlite3", "secret_key", "pii_key"):
        shutil.copy(migrated_db / name, tmp_path / name)
    return tmp_path


ENQUEUE = """
import django; django.setup()
from django.db import transaction
from beian.notify.services import enqueue
with transaction.atomic():
    for i in range({count}):
        enqueue(template="application_received", context={{"order_number": f"BA{{i:04d}}"}},
                idempotency_key=f"app:{{i}}:received", email=f"filer{{i}}@example.cn",
                channels=("email",))
"""


def _enqueue(env: dict, count: int) -> None:
    subprocess.run(
        [sys.executable, "-c", ENQUEUE.format(count=count)], env=env, check=True, timeout=30
    )


def _rows(folder: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(folder / "db.sqlite3", timeout=10) as db:
        return db.execute("SELECT id, state, attempts FROM notify_message ORDER BY id").fetchall()


def _uuid(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout * PATIENCE
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _worker(env: dict, *args: str) -> subprocess.Popen:
    # The child keeps its own copy of the log file's descriptor.
    with open(Path(env["BEIAN_DATA_DIR"]) / "worker.log", "a") as log:
        return subprocess.Popen(
            [*BEIAN, "worker", "--interval", "0.2", *args], env=env, stdout=log, stderr=log
        )


def test_sigkill_mid_delivery_loses_nothing_and_keeps_one_identity(workdir):
    sink = MailSink(hold_first=True)
    server = SmtpServer(free_port(), sink).start()
    env = _env(workdir, smtp_port=server.port)
    worker = None
    try:
        _enqueue(env, 4)
        worker = _worker(env)
        # The server has the whole first message and sits on its answer: kill now.
        assert sink.first_seen.wait(15 * PATIENCE), "the worker never delivered"
        worker.kill()
        worker.wait(10 * PATIENCE)
        sink.release.set()
        assert "sending" in [state for _, state, _ in _rows(workdir)]

        worker = _worker(env)
        _wait(
            lambda: all(state == "sent" for _, state, _ in _rows(workdir)),
            15,
            "every message sent after the restart",
        )
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(10 * PATIENCE) == 0  # clean shutdown
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.stop()

    identities = {f"<{_uuid(hex_id)}@beian.test>" for hex_id, _, _ in _rows(workdir)}
    received = sink.message_ids()
    # Every message arrived, under its own UUID and no other.
    assert set(received) == identities
    assert len(identities) == 4
    # The one in flight at the kill had reached the server, so it arrived
    # twice, as the same message; the others once.
    assert sorted(received.count(mid) for mid in identities) == [1, 1, 1, 2]
    copies = {}
    for mail in sink.received:
        copies.setdefault(mail["Message-ID"], set()).add(
            (mail["X-Beian-Message-Id"], mail["Subject"], mail.get_body(("plain",)).get_content())
        )
    assert all(len(versions) == 1 for versions in copies.values())
    # The interrupted attempt counted: that message took two attempts.
    assert sorted(attempts for _, _, attempts in _rows(workdir)) == [1, 1, 1, 2]


def test_smtp_down_then_back_with_a_running_worker(workdir):
    port = free_port()
    env = _env(workdir, smtp_port=port)
    _enqueue(env, 2)
    worker = _worker(env)
    server = None
    try:
        _wait(
            lambda: all(attempts >= 1 for _, _, attempts in _rows(workdir)),
            10,
            "a first failed attempt",
        )
        assert {state for _, state, _ in _rows(workdir)} <= {"pending", "sending"}
        server = SmtpServer(port, MailSink()).start()
        _wait(
            lambda: all(state == "sent" for _, state, _ in _rows(workdir)),
            15,
            "delivery once the server is back",
        )
        assert len(server.sink.received) == 2
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10 * PATIENCE)
        if server is not None:
            server.stop()


def test_two_workers_at_once_run_each_periodic_job_once(workdir):
    log = workdir / "job.log"
    env = _env(
        workdir,
        smtp_port=1,
        BEIAN_TEST_JOB_MODULES="beian.notify.tests.slow_job",
        BEIAN_TEST_JOB_LOG=str(log),
    )
    workers = [
        subprocess.Popen([*BEIAN, "worker", "--once"], env=env, stdout=subprocess.DEVNULL)
        for _ in range(3)
    ]
    for worker in workers:
        assert worker.wait(20 * PATIENCE) == 0
    assert len(log.read_text().splitlines()) == 1
    with sqlite3.connect(workdir / "db.sqlite3") as db:
        runs = dict(db.execute("SELECT name, run_count FROM notify_periodicjob").fetchall())
    # Every registered job (ours and other apps') ran exactly once.
    assert {"tests.slow_job", "notify.staff_digest"} <= set(runs)
    assert set(runs.values()) == {1}


def _http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


class _Serve:
    """A real `beian serve`, its stdout read line by line in a thread."""

    def __init__(self, env: dict, port: int):
        import threading

        self.port = port
        self.log = Path(env["BEIAN_DATA_DIR"]) / "serve.log"
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [*BEIAN, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def pids(self) -> dict[str, int]:
        """The newest pid of each child, by name ("web", "worker", ...)."""
        found = {}
        for line in list(self.lines):
            if line.startswith("started pid="):
                pid, name = line.removeprefix("started pid=").split(": ", 1)
                found[name.split(" ", 1)[0]] = int(pid)
        return found

    def wait_for(self, predicate, timeout: float, what: str):
        def check():
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited early: {self.log.read_text()[-2000:]}")
            return predicate()

        return _wait(check, timeout, what)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _start_serve(env: dict, port: int, children: int = 2) -> tuple[_Serve, dict[str, int]]:
    serve = _Serve(env, port)
    # Generous: on a loaded machine waitress alone takes ~20 s to load the project.
    serve.wait_for(lambda: len(serve.pids()) >= children, 30, "the children to start")
    url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
    serve.wait_for(lambda: _http_status(url) == 200, 60, "the web server")
    return serve, serve.pids()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie until its parent reaps it: dead all the same.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_serve_runs_web_and_worker_and_stops_both(workdir):
    port = free_port()
    serve, pids = _start_serve(_env(workdir, smtp_port=1), port)
    try:
        assert not _gone(pids["worker"])
        serve.process.send_signal(signal.SIGINT)  # Ctrl-C
        assert serve.process.wait(20 * PATIENCE) == 0
    finally:
        serve.stop()
    assert _gone(pids["web"]) and _gone(pids["worker"])
    assert _http_status(f"http://127.0.0.1:{port}/") is None


def test_serve_restarts_a_killed_child_and_keeps_the_others_up(workdir):
    port = free_port()
    env = _env(workdir, smtp_port=1, BEIAN_SERVE_RESTART_BASE_SECONDS="0.5")
    serve, pids = _start_serve(env, port)
    healthz = f"http://127.0.0.1:{port}/healthz"
    try:
        os.kill(pids["worker"], signal.SIGKILL)
        serve.wait_for(lambda: serve.pids()["worker"] != pids["worker"], 15, "a new worker")
        # The web server never went down, and the death was logged.
        assert serve.pids()["web"] == pids["web"] and _http_status(healthz) == 200
        assert any(
            f"child worker pid={pids['worker']} exited with -9" in line for line in serve.lines
        )

        os.kill(pids["web"], signal.SIGKILL)
        serve.wait_for(lambda: serve.pids()["web"] != pids["web"], 15, "a new web server")
        serve.wait_for(lambda: _http_status(healthz) == 200, 60, "the web server answering")
        new = serve.pids()
        assert not _gone(new["worker"]) and not _gone(new["web"])

        # Only SIGTERM stops everything; every child, the restarted ones too, is gone.
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(20 * PATIENCE) == 0
    finally:
        serve.stop()
    assert all(_gone(pid) for pid in (*pids.values(), *new.values()))
    assert _http_status(healthz) is None


CRASH = [sys.executable, "-c", "import sys; sys.exit(3)"]
# Lives longer than the stable time, then exits: each death counts as the first.
SHORT_LIVED = [sys.executable, "-c", "import time, sys; time.sleep(3.5); sys.exit(4)"]
# Ignores SIGTERM: only the kill after the grace period stops it.
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)",
]


def test_serve_backs_off_a_crashing_child_and_kills_a_stubborn_one(workdir):
    import json

    port = free_port()
    env = _env(
        workdir,
        smtp_port=1,
        BEIAN_SERVE_RESTART_BASE_SECONDS="0.2",
        BEIAN_SERVE_RESTART_MAX_SECONDS="0.8",
        # Well above an interpreter's start on a loaded machine (CRASH must die young).
        BEIAN_SERVE_STABLE_SECONDS="3",
        BEIAN_SERVE_STOP_GRACE_SECONDS="1",
        BEIAN_TEST_SERVE_EXTRA=json.dumps([CRASH, SHORT_LIVED, STUBBORN]),
    )
    serve, pids = _start_serve(env, port, children=3)
    try:

        def delays(code: int) -> list[str]:
            return [
                line.split("restarting in ")[1].split(" s")[0]
                for line in serve.lines
                if f"exited with {code} " in line
            ]

        serve.wait_for(lambda: len(delays(3)) >= 5, 30, "five crashes")
        serve.wait_for(lambda: len(delays(4)) >= 2, 30, "two deaths after a stable run")
        # Doubling from the base to the cap, then the cap.
        assert delays(3)[:5] == ["0.2", "0.4", "0.8", "0.8", "0.8"]
        # A child that stayed up past the stable time starts again after the base.
        assert set(delays(4)) == {"0.2"}
        # The web server never noticed.
        assert serve.pids()["web"] == pids["web"]
        started = time.monotonic()
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(20 * PATIENCE) == 0
        assert time.monotonic() - started < 10
    finally:
        serve.stop()
    everyone = [
        int(line.split("pid=")[1].split(":")[0]) for line in serve.lines if "started pid=" in line
    ]
    assert len(everyone) >= 10 and all(_gone(pid) for pid in everyone)
    stubborn = serve.pids()[Path(sys.executable).name + "-3"]
    assert (
        f"child {Path(sys.executable).name}-3 pid={stubborn} did not stop within 1 s: killed"
        in serve.lines
    )


class _HeldServer:
    """A local HTTP server that holds every request until released: the slow
    network of a slow job. Counts the requests it received."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        held = self
        self.requests = 0
        self.arrived = threading.Event()
        self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                held.requests += 1
                held.arrived.set()
                held.release.wait(60)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/slow"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _job_env(workdir: Path, held: _HeldServer, **extra) -> dict:
    return _env(
        workdir,
        smtp_port=1,
        BEIAN_TEST_JOB_MODULES="beian.notify.tests.parallel_jobs",
        BEIAN_TEST_JOB_LOG=str(workdir / "ticks.log"),
        BEIAN_TEST_SLOW_URL=held.url,
        **extra,
    )


def _ticks(workdir: Path) -> int:
    log = workdir / "ticks.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def _job_row(folder: Path, name: str) -> tuple[int, str] | None:
    with sqlite3.connect(folder / "db.sqlite3", timeout=10) as db:
        return db.execute(
            "SELECT run_count, owner FROM notify_periodicjob WHERE name = ?", (name,)
        ).fetchone()


def test_a_slow_job_does_not_hold_back_a_fast_one(workdir):
    held = _HeldServer()
    worker = _worker(_job_env(workdir, held))
    try:
        assert held.arrived.wait(20 * PATIENCE), "the slow job never started"
        # While the slow job's request hangs, the fast job keeps running.
        before = _ticks(workdir)
        _wait(lambda: _ticks(workdir) >= before + 3, 15, "the fast job, beside the slow one")
        assert _job_row(workdir, "tests.slow_fetch")[0] == 0  # still in hand
        held.release.set()
        _wait(lambda: _job_row(workdir, "tests.slow_fetch")[0] == 1, 15, "the slow job's end")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15 * PATIENCE) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        held.stop()
    assert held.requests == 1


def test_a_job_outliving_its_lease_stays_with_its_worker(workdir):
    # Leases of 2 s, renewed while the job runs: a second worker never takes
    # the slow job from the first, however long it takes.
    held = _HeldServer()
    env = _job_env(workdir, held, BEIAN_TEST_JOB_LEASE_SECONDS="2")
    workers = [_worker(env), _worker(env)]
    try:
        assert held.arrived.wait(20 * PATIENCE), "the slow job never started"
        first = _ticks(workdir)
        _wait(lambda: _ticks(workdir) >= first + 3, 20, "both workers polling")
        time.sleep(7)  # three and a half lease periods
        assert held.requests == 1
        held.release.set()
        _wait(lambda: _job_row(workdir, "tests.slow_fetch")[0] == 1, 15, "the slow job's end")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            if worker.wait(15 * PATIENCE) != 0:
                worker.kill()
        held.stop()
    assert held.requests == 1


def test_a_worker_killed_mid_job_frees_the_job_within_the_lease(workdir):
    # The slow job's own lease is 10 minutes; the worker's lease is 2 s,
    # renewed while it runs: after a SIGKILL another worker runs it again soon.
    held = _HeldServer()
    env = _job_env(workdir, held, BEIAN_TEST_JOB_LEASE_SECONDS="2")
    worker = _worker(env)
    other = None
    try:
        assert held.arrived.wait(20 * PATIENCE), "the slow job never started"
        owner = _job_row(workdir, "tests.slow_fetch")[1]
        assert owner
        worker.kill()
        worker.wait(10 * PATIENCE)
        other = _worker(env)
        _wait(lambda: held.requests == 2, 15, "another worker taking the job over")
        assert _job_row(workdir, "tests.slow_fetch")[1] not in ("", owner)
        held.release.set()
        _wait(lambda: _job_row(workdir, "tests.slow_fetch")[0] == 1, 15, "the rerun's end")
    finally:
        for process in (worker, other):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                if process.wait(15 * PATIENCE) != 0:
                    process.kill()
        held.stop()
