"""Reads of the registry: the gate's allow-list and its version, public look-ups,
display findings. Public look-ups return only what may be shown to anyone."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Collate

from beian.core import masking, timefmt
from beian.filings.models import (
    Access,
    AccessStatus,
    Domain,
    RecordStatus,
    Subject,
    SubjectNature,
    Website,
)
from beian.registry import gate
from beian.rules import hosts, icp

# --- the gate -----------------------------------------------------------


def gate_version() -> str:
    """A cheap fingerprint of the allow-list: two index look-ups, no scan.

    Opening, closing or changing an access stamps Access.changed_at (the
    methods of `filings.models.AccessQuerySet` and `Access.move_to` own it);
    the number of rows stamped at the latest moment tells apart two changes in
    the same instant.
    """
    latest = Access.objects.aggregate(m=Max("changed_at"))["m"]
    if latest is None:
        return "empty"
    at_latest = Access.objects.filter(changed_at=latest).count()
    return f"{latest.isoformat()}#{at_latest}"


def gate_domains(*, ordered: bool = False) -> Iterator[str]:
    """Registrable domains (punycode) that are filed and accessed here, streamed.

    Each name comes once: a filed name is unique (constraint `domain_filed_once`)
    and the open accesses are a semi-join. `ordered` streams them in byte
    order (punycode is ASCII), sorted by the database, so an export needs no
    sort and no list in memory.
    """
    open_websites = Access.objects.filter(status=AccessStatus.OPEN).values("website_id")
    rows = Domain.objects.filter(status=RecordStatus.FILED, website_id__in=open_websites)
    postgresql = connection.vendor == "postgresql"
    if ordered:
        # SQLite compares bytes already; PostgreSQL's "C" collation does the
        # same and sorts far faster than a locale's.
        rows = rows.order_by(Collate("name", "C") if postgresql else "name")
    names = rows.values_list("name", flat=True)
    if not postgresql or connection.in_atomic_block:
        # SQLite: one SELECT in autocommit mode reads one WAL snapshot to its
        # end, and a WAL reader never blocks a writer. No transaction around
        # it: Beian's SQLite transactions are BEGIN IMMEDIATE, which takes the
        # write lock for the whole read (writes waited 3.6 s at 1 M and failed
        # "database is locked" at 7 M, issue 19).
        yield from names.iterator(chunk_size=20000)
        return
    # PostgreSQL: a read-only REPEATABLE READ transaction is one snapshot and
    # takes no lock a writer waits for; in a transaction the cursor streams
    # instead of materialising all rows first (a cursor outside one is WITH
    # HOLD), and planning for all rows rather than the first tenth picks a sort
    # or merge over 7 million index probes (measured at 7 M: minutes against seconds).
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield from names.iterator(chunk_size=20000)


def gate_allowed_among(names) -> set[str]:
    """Which of `names` are on the allow-list now: `gate_domains`' rule for a
    few names (the change feed asks after each commit). An index look-up per
    name and per website: the `IN (open websites)` form of `gate_domains`,
    right for reading every name, made SQLite list all open accesses first
    (790 000 rows at 1 M domains) for every publication."""
    open_access = Access.objects.filter(website_id=OuterRef("website_id"), status=AccessStatus.OPEN)
    rows = Domain.objects.filter(name__in=list(names), status=RecordStatus.FILED)
    return set(rows.filter(Exists(open_access)).values_list("name", flat=True))


def gate_snapshot(loaded_at: float = 0.0) -> gate.Snapshot:
    version = gate_version()  # read first: a change during the load shows next time
    return gate.Snapshot(frozenset(gate_domains()), version=version, loaded_at=loaded_at)


# --- public query -------------------------------------------------------


@dataclass(frozen=True)
class PublicRecord:
    """What the public may see of a filed website."""

    subject_name: str
    subject_nature: str
    subject_number: str
    website_name: str
    website_number: str
    domains: tuple[str, ...]
    approved_on: str

    def as_dict(self) -> dict:
        return {
            "subject_name": self.subject_name,
            "subject_nature": self.subject_nature,
            "subject_number": self.subject_number,
            "website_name": self.website_name,
            "website_number": self.website_number,
            "domains": list(self.domains),
            "approved_on": self.approved_on,
        }


def _public(website: Website) -> PublicRecord:
    subject = website.subject
    name = subject.name
    if subject.nature == SubjectNature.INDIVIDUAL:
        name = masking.mask_name(name)  # a person's name: 张*
    filed_on = website.filed_at or subject.filed_at
    return PublicRecord(
        subject_name=name,
        subject_nature=subject.get_nature_display(),
        subject_number=subject.icp_number or "",
        website_name=website.name,
        website_number=website.icp_number or "",
        domains=tuple(
            d.unicode_name or d.name
            for d in website.domains.all()
            if d.status == RecordStatus.FILED
        ),
        approved_on=timefmt.date_text(filed_on),
    )


def normalise_query(text: str) -> str:
    # Full-width letters and digits (ＩＣＰ备１２３号) are folded; spaces removed.
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def guess_kind(query: str) -> str:
    q = normalise_query(query)
    if "ICP" in q.upper():
        return "number"
    if "." in q and " " not in q:
        return "domain"
    return "name"


def _filed_websites():
    return Website.objects.filter(status=RecordStatus.FILED).select_related("subject")


def find_by_domain(query: str, limit: int = 20) -> list[PublicRecord]:
    host = hosts.normalise(normalise_query(query))
    if not host or hosts.is_ip_literal(host):
        return []
    candidates = hosts.covering_names(host)  # the gate's rule, as names to look up
    website_ids = Domain.objects.filter(name__in=candidates, status=RecordStatus.FILED).values(
        "website_id"
    )
    websites = _filed_websites().filter(pk__in=website_ids).prefetch_related("domains")
    return [_public(w) for w in websites[:limit]]


def find_by_number(query: str, limit: int = 50) -> list[PublicRecord]:
    number = icp.parse(query)
    if number is None:
        return []
    if number.is_subject_number:  # all its filed websites
        websites = _filed_websites().filter(
            subject__icp_number=str(number), subject__status=RecordStatus.FILED
        )
    else:  # a website number
        websites = _filed_websites().filter(icp_number=str(number))
    websites = websites.prefetch_related("domains").order_by("index", "pk")
    return [_public(w) for w in websites[:limit]]


_NAME_MATCHES = 1000


def find_by_name(query: str, limit: int = 50) -> list[PublicRecord]:
    """Exact filer (subject) name or website name."""
    name = (query or "").strip()
    if not name:
        return []
    # Index look-ups by name, then the rows. An OR across the join made the
    # database walk every website (5 s at 5.5 million for a name not on file),
    # and ORDER BY pk LIMIT tempts it to walk the primary key for a frequent
    # name; so the matches are taken unordered (at most _NAME_MATCHES of each)
    # and the first by number are shown.
    filers = Subject.objects.filter(name=name, status=RecordStatus.FILED)
    filer_ids = list(filers.values_list("pk", flat=True)[:_NAME_MATCHES])
    filed = Website.objects.filter(status=RecordStatus.FILED)
    ids = set(filed.filter(subject_id__in=filer_ids).values_list("pk", flat=True)[:_NAME_MATCHES])
    ids.update(filed.filter(name=name).values_list("pk", flat=True)[:_NAME_MATCHES])
    first = sorted(ids)[:limit]
    websites = _filed_websites().filter(pk__in=first).prefetch_related("domains").order_by("pk")
    return [_public(w) for w in websites]


FINDERS = {"domain": find_by_domain, "number": find_by_number, "name": find_by_name}


def public_query(query: str, kind: str | None = None) -> tuple[str, list[PublicRecord]]:
    kind = kind if kind in FINDERS else guess_kind(query)
    return kind, FINDERS[kind](query)
