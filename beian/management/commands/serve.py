"""`beian serve`: the web server and the worker, side by side.

The web server (waitress, serving beian.wsgi.application), `beian worker` and
any commands in settings.BEIAN["SERVE_EXTRA_COMMANDS"] (argv lists, e.g. the
authority simulator) run as child processes of this supervisor. Ctrl-C or
SIGTERM stops them all; if any child exits, the others are stopped too, and
serve exits with a non-zero status.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the web application with the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.BEIAN["HOST"], help="BEIAN_HOST")
        parser.add_argument("--port", type=int, default=settings.BEIAN["PORT"], help="BEIAN_PORT")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def _commands(self, host: str, port: int, threads: int, worker: bool) -> list[list[str]]:
        web = [
            sys.executable,
            "-m",
            "waitress",
            f"--host={host}",
            f"--port={port}",
            f"--threads={threads}",
            "beian.wsgi:application",
        ]
        commands = [web]
        if worker:
            commands.append([sys.executable, "-m", "beian", "worker"])
        for extra in getattr(settings, "BEIAN", {}).get("SERVE_EXTRA_COMMANDS", []):
            if not isinstance(extra, list | tuple) or not extra:
                raise CommandError("SERVE_EXTRA_COMMANDS must be a list of argv lists")
            commands.append([str(part) for part in extra])
        return commands

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options):
        stopping = {"signal": None}

        def on_signal(signum, _frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        children: list[subprocess.Popen] = []
        exited = None
        try:
            for argv in self._commands(host, port, threads, not no_worker):
                child = subprocess.Popen(argv)
                children.append(child)
                self.stdout.write(f"started pid={child.pid}: {' '.join(argv[1:4])}", ending="\n")
                self.stdout.flush()
            self.stdout.write(f"serving http://{host}:{port}/ (Ctrl-C stops everything)")
            self.stdout.flush()
            while stopping["signal"] is None and exited is None:
                exited = next((c for c in children if c.poll() is not None), None)
                time.sleep(0.2)
        finally:
            self._stop_all(children)
        if exited is not None:
            raise CommandError(f"child pid={exited.pid} exited with {exited.returncode}; stopped")

    def _stop_all(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
