"""`beian audit verify`: walk the audit log's hash chain (beian.core.audit_chain).

Prints how many events were checked; on a broken link, prints the first one
(its id and what is wrong) to stderr and exits 1.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beian.core.audit_chain import verify


class Command(BaseCommand):
    help = "Audit log: `verify` checks the hash chain and reports the first broken link (exit 1)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        verdict = verify()
        if verdict.ok:
            head = f", head {verdict.head}" if verdict.head else ""
            self.stdout.write(f"audit chain intact: {verdict.checked} events{head}")
            return
        self.stderr.write(
            f"audit chain broken at event #{verdict.event_id}: {verdict.problem} "
            f"({verdict.checked} events checked)"
        )
        raise CommandError("audit chain broken", returncode=1)
