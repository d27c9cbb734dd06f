"""One home for the ids Beian sends as ``IspZtid``, ``IspWzid``, ``IspYmid``, ``IspJrid`` and
``IspIpid`` (spec: any positive integer, unique in the provider's system).

A record Beian holds is named by its primary key. A record it does not hold yet — a domain
that a change (BGBA) adds, whose row is made when the change is approved — gets a reserved
id, ``RESERVED_BASE + pk`` of a :class:`ReservedIspId`: apart from every primary key (so it
cannot collide with a real domain's id, as ``website.pk × 1000 + i + 1`` could), and the same
when the file is rebuilt for the same application.
"""

from __future__ import annotations

from beian.authority.models import ReservedIspId

RESERVED_BASE = 10**12  # far above any primary key; IspYmid is an xs:long


def of(row) -> int:
    """The id of a row Beian holds: its primary key."""
    return int(row.pk)


def reserved(kind: str, application, key: str) -> int:
    """The id of a record ``application`` adds that has no row yet (stable per key)."""
    row, _ = ReservedIspId.objects.get_or_create(kind=kind, application=application, key=key)
    return RESERVED_BASE + row.pk
