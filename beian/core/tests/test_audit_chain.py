"""The audit log is tamper-evident (issue 14, finding 10): every event links to
the one before; `beian audit verify` finds the first broken link and exits 1;
an application cannot be hard-deleted."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError

from beian.core import audit
from beian.core.audit_chain import verify
from beian.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _events(n: int = 5) -> list[AuditEvent]:
    return [
        audit.record(
            actor=None,
            object_type="application",
            object_id=i,
            verb="submit",
            from_state="draft",
            to_state="submitted",
            data={"fields": ("name", "domains"), "n": i},
        )
        for i in range(n)
    ]


def _verify_command() -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_each_event_links_to_the_one_before():
    events = _events()
    assert events[0].prev_hash == (
        AuditEvent.objects.exclude(pk__in=[e.pk for e in events])
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
        or ""
    )
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (events[-1].pk, events[-1].hash)
    code, out, _ = _verify_command()
    assert code == 0 and "intact" in out


def _raw(sql: str, params) -> None:
    # What someone with database access does: plain SQL, past the model.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_altered_event_is_the_first_broken_link():
    events = _events()
    _raw("UPDATE core_auditevent SET to_state = %s WHERE id = %s", ["approved", events[2].pk])
    verdict = verify()
    assert not verdict.ok and verdict.event_id == events[2].pk
    code, _, err = _verify_command()
    assert code == 1 and f"#{events[2].pk}" in err and "content" in err


def test_a_removed_event_breaks_the_next_link():
    events = _events()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    verdict = verify()
    assert not verdict.ok and verdict.event_id == events[2].pk
    assert "prev_hash" in verdict.problem


def test_a_removed_tail_is_found_by_the_head():
    events = _events()
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    verdict = verify()
    assert not verdict.ok and "missing" in verdict.problem


def test_a_recomputed_hash_without_the_key_does_not_pass():
    import hashlib

    events = _events()
    _raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["forged", events[3].pk])
    forged = hashlib.sha256(b"anything an attacker can compute").hexdigest()
    _raw("UPDATE core_auditevent SET hash = %s WHERE id = %s", [forged, events[3].pk])
    assert verify().event_id == events[3].pk


def test_events_of_a_rolled_back_transaction_leave_no_link():
    _events(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        _events(1)
        raise RuntimeError("rolled back")
    _events(2)
    assert verify().ok


def test_the_model_refuses_bulk_changes_of_the_log():
    _events(1)
    with pytest.raises(ValueError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(ValueError):
        AuditEvent.objects.all().delete()


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    if _in_memory_sqlite():
        pytest.skip("in-memory SQLite has no cross-connection locking (set BEIAN_TEST_DB)")
    errors = []

    def writer():
        try:
            for _ in range(5):
                with transaction.atomic():
                    _events(1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() >= 20
    assert verify().ok


def test_an_application_cannot_be_hard_deleted(applicant, hosting_owner):
    from beian.filings.models import Application
    from testing import make_code, start_seed_filing

    app = start_seed_filing(applicant, make_code(hosting_owner))
    with pytest.raises(ProtectedError), transaction.atomic():
        app.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Application.objects.filter(pk=app.pk).delete()
    assert Application.objects.filter(pk=app.pk).exists()


def test_the_admin_offers_no_delete_of_an_application(client, staff, applicant, hosting_owner):
    from beian.accounts.models import User
    from testing import make_code, start_seed_filing

    app = start_seed_filing(applicant, make_code(hosting_owner))
    admin = staff["admin"]
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/filings/application/{app.pk}/delete/")
    assert response.status_code in (302, 403)
