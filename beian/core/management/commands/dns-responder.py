"""`beian dns-responder`: the demo's own DNS responder on loopback (see core/dnsserver.py).

`make run` starts it beside the web server (`BEIAN_SERVE_DNS=1`, port `BEIAN_DNS_PORT`,
8053) and points the resolve check at it, so the check works offline: the demo's domains
answer from the zone `beian demo` wrote, anything else is refused ("cannot check").
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from beian.core.dnsserver import ZoneResponder


class Command(BaseCommand):
    help = "Serve the demo's DNS zone on loopback for the resolve check."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.BEIAN["DNS_PORT"])
        parser.add_argument("--zone-file", default=settings.BEIAN["DNS_ZONE_FILE"])

    def handle(self, *args, host: str, port: int, zone_file: str, **options):
        responder = ZoneResponder(host=host, port=port, zone_file=zone_file)
        self.stdout.write(f"DNS responder on {responder.address} (zone {zone_file})")
        self.stdout.flush()
        try:
            responder.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            responder.stop()
