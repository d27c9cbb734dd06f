"""`beian worker`: delivers the outbox, runs periodic jobs and the task queue.

One pass = deliver due messages, start due periodic jobs, run ready tasks of
django-tasks-db's queue. Periodic jobs run in the worker's own thread pool
(`periodic.JobRunner`), each under its own lease: a pass starts them and goes
on, so a slow job (a display-check batch) never holds back another (the gate's
feed) nor the outbox. The loop sleeps `interval` seconds when a pass found
nothing to do. SIGINT/SIGTERM finish the message and the jobs in hand, then
exit. Several workers may run at once (on one machine or many): messages are
claimed row by row, periodic jobs through their lock row, tasks by django-tasks-db.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid

from django.conf import settings
from django.db import close_old_connections
from django.db.utils import OperationalError

from beian.notify import delivery, periodic

logger = logging.getLogger("beian.notify.worker")


def _tasks_enabled() -> bool:
    if not getattr(settings, "BEIAN", {}).get("WORKER_RUN_TASKS", True):
        return False
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    return backend == "django_tasks_db.DatabaseBackend"


class Worker:
    def __init__(
        self, *, interval: float = 1.0, owner: str | None = None, job_threads: int | None = None
    ):
        self.interval = interval
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.owner = self.owner[:64]
        self._stop = threading.Event()
        self._tasks = _TaskQueue(self.owner) if _tasks_enabled() else None
        self.jobs = periodic.JobRunner(self.owner, threads=job_threads)

    # Stopping -------------------------------------------------------------
    def stop(self, *_args) -> None:
        logger.info("worker %s stopping", self.owner)
        self._stop.set()

    def stopping(self) -> bool:
        return self._stop.is_set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    # Work -----------------------------------------------------------------
    def run_once(self) -> int:
        """One pass; returns how much work it did (0 = idle)."""
        close_old_connections()
        try:
            done = delivery.deliver_due(self.owner, should_stop=self.stopping)
            if not self.stopping():
                done += len(self.jobs.start_due(should_stop=self.stopping))
            if self._tasks is not None and not self.stopping():
                done += self._tasks.run_ready(should_stop=self.stopping)
        except OperationalError as exc:
            # A locked SQLite database or a dropped connection: try next pass.
            logger.warning("worker pass interrupted by the database: %s", exc)
            close_old_connections()
            return 0
        except Exception:  # a bug in one pass must not take the worker (and `serve`) down
            logger.exception("worker pass failed")
            close_old_connections()
            return 0
        return done

    def run(self) -> None:
        periodic.discover()
        logger.info(
            "worker %s started; periodic jobs: %s",
            self.owner,
            ", ".join(sorted(periodic.registered())) or "none",
        )
        try:
            while not self.stopping():
                if self.run_once() == 0:
                    self._stop.wait(self.interval)
        finally:
            self.close()
        logger.info("worker %s stopped", self.owner)

    def close(self) -> None:
        """Wait for the periodic jobs in hand, then stop their threads."""
        running = self.jobs.running()
        if running:
            logger.info("worker %s waiting for jobs: %s", self.owner, ", ".join(running))
        self.jobs.close()


class _TaskQueue:
    """Runs ready tasks of django-tasks-db's default backend, as its own
    `db_worker` does (claim under an exclusive transaction, then run)."""

    def __init__(self, owner: str, limit: int = 20):
        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
        from django_tasks_db.management.commands.db_worker import Worker as DbWorker

        self.backend_name = DEFAULT_TASK_BACKEND_ALIAS
        self.limit = limit
        self.runner = DbWorker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=owner[:64],
            excluded_queue_names=[],
        )

    def _claim(self):
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.runner.worker_id)
                return task_result
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None
            raise

    def run_ready(self, should_stop) -> int:
        done = 0
        while done < self.limit and not should_stop():
            task_result = self._claim()
            if task_result is None:
                break
            self.runner.run_task(task_result)
            done += 1
        return done
