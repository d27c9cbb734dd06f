"""Periodic jobs: a registry, and running each due job once across workers.

Register a job in any app's `jobs.py` (the worker imports `<app>.jobs` of every
installed app, plus the modules in settings.BEIAN["JOB_MODULES"]):

    from beian.notify.periodic import periodic

    @periodic("filings.deadline_sweep", every=300)
    def deadline_sweep() -> None:
        ...  # idempotent: it may run again after a crash

Each job has a `PeriodicJob` row. A worker runs a job only after winning a
conditional UPDATE on that row (due, and not locked by a live worker). The
worker runs its jobs with a `JobRunner`: each claimed job in its own thread of
a bounded pool, so a slow job never holds another back, under a short lease
(BEIAN["JOB_LEASE_SECONDS"]) that a heartbeat renews while the job runs; a
worker that dies frees its jobs when that lease runs out. `lease` (seconds,
default 10 minutes) is the longest one run may keep the job: a hung run stops
being renewed then, and the job may run again. Jobs must be idempotent: a
worker can die after the work and before recording it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.db.utils import OperationalError
from django.utils.module_loading import autodiscover_modules

from beian.core import clock, masking
from beian.notify.models import PeriodicJob

logger = logging.getLogger("beian.notify.periodic")


@dataclass(frozen=True)
class Job:
    name: str
    every: float
    func: Callable[[], object]
    lease: float


_REGISTRY: dict[str, Job] = {}


def periodic(name: str, *, every: float, lease: float = 600) -> Callable:
    """Register `func` to run every `every` seconds, once across all workers."""

    def decorator(func: Callable) -> Callable:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"periodic job {name!r} registered twice")
        _REGISTRY[name] = Job(name=name, every=float(every), func=func, lease=float(lease))
        return func

    return decorator


def registered() -> dict[str, Job]:
    return dict(_REGISTRY)


def discover() -> None:
    """Import every installed app's `jobs` module and the configured extras."""
    autodiscover_modules("jobs")
    for path in getattr(settings, "BEIAN", {}).get("JOB_MODULES", []):
        importlib.import_module(path)


def _ensure_row(name: str) -> None:
    if PeriodicJob.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            PeriodicJob.objects.create(name=name, next_run_at=clock.now())
    except IntegrityError:
        pass  # another worker created it first


def claim(job: Job, owner: str, lease: float | None = None) -> bool:
    """Atomically take the job if it is due and nobody holds a live lock;
    the lock lasts `lease` seconds (the job's own lease when not given)."""
    _ensure_row(job.name)
    now = clock.now()
    due = Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    seconds = job.lease if lease is None else lease
    won = PeriodicJob.objects.filter(due & free, name=job.name).update(
        locked_until=now + dt.timedelta(seconds=seconds), owner=owner
    )
    return won == 1


def renew(job: Job, owner: str, lease: float) -> bool:
    """Extend `owner`'s lock on the job by `lease` seconds from now; False if
    the owner no longer holds it."""
    until = clock.now() + dt.timedelta(seconds=lease)
    return PeriodicJob.objects.filter(name=job.name, owner=owner).update(locked_until=until) == 1


def _release(job: Job, owner: str, error: str) -> None:
    now = clock.now()
    PeriodicJob.objects.filter(name=job.name, owner=owner).update(
        last_run_at=now,
        next_run_at=now + dt.timedelta(seconds=job.every),
        locked_until=None,
        owner="",
        run_count=F("run_count") + 1,
        last_error=error,
    )


def _execute(job: Job) -> str:
    """Run the job's function; the error to record ("" when it succeeded)."""
    try:
        job.func()
    except Exception as exc:  # one broken job must not stop the worker
        logger.exception("periodic job %s failed", job.name)
        return masking.mask_text(f"{type(exc).__name__}: {exc}")[:2000]
    return ""


