"""`beian authority …`: the operator's tools for the provincial interface.

beian authority sample-payloads DIR   # TYPE.xml + TYPE.json for XZBA XZWZ XZJR BGBA ZXBA
beian authority sync                  # download, process and acknowledge results
beian authority settle                # settle uploads whose outcome is unknown
beian authority log [-n 20]           # the last exchanges, return codes in words
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from beian.authority.extcodes import describe
from beian.authority.models import Exchange
from beian.authority.samples import write_samples
from beian.authority.services import settle_unknown_uploads, sync_downloads


class Command(BaseCommand):
    help = "Tools for the MIIT interface: sample-payloads, sync, settle, log."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sample = sub.add_parser("sample-payloads", help="write each upload type as sent")
        sample.add_argument("directory")
        sub.add_parser("sync", help="download, process and acknowledge")
        sub.add_parser("settle", help="settle uploads with an unknown outcome")
        show = sub.add_parser("log", help="last exchanges")
        show.add_argument("-n", type=int, default=20)

    def handle(self, *args, action: str, **options):
        if action == "sample-payloads":
            for path in write_samples(options["directory"]):
                self.stdout.write(str(path))
        elif action == "sync":
            result = sync_downloads()
            for line in result.summary:
                self.stdout.write(line)
            for line in result.problems:
                self.stderr.write(line)
            if result.problems:
                raise CommandError(f"{len(result.problems)} problem(s)")
        elif action == "settle":
            self.stdout.write(f"{settle_unknown_uploads()} upload(s) checked")
        else:
            for row in Exchange.objects.all()[: options["n"]]:
                text = (
                    row.error or " / ".join(describe(row.return_code))
                    if row.return_code is not None
                    else row.error
                )
                self.stdout.write(
                    f"{row.started_at:%Y-%m-%d %H:%M:%S} {row.method:<24} seq={row.data_sequence or '-'} "
                    f"{row.file_name or '-'} code={row.return_code} {text}"
                )
