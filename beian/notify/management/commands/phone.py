"""`beian phone NUMBER` — the demo's phone screen: the SMS the recording backend
"sent" to one number, as that phone shows them (codes included).

Staff pages and the API show SMS with their secrets redacted; a presenter of
the demo who needs a code reads it here, on the machine, like the person
holding the phone would. Only in demo mode (settings.DEMO)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beian.core import crypto
from beian.core.clock import CHINA
from beian.core.i18n import t
from beian.notify.models import RecordedSms


class Command(BaseCommand):
    help = "Show the SMS recorded for one phone number (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("number", help="the mobile number, e.g. 13962100000")
        parser.add_argument("--last", type=int, default=5, help="how many, newest first")

    def handle(self, *args, number: str, last: int, **options):
        if not getattr(settings, "DEMO", False):
            raise CommandError(
                t(
                    "仅演示模式可用（BEIAN_DEMO=1）：真实短信在收信人手机上。",
                    "Demo mode only (BEIAN_DEMO=1): real SMS are on the recipient's phone.",
                )
            )
        digits = "".join(ch for ch in number if ch.isdigit())
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        rows = RecordedSms.objects.filter(message__to_hash=crypto.lookup_hash(digits)).order_by(
            "-recorded_at"
        )[: max(1, last)]
        if not rows:
            self.stdout.write(t("该号码没有短信。", "No SMS for this number."))
        for row in rows:
            when = row.recorded_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{when}  {row.text}")
