"""Opening, closing and changing an access own the stamp the gate's freshness reads."""

import pytest

from beian.filings.models import Access, AccessStatus
from beian.registry.selectors import gate_version
from testing import make_code, make_server, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def access(applicant, hosting_owner, clock):
    clock.set(2026, 3, 2, 10)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    access = Access.objects.get(website__in=app.websites.all())
    assert (access.status, access.changed_at) == (AccessStatus.PENDING, None)
    return access


def test_open_and_close_stamp_the_access_and_move_the_gate_version(access, clock):
    before = gate_version()
    opened_at = clock.advance(minutes=1)
    assert Access.objects.filter(pk=access.pk).open() == 1
    access.refresh_from_db()
    assert access.status == AccessStatus.OPEN
    assert access.opened_at == access.changed_at == opened_at
    after_open = gate_version()
    assert after_open != before

    closed_at = clock.advance(minutes=1)
    assert Access.objects.filter(pk=access.pk).close() == 1
    access.refresh_from_db()
    assert access.status == AccessStatus.CLOSED
    assert access.closed_at == access.changed_at == closed_at
    assert gate_version() not in (before, after_open)


def test_a_change_of_domains_or_server_stamps_the_access(access, hosting_owner, clock):
    Access.objects.filter(pk=access.pk).open()
    touched_at = clock.advance(minutes=1)
    Access.objects.filter(pk=access.pk).touch()
    access.refresh_from_db()
    assert access.changed_at == touched_at

    other = make_server(hosting_owner, ip="203.0.113.20")
    moved_at = clock.advance(minutes=1)
    access.move_to(server=other, ip="203.0.113.21")
    access.refresh_from_db()
    assert (access.server_id, access.ip, access.changed_at) == (other.pk, "203.0.113.21", moved_at)
