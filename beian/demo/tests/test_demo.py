"""The demo builds every stage once, and only once."""

import pytest
from django.core.management import call_command

from beian.accounts.models import User
from beian.filings.models import Application
from beian.filings.states import ApplicationState


@pytest.mark.django_db
def test_demo_creates_every_stage_once(capsys):
    call_command("demo", "--once")
    out = capsys.readouterr().out
    assert "reviewer" in out and "beian-demo-2026" in out
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    seed = Application.objects.filter(account__username="zhangwei").get()
    assert seed.state == ApplicationState.SUBMITTED and seed.province == "320000"
    reviewer = User.objects.get(username="reviewer")
    # Staff work in the back office; the Django admin is the admin role's alone.
    assert not reviewer.is_staff and not reviewer.has_perm("filings.view_application")
    count = Application.objects.count()
    call_command("demo", "--once")
    assert Application.objects.count() == count
