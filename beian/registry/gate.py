"""The access gate: one decision for a host name (HTTP Host) or TLS server name (SNI).

A host passes when it is an IP literal, or when it or one of its parent domains
is a domain that is filed and accessed here (see `selectors.gate_domains`).
Everything else is blocked. The decision runs on an in-memory `Snapshot`
(a set of registrable domains, punycode); no database query per decision.
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


def covered(name: str, domains) -> bool:
    """Whether `name` or one of its parent domains is in `domains`."""
    while True:
        if name in domains:
            return True
        dot = name.find(".")
        if dot < 0:
            return False
        name = name[dot + 1 :]


class Snapshot:
    """An immutable allow-list: the filed-and-accessed registrable domains."""

    __slots__ = ("domains", "version", "loaded_at")

    def __init__(self, domains, version: str = "", loaded_at: float = 0.0):
        self.domains = domains if isinstance(domains, (set, frozenset)) else frozenset(domains)
        self.version = version
        self.loaded_at = loaded_at

    def __len__(self) -> int:
        return len(self.domains)

    def allows(self, host: str | None) -> bool:
        domains = self.domains
        if not host:
            return False
        # Fast path: the common case is an ASCII name without port or trailing dot.
        h = host.lower()
        if h in domains:
            return True
        if not h.isascii() or ":" in h or h[-1] == "." or h[0] in " [\t" or h[-1] in " \t":
            h = normalise(h)
            if not h:
                return False
            if h in domains:
                return True
        if is_ip_literal(h):
            return True
        dot = h.find(".")
        return dot >= 0 and covered(h[dot + 1 :], domains)
