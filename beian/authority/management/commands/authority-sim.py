"""`beian authority-sim`: the simulated provincial system, its own process, port and database.

Run from Beian's settings it re-executes itself with ``beian.authority.sim_settings`` (own
URLs, own SQLite file), migrates that database, and serves with waitress. A small loop
ticks every few seconds: SMS expiry, automatic decisions, SMS delivery to Beian.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

SIM_SETTINGS = "beian.authority.sim_settings"


class Command(BaseCommand):
    help = "Run the simulator of the provincial administration (SOAP, console, SMS page)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--port",
            type=int,
            default=getattr(settings, "BEIAN", {}).get("AUTHORITY_SIM_PORT", 8100),
        )
        parser.add_argument("--tick-seconds", type=float, default=5.0)
        parser.add_argument(
            "--file-existing",
            action="store_true",
            help="do not serve: file the first filings of the upload given on stdin as "
            "approved before (JSON {xml: base64}) and print their numbers as JSON",
        )

    def handle(
        self, *args, host: str, port: int, tick_seconds: float, file_existing: bool, **options
    ):
        if os.environ.get("DJANGO_SETTINGS_MODULE") != SIM_SETTINGS:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": SIM_SETTINGS}
            argv = [
                sys.executable,
                "-m",
                "beian",
                "authority-sim",
                f"--host={host}",
                f"--port={port}",
                f"--tick-seconds={tick_seconds}",
                *(["--file-existing"] if file_existing else []),
            ]
            os.execve(sys.executable, argv, env)
        if file_existing:
            call_command("migrate", interactive=False, verbosity=0)
            self._file_existing()
            return
        # Only the simulator process (re-executed above with its settings) loads its
        # server and handler.
        import waitress

        from beian.authority.sim.wsgi import SimHandler

        call_command("migrate", interactive=False, verbosity=0)
        threading.Thread(target=self._ticker, args=(tick_seconds,), daemon=True).start()
        self.stdout.write(
            f"authority simulator on http://{host}:{port}/ (console /console/, SMS /sms/)"
        )
        self.stdout.flush()
        waitress.serve(SimHandler(), host=host, port=port, threads=4, _quiet=True)

    def _file_existing(self) -> None:
        # Only the re-executed simulator process reaches the simulator's database.
        from beian.authority.client import setting
        from beian.authority.sim import services

        request = json.loads(sys.stdin.read())
        answer = services.file_existing(
            base64.b64decode(request["xml"]), int(setting("AUTHORITY_ISP_ID"))
        )
        self.stdout.write(json.dumps(answer))

    def _ticker(self, seconds: float) -> None:
        # The ticker thread of the simulator process alone needs the simulator's services.
        from django.db import close_old_connections

        from beian.authority.sim import services

        while True:
            time.sleep(seconds)
            try:
                services.tick()
            except Exception as exc:  # keep ticking; the console shows the state
                self.stderr.write(f"tick failed: {exc}")
            finally:
                close_old_connections()
