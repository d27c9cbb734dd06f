"""Periodic jobs: a registry, and running each due job once across workers.

Register a job in any app's `jobs.py` (the worker imports `<app>.jobs` of every
installed app, plus the modules in settings.BEIAN["JOB_MODULES"]):

    from beian.notify.periodic import periodic

    @periodic("filings.deadline_sweep", every=300)
    def deadline_sweep() -> None:
        ...  # idempotent: it may run again after a crash

Each job has a `PeriodicJob` row. A worker runs a job only after winning a
conditional UPDATE on that row (due, and not locked by a live worker); the lock
has a lease (`lease` seconds, default 10 minutes) so a job whose worker died
runs again later. Jobs must be idempotent: a worker can die after the work and
before recording it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
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


def claim(job: Job, owner: str) -> bool:
    """Atomically take the job if it is due and nobody holds a live lock."""
    _ensure_row(job.name)
    now = clock.now()
    due = Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    won = PeriodicJob.objects.filter(due & free, name=job.name).update(
        locked_until=now + dt.timedelta(seconds=job.lease), owner=owner
    )
    return won == 1


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


def run_job(job: Job, owner: str) -> bool:
    """Run `job` if this worker wins it; returns whether it ran."""
    if not claim(job, owner):
        return False
    error = ""
    try:
        job.func()
    except Exception as exc:  # one broken job must not stop the worker
        error = masking.mask_text(f"{type(exc).__name__}: {exc}")[:2000]
        logger.exception("periodic job %s failed", job.name)
    _release(job, owner, error)
    return True


def run_due_jobs(owner: str, should_stop: Callable[[], bool] = lambda: False) -> list[str]:
    ran = []
    for job in list(_REGISTRY.values()):
        if should_stop():
            break
        if run_job(job, owner):
            ran.append(job.name)
    return ran
