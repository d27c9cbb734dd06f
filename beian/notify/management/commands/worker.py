"""`beian worker`: deliver notifications, run periodic jobs and queued tasks."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beian.core.keys import refuse_wrong_key
from beian.notify import periodic
from beian.notify.worker import Worker


class Command(BaseCommand):
    help = "Run the background worker (outbox delivery, periodic jobs, task queue)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when a pass found nothing to do (default 1).",
        )
        parser.add_argument("--worker-id", default=None, help="Name of this worker in the logs.")

    def handle(self, *args, once: bool, interval: float, worker_id: str | None, **options):
        refuse_wrong_key(
            CommandError
        )  # a worker with another key than the data's would fail every job
        if once:
            # One pass: every due job at once, each in its own thread, then exit.
            periodic.discover()
            worker = Worker(owner=worker_id, job_threads=len(periodic.registered()))
            try:
                done = worker.run_once()
            finally:
                worker.close()
            self.stdout.write(f"worker pass done: {done} item(s)")
            return
        worker = Worker(interval=interval, owner=worker_id)
        worker.install_signal_handlers()
        worker.run()
