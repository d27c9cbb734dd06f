"""Allocating ICP numbers (domain.md §6); their format is `beian.rules.icp`'s.

Serials come from a per-province, per-year counter taken under a row lock, so
two approvals at once never share a number. Used by the administration
simulator and by the local (one-machine) administration.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from beian.core import clock
from beian.filings.approval import CREATES_SUBJECT, OPENS_ACCESS, next_website_index
from beian.filings.models import Application, IcpSerialCounter
from beian.rules import icp


def next_subject_number(province: str, year: int | None = None) -> str:
    year = year or clock.today().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                IcpSerialCounter.objects.get_or_create(province=province, year=year)
        except IntegrityError:  # created by a concurrent approval: fine, lock it below
            pass
        counter = IcpSerialCounter.objects.select_for_update().get(province=province, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return icp.subject_number(province, year, counter.last)


def allocate_numbers(app: Application) -> dict:
    """The approval data for `app`: new subject/website numbers where missing."""
    data: dict = {"website_numbers": {}}
    subject = app.subject
    subject_number = subject.icp_number
    if app.filing_type in CREATES_SUBJECT and not subject_number:
        subject_number = next_subject_number(app.province)
        data["subject_number"] = subject_number
    if app.filing_type in OPENS_ACCESS:
        subject.icp_number = subject_number
        index = next_website_index(subject)
        for website in app.websites.order_by("pk"):
            if website.icp_number:
                continue
            data["website_numbers"][str(website.pk)] = icp.website_number(subject_number, index)
            index += 1
    return data
