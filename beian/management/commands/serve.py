"""`beian serve`: the web server, the worker and their companions, kept up.

The web server (waitress, serving beian.wsgi.application), `beian worker` and
any commands in settings.BEIAN["SERVE_EXTRA_COMMANDS"] (argv lists, e.g. the
authority simulator, the demo's DNS responder) run as child processes of this
supervisor (docs/operations.md, decision 0026):

- a child that exits, whatever the reason, is logged and started again after a
  back-off that doubles from SERVE_RESTART_BASE_SECONDS up to
  SERVE_RESTART_MAX_SECONDS; a child that stayed up SERVE_STABLE_SECONDS before
  it died starts again after the base delay (its count is reset). The others
  keep running meanwhile;
- only Ctrl-C (SIGINT) or SIGTERM stops everything: every child is sent
  SIGTERM, and one still running after SERVE_STOP_GRACE_SECONDS is killed.
  serve then exits with status 0.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beian.core.keys import refuse_wrong_key


@dataclass
class Child:
    """One supervised process: its command, the running process, its restarts."""

    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # deaths in a row, each shorter than the stable time
    restart_at: float | None = None  # when a dead child starts again


def backoff(failures: int, base: float, cap: float) -> float:
    """Seconds to wait before the next start after `failures` short-lived runs."""
    return min(cap, base * 2 ** max(0, failures - 1))


class Command(BaseCommand):
    help = (
        "Serve the web application with the background worker beside it, restarting any that dies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.BEIAN["HOST"], help="BEIAN_HOST")
        parser.add_argument("--port", type=int, default=settings.BEIAN["PORT"], help="BEIAN_PORT")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def _children(self, host: str, port: int, threads: int, worker: bool) -> list[Child]:
        web = [
            sys.executable,
            "-m",
            "waitress",
            f"--host={host}",
            f"--port={port}",
            f"--threads={threads}",
            "beian.wsgi:application",
        ]
        children = [Child("web", web)]
        if worker:
            children.append(Child("worker", [sys.executable, "-m", "beian", "worker"]))
        for extra in settings.BEIAN.get("SERVE_EXTRA_COMMANDS", []):
            if not isinstance(extra, list | tuple) or not extra:
                raise CommandError("SERVE_EXTRA_COMMANDS must be a list of argv lists")
            argv = [str(part) for part in extra]
            # `python -m beian authority-sim …` is called "authority-sim"; another
            # command by its program's name, numbered when it comes again.
            name = argv[3] if argv[1:3] == ["-m", "beian"] and len(argv) > 3 else Path(argv[0]).name
            taken = {c.name for c in children}
            unique, n = name, 1
            while unique in taken:
                n += 1
                unique = f"{name}-{n}"
            children.append(Child(unique, argv))
        return children

    def _say(self, text: str) -> None:
        # One line each, on stdout (under systemd: the journal).
        self.stdout.write(text)
        self.stdout.flush()

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv)
        child.started_at = time.monotonic()
        child.restart_at = None
        self._say(f"started pid={child.process.pid}: {child.name} ({' '.join(child.argv[1:4])})")

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        # A key that is not the data's stops everything here, once, with what to do
        # (beian/core/keys.py), rather than each child failing in a restart loop.
        refuse_wrong_key(CommandError)
        stopping = {"signal": None}

        def on_signal(signum, _frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        config = settings.BEIAN
        base = float(config["SERVE_RESTART_BASE_SECONDS"])
        cap = float(config["SERVE_RESTART_MAX_SECONDS"])
        stable = float(config["SERVE_STABLE_SECONDS"])
        children = self._children(host, port, threads, not no_worker)
        try:
            for child in children:
                self._start(child)
            self._say(f"serving http://{host}:{port}/ (Ctrl-C stops everything)")
            while stopping["signal"] is None:
                now = time.monotonic()
                for child in children:
                    if child.restart_at is not None:
                        if now >= child.restart_at:
                            self._start(child)
                        continue
                    code = child.process.poll()
                    if code is None:
                        continue
                    ran = now - child.started_at
                    child.failures = 1 if ran >= stable else child.failures + 1
                    delay = backoff(child.failures, base, cap)
                    child.restart_at = now + delay
                    self._say(
                        f"child {child.name} pid={child.process.pid} exited with {code} "
                        f"after {ran:.1f} s; restarting in {delay:.1f} s "
                        f"(restart {child.failures} in a row)"
                    )
                time.sleep(0.1)
        finally:
            self._stop_all(children, float(config["SERVE_STOP_GRACE_SECONDS"]))
        name = signal.Signals(stopping["signal"]).name if stopping["signal"] else "an error"
        self._say(f"stopped every child (on {name})")

    def _stop_all(self, children: list[Child], grace: float) -> None:
        running = [c for c in children if c.process and c.process.poll() is None]
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + grace
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say(
                    f"child {child.name} pid={child.process.pid} did not stop within "
                    f"{grace:.0f} s: killed"
                )
                child.process.kill()
                child.process.wait()
