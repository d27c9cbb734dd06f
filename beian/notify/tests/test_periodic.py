"""Periodic jobs: run when due, once per period, a failing job does not stop the others."""

from __future__ import annotations

import pytest

from beian.notify import periodic
from beian.notify.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the real jobs are put back afterwards)."""
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    return periodic._REGISTRY


def test_a_job_runs_once_per_period(registry, clock):
    clock.set(2026, 9, 1, 10)
    runs = []
    periodic.periodic("t.count", every=60)(lambda: runs.append(1))

    assert periodic.run_due_jobs("w1") == ["t.count"]
    assert periodic.run_due_jobs("w2") == []  # not due again yet
    clock.advance(seconds=61)
    assert periodic.run_due_jobs("w2") == ["t.count"]
    assert len(runs) == 2
    assert PeriodicJob.objects.get(name="t.count").run_count == 2


def test_a_locked_job_is_not_run_by_another_worker(registry, clock):
    clock.set(2026, 9, 1, 10)
    job_runs = []
    periodic.periodic("t.locked", every=60, lease=300)(lambda: job_runs.append(1))
    job = periodic.registered()["t.locked"]

    assert periodic.claim(job, "w1")  # w1 holds it (and, say, dies)
    assert not periodic.claim(job, "w2")
    clock.advance(seconds=301)  # the lease ran out: the job is free again
    assert periodic.run_job(job, "w2")
    assert job_runs == [1]


def test_a_failing_job_is_recorded_and_others_still_run(registry, clock):
    clock.set(2026, 9, 1, 10)
    ran = []

    def broken():
        raise ValueError("broken job for 13962100000")

    periodic.periodic("t.broken", every=60)(broken)
    periodic.periodic("t.fine", every=60)(lambda: ran.append(1))
    assert periodic.run_due_jobs("w1") == ["t.broken", "t.fine"]
    row = PeriodicJob.objects.get(name="t.broken")
    assert "ValueError" in row.last_error
    assert "13962100000" not in row.last_error  # masked
    assert row.locked_until is None
    assert ran == [1]


def test_registering_two_functions_under_one_name_is_refused(registry):
    periodic.periodic("t.same", every=60)(lambda: None)

    def other():
        pass

    with pytest.raises(ValueError):
        periodic.periodic("t.same", every=60)(other)


def test_discover_registers_the_apps_jobs():
    periodic.discover()
    assert "notify.staff_digest" in periodic.registered()
