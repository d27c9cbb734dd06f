"""The `authority` check of `/readyz` (beian/core/health.py): does the
administration's interface answer?

It applies when Beian talks to the interface: the "miit" submission adapter,
the look-up at start, or the download sync. An HTTP answer of any status is
"reachable" (the endpoint answers SOAP posts, not plain GETs); a refused
connection, a name that does not resolve or a timeout is not. Nothing is
sent but a GET of the endpoint, so nothing is logged in the exchange log and
no rate limit is spent.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from django.conf import settings

from beian.core.health import Skipped

MIIT_ADAPTER = "beian.authority.adapter.MiitAdapter"
MIIT_LOOKUP = "beian.authority.lookup.MiitLookup"
# A load balancer asks every few seconds: an unreachable interface must fail fast.
TIMEOUT_SECONDS = 2


def interface_in_use() -> bool:
    config = settings.BEIAN
    lookup = config.get("AUTHORITY_LOOKUP")
    return (
        config.get("AUTHORITY_ADAPTER") in ("miit", MIIT_ADAPTER)
        or lookup is True
        or lookup in ("miit", MIIT_LOOKUP)
        or bool(config.get("AUTHORITY_SYNC"))
    )


def interface_reachable() -> str | None:
    if not interface_in_use():
        raise Skipped("the administration's interface is not used (AUTHORITY_ADAPTER local)")
    url = settings.BEIAN["AUTHORITY_URL"]
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return f"HTTP {status}"
