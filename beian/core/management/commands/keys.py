"""`beian keys fingerprint [--key-file PATH]`: which PII key the data want.

Prints the fingerprint recorded with the data and the configured key's (or a
backed-up key file's), so an operator can find the right backup without
starting Beian (docs/operations.md, "The PII key"). Runs without the start
check — a wrong key is what it is for. Exits 0 when they match, 1 when not.
Rotation (`beian keys rotate`) is not built yet (decision 0026).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beian.core import keys
from beian.core.models import KeyFingerprint


class Command(BaseCommand):
    help = "Show the PII key fingerprint the data were written under, and the configured key's."
    requires_system_checks = []  # the start check refuses a wrong key; this command explains it

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("fingerprint", help="compare the data's key with a key")
        show.add_argument("--key-file", type=Path, help="a backed-up key file to compare instead")

    def handle(self, *args, action: str, key_file: Path | None = None, **options):
        recorded = KeyFingerprint.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
        if key_file is not None:
            if not key_file.is_file():
                raise CommandError(f"{key_file}: no such file")
            candidate, source = keys.fingerprint(key_file.read_text().strip()), str(key_file)
        else:
            candidate, source = keys.fingerprint(), "the configured key"
        self.stdout.write(f"data:  {recorded or '(none recorded yet)'}")
        self.stdout.write(f"key:   {candidate}  ({source})")
        if recorded and recorded != candidate:
            self.stdout.write("不符 / does not match: this is not the data's key")
            raise SystemExit(1)
        self.stdout.write("相符 / matches" if recorded else "nothing to compare with yet")
