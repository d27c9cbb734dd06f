"""`beian authority-sim`: the simulated provincial system, its own process, port and database.

Run from Beian's settings it re-executes itself with ``beian.authority.sim_settings`` (own
URLs, own SQLite file), migrates that database, and serves with waitress. A small loop
ticks every few seconds: SMS expiry, automatic decisions, SMS delivery to Beian.
"""

from __future__ import annotations

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

    def handle(self, *args, host: str, port: int, tick_seconds: float, **options):
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
            ]
            os.execve(sys.executable, argv, env)
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
