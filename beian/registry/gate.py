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
        # The hot path (about a million decisions a second on one core): an
        # ASCII name without port, trailing dot or spaces needs no normalising
        # beyond lower(); anything unusual takes the careful path.
        if not host:
            return False
        domains = self.domains
        h = host.lower()
        if h in domains:
            return True
        if ":" in h or h[-1] in _ODD_END or h[0] in _ODD_START or not h.isascii():
            return self._allows_unusual(h)
        _, _, h = h.partition(".")
        while h:
            if h in domains:
                return True
            _, _, h = h.partition(".")
        return False

    def _allows_unusual(self, host: str) -> bool:
        h = normalise(host)
        if not h:
            return False
        if is_ip_literal(h):
            return True
        return covered(h, self.domains)


# Last and first characters that send a host down the careful path: a digit or
# "]" (IP literal), a trailing dot, spaces, an opening bracket (IPv6).
_ODD_END = "0123456789.] \t"
_ODD_START = "[ \t"
