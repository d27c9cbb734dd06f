"""`beian check KIND VALUE [--province P] [--subject-type T] [--lang zh|en]`.

This command takes the name of Django's system check. When the first argument
is one of our kinds (id-card, uscc, phone, domain, website-name, icp-number) it
checks the value and prints one JSON object; otherwise (no argument, app labels,
--deploy, --list-tags …) it is Django's `check` unchanged, so `beian check` still
runs the system checks.

Exit status: 0 when the value passes, 1 when it fails, 2 on a usage error
(missing VALUE, unknown province, website-name without --subject-type).
"""

from __future__ import annotations

import json

from django.apps import apps
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils import translation

from beian.core.errors import Refusal
from beian.rules.checks import KINDS, run_check
from beian.rules.provinces import SUBJECT_TYPES

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Command(SystemCheckCommand):
    help = (
        "Check a value: `check KIND VALUE [--province P] [--subject-type individual|organization]` "
        f"with KIND one of {', '.join(KINDS)}; prints JSON, exits 0 (ok), 1 (not ok), 2 (usage). "
        "Without a KIND: Django's system check."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--province", help="filing province: abbreviation (苏), name (江苏省) or code (320000)"
        )
        parser.add_argument("--subject-type", choices=SUBJECT_TYPES, dest="subject_type")
        parser.add_argument(
            "--lang", choices=("zh", "en"), default="zh", help="language of the messages"
        )

    def handle(self, *args, **options):
        if args and args[0] in KINDS:
            return self.check_value(args[0], args[1:], options)
        unknown = [label for label in args if label not in self._app_labels()]
        if unknown:
            # Neither a kind nor an app: say so instead of Django's LookupError traceback.
            self.usage(f"unknown check kind or app label: {unknown[0]} (kinds: {', '.join(KINDS)})")
        return super().handle(*args, **options)

    @staticmethod
    def _app_labels() -> set[str]:
        return {config.label for config in apps.get_app_configs()}

    def check_value(self, kind: str, rest: tuple[str, ...], options: dict) -> None:
        language = "en" if options["lang"] == "en" else "zh-hans"
        with translation.override(language):
            if len(rest) != 1:
                self.usage(f"usage: beian check {kind} VALUE [--province P] [--subject-type T]")
            try:
                result = run_check(kind, rest[0], options["province"], options["subject_type"])
            except Refusal as refusal:
                self.usage(refusal.message())
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        raise SystemExit(EXIT_OK if result.ok else EXIT_FAILED)

    def usage(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(EXIT_USAGE)
