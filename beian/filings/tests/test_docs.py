"""The workflow diagram in the docs is the table."""

from pathlib import Path

from beian.filings.diagram import markdown
from beian.filings.transitions import TABLE

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"


def test_docs_workflow_matches_the_table():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "run: beian workflow_diagram --output docs/workflow.md"
    )


def test_diagram_names_every_event():
    text = markdown()
    for row in TABLE:
        assert f": {row.event}" in text