def run_job(job: Job, owner: str) -> bool:
    """Run `job` here and now if this worker wins it; returns whether it ran."""
    if not claim(job, owner):
        return False
    _release(job, owner, _execute(job))
    return True


def run_due_jobs(owner: str, should_stop: Callable[[], bool] = lambda: False) -> list[str]:
    """Run every due job one after the other in this thread (commands and tests;
    the worker uses a JobRunner)."""
    ran = []
    for job in list(_REGISTRY.values()):
        if should_stop():
            break
        if run_job(job, owner):
            ran.append(job.name)
    return ran


def _knob(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


class JobRunner:
    """Runs claimed jobs side by side in a bounded thread pool.

    `start_due()` claims each due job that is not already running here (a
    conditional UPDATE, in the caller's thread) and hands it to a pool thread;
    it never waits for a job. A heartbeat thread renews the lease of every job
    still running, so the lease can be short: a worker killed mid-job leaves a
    lock that runs out within `lease` seconds. A run that has held its job for
    longer than the job's own `lease` is no longer renewed (it is taken to be
    hung). Each pool thread has its own database connection, closed after the job.
    """

    def __init__(self, owner: str, *, threads: int | None = None, lease: float | None = None):
        self.owner = owner
        self.threads = max(1, int(threads or _knob("WORKER_JOB_THREADS", 4)))
        self.lease = float(lease or _knob("JOB_LEASE_SECONDS", 30))
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="beian-job")
        self._running: dict[str, tuple[Job, float, Future]] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._heartbeat = threading.Thread(
            target=self._beat, name="beian-job-heartbeat", daemon=True
        )
        self._heartbeat.start()

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._running)

    def start_due(self, should_stop: Callable[[], bool] = lambda: False) -> list[str]:
        """Claim and start each due job that a free thread can take; their names."""
        started = []
        for job in list(_REGISTRY.values()):
            if should_stop():
                break
            with self._lock:
                if job.name in self._running or len(self._running) >= self.threads:
                    continue
            if not claim(job, self.owner, lease=self.lease):
                continue
            with self._lock:
                self._running[job.name] = (job, time.monotonic(), None)
            future = self._pool.submit(self._run, job)
            with self._lock:
                if job.name in self._running:
                    self._running[job.name] = (job, self._running[job.name][1], future)
            started.append(job.name)
        return started

    def _run(self, job: Job) -> None:
        try:
            error = _execute(job)
            for attempt in range(5):  # SQLite may be busy a moment; the lease covers us
                try:
                    _release(job, self.owner, error)
                    break
                except OperationalError as exc:
                    logger.warning("recording job %s: %s (try %d)", job.name, exc, attempt + 1)
                    time.sleep(0.2 * (attempt + 1))
        finally:
            with self._lock:
                self._running.pop(job.name, None)
            connections.close_all()  # this thread's connections only

    def _beat(self) -> None:
        while not self._closed.wait(self.lease / 3):
            with self._lock:
                held = [(job, started) for job, started, _ in self._running.values()]
            if not held:
                continue
            try:
                close_old_connections()
                for job, started in held:
                    if time.monotonic() - started > job.lease:
                        logger.warning("periodic job %s exceeded its lease; not renewed", job.name)
                    elif not renew(job, self.owner, self.lease):
                        logger.warning("periodic job %s: lease lost", job.name)
            except OperationalError as exc:  # a busy database: the next beat tries again
                logger.warning("renewing job leases: %s", exc)
        connections.close_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no job runs here (or `timeout` passes); whether none runs."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                futures = [future for _, _, future in self._running.values() if future]
                if not self._running:
                    return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            for future in futures:
                try:
                    future.result(timeout=remaining)
                except Exception:  # recorded by _run; the wait only waits
                    pass

    def close(self) -> None:
        """Let the jobs in hand finish, then stop the pool and the heartbeat."""
        self.wait()
        self._closed.set()
        self._pool.shutdown(wait=True)
        self._heartbeat.join(timeout=5)
