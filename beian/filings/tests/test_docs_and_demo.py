"""The workflow diagram in the docs is the table; the demo builds every stage."""

from pathlib import Path

import pytest
from django.core.management import call_command

from beian.filings.diagram import markdown
from beian.filings.models import Application
from beian.filings.states import ApplicationState

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"


def test_docs_workflow_matches_the_table():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "run: beian workflow_diagram --output docs/workflow.md"
    )


def test_diagram_names_every_event():
    from beian.filings.transitions import TABLE

    text = markdown()
    for row in TABLE:
        assert f": {row.event}" in text


@pytest.mark.django_db
def test_demo_creates_every_stage_once(capsys):
    call_command("demo", "--once")
    out = capsys.readouterr().out
    assert "reviewer" in out and "beian-demo-2026" in out
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(ApplicationState.values)
    seed = Application.objects.filter(account__username="zhangwei").get()
    assert seed.state == ApplicationState.SUBMITTED and seed.province == "320000"
    from beian.accounts.models import User

    reviewer = User.objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("filings.view_application")
    assert not reviewer.has_perm("filings.change_application")
    count = Application.objects.count()
    call_command("demo", "--once")
    assert Application.objects.count() == count
