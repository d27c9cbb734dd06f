"""Host names at the edge, and the one rule of coverage: a filed domain covers
itself and every name under it.

A filing is for a registrable domain (`rules.checks.domain` normalises what an
applicant types to one: strict, with warnings); a request names a host, which
`normalise` reads as leniently as a client may send it (port, trailing dot,
upper case, Unicode). Whether a filing covers the host is `covered`; the names
a filing could be under are `covering_names`. The access gate
(`registry.gate`), the public query by domain (`registry.selectors`) and the
simulated administration call these; the gate's exports write the filed names
in the edge's own form of the same rule (nginx `.name`; HAProxy: exact `map_str`
look-ups of the host and its parent names).
"""

from __future__ import annotations

import ipaddress

import idna


def _to_ascii(host: str) -> str:
    """IDNA (UTS #46) to punycode; an undecodable name becomes "" (blocked)."""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return ""


def normalise(host: str | None) -> str:
    """Lower-case, strip the port and the trailing dot, IDNA to punycode.

    IPv6 literals keep their brackets stripped ("[::1]:443" -> "::1").
    """
    if not host:
        return ""
    h = host.strip().lower()
    if h.startswith("["):  # [v6] or [v6]:port
        end = h.find("]")
        return h[1:end] if end > 0 else ""
    if h.count(":") == 1:  # name:port or v4:port; more colons = bare IPv6
        h = h.partition(":")[0]
    h = h.rstrip(".")
    if h and not h.isascii():
        h = _to_ascii(h)
    return h


def is_ip_literal(host: str) -> bool:
    """An IPv4 or IPv6 literal (already normalised)."""
    if not host or not (host[-1].isdigit() or ":" in host):
        return False  # a name ends in a letter (TLDs are never numeric)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def covered(host: str, domains) -> bool:
    """Whether `host` (normalised) or one of its parent domains is in `domains`.

    The parents are taken label by label down to two labels: a filed domain is
    a registrable domain, never a bare TLD, so "com" is not asked about (the
    host itself is, whatever its length). This is the gate's hot path (about a
    microsecond a decision, docs/benchmarks.md): string partitions, no lists.
    """
    name = host
    while True:
        if name in domains:
            return True
        _, _, name = name.partition(".")
        if "." not in name:
            return False


class _Asked(list):
    """A container that holds nothing and notes each name it is asked about."""

    def __contains__(self, name) -> bool:
        self.append(name)
        return False


def covering_names(host: str) -> list[str]:
    """The names whose filing would cover `host` (normalised), the host first:
    "a.b.example.cn" -> ["a.b.example.cn", "b.example.cn", "example.cn"].

    Exactly the names `covered` looks up (it is asked with a container that
    holds none), so a database query on these names and the gate's in-memory
    decision cannot disagree."""
    asked = _Asked()
    covered(host, asked)
    return list(asked)
