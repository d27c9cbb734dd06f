"""`beian counts --verify` / `--rebuild`: the back office's counters (filings/counts.py).

`--verify` recomputes every counter from the applications and compares: prints
"counts agree" (exit 0), or each key that drifted with its stored and actual
count (exit 1). `--rebuild` recomputes and writes them (the migration that made
the table did the same once).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beian.filings import counts


class Command(BaseCommand):
    help = "Back-office counters: --verify reports drift (exit 1), --rebuild rewrites them."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--verify", action="store_true", help="report drift, write nothing")
        group.add_argument("--rebuild", action="store_true", help="recompute and write")

    def handle(self, *args, verify=False, rebuild=False, **options):
        if rebuild:
            rows = counts.rebuild()
            self.stdout.write(f"counts rebuilt: {rows} rows")
            return
        drifted = counts.drift()
        if not drifted:
            self.stdout.write(f"counts agree: {len(counts.stored())} rows")
            return
        for (stage, province, filing_type, day), have, want in drifted:
            when = "no deadline" if day == counts.NO_DEADLINE else day.isoformat()
            self.stderr.write(
                f"drift: stage {stage}, province {province}, {filing_type}, deadline {when}: "
                f"stored {have}, actual {want}"
            )
        raise CommandError(
            f"{len(drifted)} counters drifted (beian counts --rebuild fixes them)", returncode=1
        )
