"""Does a name still resolve? Asked live through the configured resolver.

`settings.BEIAN["DNS_RESOLVER"]`: "" = the system's resolver, else "host" or
"host:port" (tests run a DNS server on 127.0.0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings


@dataclass
class Resolution:
    name: str
    resolves: bool | None  # None: the resolver did not answer
    addresses: list[str] = field(default_factory=list)


def _resolver():
    import dns.resolver

    configured = getattr(settings, "BEIAN", {}).get("DNS_RESOLVER", "")
    if not configured:
        resolver = dns.resolver.Resolver()
    else:
        host, port = configured, 53
        if configured.count(":") == 1:  # host:port (an IPv6 literal has several colons)
            host, _, text = configured.partition(":")
            port = int(text)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [host]
        resolver.port = port
    resolver.lifetime = float(getattr(settings, "BEIAN", {}).get("DNS_TIMEOUT_SECONDS", 3.0))
    return resolver


def resolve(name: str) -> Resolution:
    """A and AAAA look-ups of `name`."""
    import dns.exception
    import dns.resolver

    resolver = _resolver()
    addresses: list[str] = []
    unanswered = False
    for rdtype in ("A", "AAAA"):
        try:
            addresses += [r.to_text() for r in resolver.resolve(name, rdtype)]
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
        except (dns.resolver.NoNameservers, dns.exception.Timeout):
            unanswered = True
    if addresses:
        return Resolution(name, True, addresses)
    return Resolution(name, None if unanswered else False)
