"""`beian edge follow`: the edge agent, on each edge node (docs/gate.md, "The change feed").

beian edge follow --feed redis://feed.internal:6379/0 \\
    --haproxy-socket /run/haproxy/beian-admin.sock --haproxy-map /etc/haproxy/beian.map
beian edge follow --feed redis://feed.internal:6379/0 --nginx-socket /run/beian/gate-admin.sock \\
    --status /var/lib/node_exporter/beian-edge.prom

It needs only the feed's address (default: BEIAN_GATE_FEED_URL) and the node's
local socket; no database.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beian.registry import edge


class Command(BaseCommand):
    help = "Edge agent: keep this node's gate table equal to the allow-list, from the change feed."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        follow = sub.add_parser("follow", help="follow the change feed onto the local node(s)")
        beian = getattr(settings, "BEIAN", {})
        follow.add_argument(
            "--feed",
            default=beian.get("GATE_FEED_URL", ""),
            help="the feed's Redis address (default: BEIAN_GATE_FEED_URL)",
        )
        follow.add_argument(
            "--key",
            default=beian.get("GATE_FEED_KEY", "beian:gate"),
            help="the feed's key prefix (default: BEIAN_GATE_FEED_KEY or beian:gate)",
        )
        follow.add_argument("--haproxy-socket", help="HAProxy's admin socket (path or host:port)")
        follow.add_argument("--haproxy-map", help="the map file HAProxy's configuration looks up")
        follow.add_argument(
            "--no-map-file",
            action="store_true",
            help="do not rewrite the HAProxy map file after a full load",
        )
        follow.add_argument("--nginx-socket", help="nginx's gate admin socket (path or host:port)")
        follow.add_argument("--status", help="write the status here (Prometheus text format)")
        follow.add_argument(
            "--check-seconds",
            type=float,
            default=5.0,
            help="how often to ask each node whether it still has its table",
        )

    def handle(self, *args, **options):
        if not options["feed"]:
            raise CommandError("no feed address: give --feed or set BEIAN_GATE_FEED_URL")
        nodes = []
        if options["haproxy_socket"] or options["haproxy_map"]:
            if not (options["haproxy_socket"] and options["haproxy_map"]):
                raise CommandError("HAProxy needs both --haproxy-socket and --haproxy-map")
            nodes.append(
                edge.HAProxyRuntime(
                    options["haproxy_socket"],
                    options["haproxy_map"],
                    write_file=not options["no_map_file"],
                )
            )
        if options["nginx_socket"]:
            nodes.append(edge.NginxLua(options["nginx_socket"]))
        if not nodes:
            raise CommandError("no node: give --haproxy-socket/--haproxy-map or --nginx-socket")
        logging.getLogger("beian.registry.edge").setLevel(logging.INFO)
        follower = edge.Follower(
            options["feed"],
            nodes,
            prefix=options["key"],
            status_path=options["status"],
            check_seconds=options["check_seconds"],
        )
        self.stdout.write(
            f"following {edge.redact(options['feed'])} onto {', '.join(n.label for n in nodes)}"
        )
        try:
            follower.run()
        except KeyboardInterrupt:
            follower.stop()
