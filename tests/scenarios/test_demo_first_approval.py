"""From the state `make run` leaves (demo loaded, the simulator on its own port), the seed's
first filing reaches its ICP number: the demo's approved filing took its number from the
simulator, so the simulator's next approval cannot issue the same one (issue 13)."""

import pytest
from django.core.management import call_command

from beian.accounts.models import Role, User
from beian.authority import adapter, services
from beian.authority.client import AuthorityClient
from beian.authority.models import SimSubject
from beian.authority.tests.test_loopback_life import answer_sms, approve_in_console
from beian.filings.models import Application, Subject
from beian.filings.states import ApplicationState as S
from testing import drive_to
from testing.servers import serve, serve_simulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


@pytest.fixture
def make_run_state(settings, tmp_path):
    """Beian and the simulator on loopback (free ports, not 8000/8100), demo loaded."""
    with serve() as beian_url, serve_simulator() as sim_url:
        settings.BEIAN = {
            **settings.BEIAN,
            "AUTHORITY_URL": sim_url,
            "AUTHORITY_SIM_SMS_RELAY_URL": f"{beian_url}/api/v1/authority/sms-relay",
            "AUTHORITY_ADAPTER": "miit",
        }
        call_command("demo", "--once", "--simulator-here", f"--zone-file={tmp_path / 'z.json'}")
        yield sim_url, AuthorityClient.from_settings(timeout=5, backoff=0.05)


def test_the_seed_first_approval_lands_after_the_demo(make_run_state):
    sim_url, authority = make_run_state
    demo = Application.objects.get(state=S.APPROVED)
    demo_number = Subject.objects.get(pk=demo.subject_id).icp_number
    # The demo's number is the simulator's: it holds that filing under that number.
    assert SimSubject.objects.get(number=demo_number).province == "320000"
    status = services.query_status(domain=demo.websites.get().domains.get().name, client=authority)
    assert status.filed and status.subject_number == demo_number

    staff = {u.role: u for u in User.objects.exclude(role=Role.APPLICANT)}
    staff["photo_verifier"] = staff[Role.PHOTO_VERIFIER]
    seed = Application.objects.get(account__username="zhangwei")
    seed = drive_to(seed, staff, target=S.READY)
    result = adapter.submit(seed, staff[Role.OPERATOR], client=authority)
    assert result.accepted, result.message
    services.sync_downloads(authority)
    answer_sms(sim_url)
    services.sync_downloads(authority)
    approve_in_console(sim_url)
    result = services.sync_downloads(authority)

    assert not result.problems, result.problems
    seed.refresh_from_db()
    assert seed.state == S.APPROVED
    number = Subject.objects.get(pk=seed.subject_id).icp_number
    assert number and number != demo_number
    assert seed.websites.get().icp_number == f"{number}-1"


def test_a_cancellation_by_the_administration_closes_the_demo_site_at_the_gate(
    make_run_state,
):
    """The demo stamps nothing in the future: the gate's fingerprint (the latest access
    change) moves with the next real change, so a forced cancellation closes the site
    (seen on `make run`: the demo's expired order, expired 46 days ahead, hid it)."""
    from beian.authority.tests.test_loopback_life import console
    from beian.core import clock
    from beian.filings.models import Access
    from beian.registry import selectors as registry

    sim_url, authority = make_run_state
    assert not Access.objects.filter(changed_at__gt=clock.now()).exists()
    demo = Application.objects.get(state=S.APPROVED)
    website = demo.websites.get()
    domain = website.domains.get().name
    assert registry.gate_snapshot().allows(domain)
    before = registry.gate_version()
    page = console(sim_url).post(
        "/console/initiative",
        "/console/",
        {"action": "cancel", "kind": "website", "record_id": website.authority_record_id},
    )
    assert "已下发" in page, page[:500]
    result = services.sync_downloads(authority)
    assert result.files and not result.problems, result.problems
    assert registry.gate_version() != before
    assert not registry.gate_snapshot().allows(domain)
