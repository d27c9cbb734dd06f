"""The demo builds every stage once, and only once."""

import pytest
from django.core.management import call_command

from beian.accounts.models import User
from beian.core.dnsserver import load_zone
from beian.filings.models import Application
from beian.filings.states import ApplicationState


@pytest.mark.django_db
def test_demo_creates_every_stage_once(capsys, tmp_path):
    zone = tmp_path / "zone.json"
    call_command("demo", "--once", "--simulator-here", f"--zone-file={zone}")
    out = capsys.readouterr().out
    assert "reviewer" in out and "beian-demo-2026" in out
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    seed = Application.objects.filter(account__username="zhangwei").get()
    assert seed.state == ApplicationState.SUBMITTED and seed.province == "320000"
    reviewer = User.objects.get(username="reviewer")
    # Staff work in the back office; the Django admin is the admin role's alone.
    assert not reviewer.is_staff and not reviewer.has_perm("filings.view_application")
    # The demo's DNS zone: the filed domain resolves, the seed's stopped as it must while
    # under review, one filing in verification forgot its www.
    zones, records = load_zone(zone)
    assert {"zhangwei-notes.cn", "demo-site-10.cn"} <= zones
    assert records["demo-site-10.cn"] == records["www.demo-site-10.cn"] == "203.0.113.30"
    assert "zhangwei-notes.cn" not in records and "www.zhangwei-notes.cn" not in records
    assert "www.demo-site-4.cn" in records and "demo-site-4.cn" not in records
    count = Application.objects.count()
    call_command("demo", "--once", "--simulator-here", f"--zone-file={zone}")
    assert Application.objects.count() == count
