"""The back office's counters (filings/counts.py, decision 0024): kept by the workflow
in the transition's transaction, right after every transition, rebuilt and checked
by `beian counts`, and never lost when transitions run at once (PostgreSQL)."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models import F

from beian.filings import counts, workflow
from beian.filings.models import Application, StageCount
from beian.filings.stages import STAGES
from beian.filings.states import ApplicationState, OriginalsState, PhotoState
from beian.review import selectors, services
from testing import drive_to, fill_seed_filing, make_code, photo_upload, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(monkeypatch):
    """After every transition, the counters equal a recount of the applications."""
    fired = []
    real = workflow.fire

    def fire_and_check(app, event, **kwargs):
        result = real(app, event, **kwargs)
        assert counts.drift() == [], event
        fired.append(event)
        return result

    monkeypatch.setattr(workflow, "fire", fire_and_check)
    return fired


def _reasons():
    return [{"text": "网站名称与备案内容不符，请修改"}]


def test_counts_stay_right_through_every_transition(submitted, staff, applicant, checked):
    assert counts.stored() == counts.actual() != {}  # the submission counted
    app = services.return_to_applicant(submitted, staff["reviewer"], _reasons())
    app = workflow.fire(app, "resubmit", actor=applicant)
    app = services.approve(app, staff["reviewer"])
    dash = {r["stage"].key: r["total"] for r in selectors.dashboard(staff["admin"])}
    assert (dash["initial_review"], dash["originals"]) == (0, 1)
    app = services.record_discrepancy(
        app,
        staff["mailroom"],
        problems=[],
        text="核验单份数不足",
        documents={"verification_form": 1, "security_agreement": 3},
    )
    app = workflow.fire(
        app, "request_backdrop", actor=applicant, data={"shipping_address": "江苏省苏州市人民路1号"}
    )
    app = services.ship_backdrop(app, staff["mailroom"], courier="EMS", tracking_number="E1")
    app = workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    app = services.reject_photo(app, staff["photo_verifier"], [{"field": "photo", "text": "模糊"}])
    app = workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    app = drive_to(app, staff, ApplicationState.READY)
    app = workflow.fire(app, "submit_to_authority", actor=staff["operator"])
    app = workflow.fire(app, "authority_received", actor=staff["authority"])
    app = workflow.fire(app, "sms_failed", actor=None)
    assert app.state == ApplicationState.AUTHORITY_RETURNED
    app = workflow.fire(app, "resubmit_to_authority", actor=staff["operator"])
    app = drive_to(app, staff, ApplicationState.APPROVED)
    assert counts.stored() == {}  # approved: in no queue, and no zero rows left behind
    assert {"return_to_applicant", "record_originals_discrepancy", "sms_failed"} <= set(checked)
    assert len(checked) >= 15


def test_a_stage_reads_its_condition_as_the_database_does(db, applicant):
    """`Stage.holds` (what the counters ask) agrees with `filter(stage.condition)` (what
    the queues show) on every combination of the three tracks."""
    subject = __import__("testing.queues", fromlist=["make_subject"]).make_subject(applicant)
    combos = list(itertools.product(ApplicationState, OriginalsState, PhotoState))
    Application.objects.bulk_create(
        Application(
            number=f"H{i:08d}",
            account=applicant,
            subject=subject,
            filing_type="first_filing",
            state=s,
            originals_state=o,
            photo_state=p,
            province="320000",
            created_at="2025-09-22T10:00:00+08:00",
        )
        for i, (s, o, p) in enumerate(combos)
    )
    rows = list(Application.objects.all())
    for stage in STAGES:
        in_db = set(Application.objects.filter(stage.condition).values_list("pk", flat=True))
        assert {a.pk for a in rows if stage.holds(a)} == in_db != set(), stage.key


def test_verify_reports_drift_and_rebuild_repairs_it(submitted, capsys):
    call_command("counts", "--verify")
    assert "counts agree: 1 rows" in capsys.readouterr().out
    StageCount.objects.update(n=F("n") + 2)
    with pytest.raises(CommandError) as failed:
        call_command("counts", "--verify")
    assert failed.value.returncode == 1
    assert "stored 3, actual 1" in capsys.readouterr().err
    call_command("counts", "--rebuild")
    call_command("counts", "--verify")
    assert "counts agree" in capsys.readouterr().out


def test_the_migration_builds_the_counters_of_existing_rows(submitted):
    from django.apps import apps as global_apps

    from beian.filings.migrations import __name__ as package

    migration = __import__(f"{package}.0006_stage_counts", fromlist=["build_counts"])
    StageCount.objects.all().delete()
    migration.build_counts(global_apps, None)
    assert counts.drift() == [] and counts.stored() != {}


@pytest.mark.django_db(transaction=True)
def test_transitions_at_once_never_lose_a_count(applicant, hosting_owner, staff, clock):
    """Eight filings submitted at the same moment by eight threads (each its own
    connection): all land in one counter row, created by the first of them."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    clock.set(2025, 9, 22, 10)
    apps = []
    for i in range(8):
        code = make_code(hosting_owner, ip=f"203.0.113.{20 + i}")
        app = start_seed_filing(applicant, code, domain=f"zhangwei-notes{i}.cn")
        fill_seed_filing(app, applicant)
        apps.append(app)
    barrier = threading.Barrier(len(apps))
    errors = []

    def submit(app):
        try:
            barrier.wait()
            workflow.fire(app, "submit", actor=applicant)
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts.drift() == []
    assert sum(counts.stored().values()) == 8 == StageCount.objects.get().n
