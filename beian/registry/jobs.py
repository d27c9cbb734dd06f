"""Periodic jobs of the registry (the worker imports every app's `jobs.py`)."""

from __future__ import annotations

from django.conf import settings

from beian.notify.periodic import periodic
from beian.registry import display, export, feed


# Every 20 s: an approval or cancellation reaches the exports within a minute
# (plus the export and reload time at national scale, see docs/benchmarks.md).
@periodic("registry.gate_export", every=20, lease=900)
def gate_export() -> None:
    export.refresh_configured()


# The change feed's upkeep (registry.feed.maintain): the first full table, a
# reset after a lost publication, a new full table before the stream is trimmed.
@periodic("registry.gate_feed", every=10, lease=900)
def gate_feed() -> None:
    feed.maintain()


@periodic(
    "registry.display_check",
    every=getattr(settings, "BEIAN", {}).get("DISPLAY_CHECK_EVERY_SECONDS", 600),
    lease=1800,
)
def display_check() -> None:
    display.check_due_websites()
