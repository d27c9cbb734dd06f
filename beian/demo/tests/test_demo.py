"""The demo builds every stage once, and only once."""

import pytest
from django.core.management import call_command

from beian.accounts.models import User
from beian.filings.models import Application
from beian.filings.states import ApplicationState


@pytest.mark.django_db
def test_demo_creates_every_stage_once(capsys):
    call_command("demo", "--once", "--simulator-here")
    out = capsys.readouterr().out
    assert "reviewer" in out and "beian-demo-2026" in out
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    seed = Application.objects.filter(account__username="zhangwei").get()
    assert seed.state == ApplicationState.SUBMITTED and seed.province == "320000"
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("filings.view_application")
    assert not reviewer.has_perm("filings.change_application")
    count = Application.objects.count()
    call_command("demo", "--once", "--simulator-here")
    assert Application.objects.count() == count
