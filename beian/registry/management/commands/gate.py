"""`beian gate export|check|refresh`: the access gate from the console.

beian gate export --format nginx-http --output /etc/beian/gate/http.map [--reload hup:/run/beian/nginx-gate.pid]
beian gate check www.example.com
beian gate refresh          # bring settings.BEIAN["GATE_EXPORTS"] up to date once
beian gate serve [--host H] [--port P] [--workers N]   # /gate/check for nginx auth_request
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beian.registry import export, selectors


class Command(BaseCommand):
    help = "Access gate: export the allow-list, check a host, refresh configured exports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write the allow-list to a file")
        exp.add_argument("--format", required=True, choices=export.FORMATS)
        exp.add_argument("--output", required=True)
        exp.add_argument(
            "--reload",
            default="",
            help='after a change: "hup:PIDFILE" (SIGHUP to that process) or a command',
        )
        exp.add_argument(
            "--if-changed",
            action="store_true",
            help="do nothing when the file already holds the current version",
        )
        chk = sub.add_parser("check", help="decide for host names")
        chk.add_argument("hosts", nargs="+")
        sub.add_parser("refresh", help="bring the configured exports up to date")
        srv = sub.add_parser("serve", help="answer /gate/check alone, on its own port")
        srv.add_argument("--host", default=settings.BEIAN["GATE_HOST"], help="BEIAN_GATE_HOST")
        srv.add_argument(
            "--port", type=int, default=settings.BEIAN["GATE_PORT"], help="BEIAN_GATE_PORT"
        )
        srv.add_argument(
            "--workers",
            type=int,
            default=settings.BEIAN["GATE_WORKERS"],
            help="processes, one per core (BEIAN_GATE_WORKERS)",
        )

    def handle(self, *args, **options):
        action = options["action"]
        if action == "export":
            started = time.perf_counter()
            try:
                result = export.export(
                    options["format"],
                    Path(options["output"]),
                    reload_command=options["reload"] or None,
                    force=not options["if_changed"],
                )
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc}") from exc
            took = time.perf_counter() - started
            if not result.changed:
                self.stdout.write(f"{result.path}: up to date (version {result.version})")
                return
            self.stdout.write(
                f"{result.path}: {result.count} domains, format {result.fmt}, "
                f"version {result.version}, {took:.2f}s"
            )
            if result.reload_returncode not in (None, 0):
                raise CommandError(f"reload command failed with code {result.reload_returncode}")
        elif action == "check":
            snapshot = selectors.gate_snapshot()
            for host in options["hosts"]:
                verdict = "allow" if snapshot.allows(host) else "block"
                self.stdout.write(f"{host}\t{verdict}")
        elif action == "serve":
            argv = serve_argv(options["host"], options["port"], options["workers"])
            self.stdout.write(
                f"gate checks at http://{options['host']}:{options['port']}/gate/check"
            )
            self.stdout.flush()
            os.execv(argv[0], argv)  # granian replaces this process; signals reach it directly
        elif action == "refresh":
            for result in export.refresh_configured():
                self.stdout.write(
                    f"{result.path}: {result.count} domains, version {result.version}"
                )


def serve_argv(host: str, port: int, workers: int) -> list[str]:
    """granian (a WSGI server written in Rust) running `beian.gate_app`: the
    request loop outside Python is what makes ~10 000 checks/s per core (waitress:
    ~2 300 on the same lean app, docs/benchmarks.md). One blocking thread per
    worker: a check never waits on I/O, so more threads only contend for the GIL.
    HTTP/1.1 only (nginx speaks it to an upstream): granian's protocol detection
    ("auto") cost almost half the throughput (~10 000 against ~18 000 checks/s)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "1",
        "--http",
        "1",
        "--no-ws",
        "--no-access-log",
        "beian.gate_app:application",
    ]
