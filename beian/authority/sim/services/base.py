"""The simulator's own state, ids and record look-ups, and the download queue its answers go to."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from beian.authority import extcodes
from beian.authority.client import setting
from beian.authority.models import (
    SimDownload,
    SimState,
    SimSubject,
    SimWebsite,
)
from beian.authority.sim.build import code_tables_xml, download_xml
from beian.core import clock
from beian.rules import hosts, icp


def knob(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


def state() -> SimState:
    row, _ = SimState.objects.get_or_create(pk=1)
    return row


def new_id() -> int:
    with transaction.atomic():
        row = SimState.objects.select_for_update().get(pk=state().pk)
        row.next_id += 1
        row.save(update_fields=["next_id"])
        return row.next_id


class Answer(Exception):
    """A method-level answer other than success (raised to leave the handler early)."""

    def __init__(self, code: int, message: str | None = None):
        self.code = code
        self.message = message or extcodes.describe(code)[0]
        super().__init__(self.message)


def _find_website_by_domain(domain: str) -> SimWebsite | None:
    domain = domain.strip().lower()
    for row in SimWebsite.objects.filter(cancelled=False).select_related("subject"):
        names = {d["name"] for d in row.data.get("domains", [])}
        if hosts.covered(domain, names):
            return row
    return None


def _subject_by_number(number: str | None) -> SimSubject | None:
    if not number:
        return None
    return SimSubject.objects.filter(number=icp.subject_part(number), cancelled=False).first()


def _when() -> str:
    return clock.now().astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M:%S")


def queue_download(summary: str, **parts) -> SimDownload:
    xml = download_xml(when=_when(), **parts)
    name = f"D{int(setting('AUTHORITY_ISP_ID'))}{clock.now():%Y%m%d%H%M%S}{new_id()}.xml"
    return SimDownload.objects.create(
        file_name=name, xml=xml, summary=summary[:255], created_at=clock.now()
    )


def queue_code_tables(tables=None) -> SimDownload:
    """Leave the code tables (JCDM) for the provider to download: the bundled set, the same
    tables Beian starts with (``tables``: another set, as a province that renumbered)."""
    name = f"D{int(setting('AUTHORITY_ISP_ID'))}{clock.now():%Y%m%d%H%M%S}{new_id()}.xml"
    return SimDownload.objects.create(
        file_name=name,
        xml=code_tables_xml(tables),
        summary="基础代码 / Code tables (JCDM)",
        created_at=clock.now(),
    )


def _website(number: str | None, website_id: int | None) -> SimWebsite | None:
    qs = SimWebsite.objects.filter(cancelled=False).select_related("subject")
    if number:
        return qs.filter(number=number).first()
    return qs.filter(pk=website_id or 0).first()


def _website_of_access(access_id: int) -> SimWebsite | None:
    for row in SimWebsite.objects.filter(cancelled=False):
        if any(a["access_id"] == access_id for a in row.data.get("accesses", [])):
            return row
    return None
