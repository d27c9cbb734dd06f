"""The access gate: one decision for a host name (HTTP Host) or TLS server name (SNI).

A host passes when it is an IP literal, or when it or one of its parent domains
is a domain that is filed and accessed here (see `selectors.gate_domains`).
Everything else is blocked. The decision runs on a `Snapshot` (a set of
registrable domains, punycode, or the machine's memory-mapped file of their
hashes, `registry.snapshot`); no database query per decision.
"""

from __future__ import annotations

from beian.rules.hosts import covered, is_ip_literal, normalise

# The gate's normalisation and coverage rule are beian.rules.hosts'; they are
# named here too because the gate's callers (views, exports) ask the gate.
__all__ = ["Snapshot"]


class Snapshot:
    """An immutable allow-list: the filed-and-accessed registrable domains."""

    __slots__ = ("domains", "version", "loaded_at")

    def __init__(self, domains, version: str = "", loaded_at: float = 0.0):
        # A set, or a table that answers `name in table` itself (the mapped
        # file of registry.snapshot); any other iterable of names becomes a set.
        keep = isinstance(domains, (set, frozenset)) or getattr(domains, "is_name_table", False)
        self.domains = domains if keep else frozenset(domains)
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
        return covered(h, domains)

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
