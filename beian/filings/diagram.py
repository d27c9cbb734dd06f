"""Renders the transition table as Mermaid state diagrams (docs/workflow.md)."""

from __future__ import annotations

from beian.filings.states import PROFILES, ApplicationState, FilingType, OriginalsState, PhotoState
from beian.filings.transitions import TABLE

_LABELS = {
    "main": dict(ApplicationState.choices),
    "originals": dict(OriginalsState.choices),
    "photo": dict(PhotoState.choices),
}
_TITLES = {
    "main": "Application (main track)",
    "originals": "Originals by post (parallel track)",
    "photo": "Photo verification (parallel track)",
}


def mermaid(track: str) -> str:
    lines = ["stateDiagram-v2"]
    for state in sorted(
        {s for row in TABLE if row.track == track for s in (*row.sources, row.target)}
    ):
        lines.append(f"    {state} : {_LABELS[track].get(state, state)}")
    for row in TABLE:
        if row.track != track:
            continue
        condition = f" [{row.when.__name__}]" if row.when else ""
        roles = ",".join(sorted(row.roles))
        for source in row.sources:
            lines.append(f"    {source} --> {row.target} : {row.event}{condition} ({roles})")
    if track == "main":
        lines.append("    [*] --> draft")
    return "\n".join(lines)


def markdown() -> str:
    parts = [
        "# The workflow",
        "",
        "Generated from `beian/filings/transitions.py` by `beian workflow_diagram --output docs/workflow.md`;",
        "a test fails when this file and the table disagree. Each arrow is `event [condition] (roles)`.",
        "The photo and originals tracks run in parallel while the application is `verifying`;",
        "`mark_ready` fires by itself when both are verified.",
        "",
    ]
    for track in ("main", "originals", "photo"):
        parts += [f"## {_TITLES[track]}", "", "```mermaid", mermaid(track), "```", ""]
    parts += [
        "## Filing types",
        "",
        "| type | originals + photo | MIIT SMS answered by | service code | access opens at initial review | filing password | upload |",
        "|---|---|---|---|---|---|---|",
    ]
    for filing_type, p in PROFILES.items():
        parts.append(
            f"| {FilingType(filing_type).label} | {'yes' if p.verification else 'no'} | "
            f"{', '.join(p.sms) or 'nobody (no SMS)'} | {'yes' if p.needs_service_code else 'no'} | "
            f"{'yes' if p.opens_access_on_review else 'no'} | {'yes' if p.filing_password else 'no'} | "
            f"{p.upload_type} |"
        )
    return "\n".join(parts) + "\n"
