from pathlib import Path

from django.core.management.base import BaseCommand

from beian.access import markdown


class Command(BaseCommand):
    help = "Write the role/route table (beian/access.py) as docs/roles.md."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: print)")

    def handle(self, *args, output=None, **options):
        text = markdown()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {output}")
        else:
            self.stdout.write(text, ending="")
