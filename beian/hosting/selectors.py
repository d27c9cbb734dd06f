"""Reads for the hosting owner's pages, scoped to the servers the caller owns."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from beian.core.errors import NotFound
from beian.hosting.models import CodeStatus, FilingServiceCode, Server


def servers_of(user):
    """The caller's servers with the count of codes in each status."""
    return (
        Server.objects.filter(owner=user)
        .annotate(
            codes_live=Count("service_codes", filter=~Q(service_codes__status=CodeStatus.INVALID)),
            codes_used=Count("service_codes", filter=Q(service_codes__status=CodeStatus.USED)),
        )
        .order_by("pk")
    )


def server_of(user, server_id: int) -> Server:
    """One of the caller's servers with its codes and the filings that used each; a
    server of somebody else is not found (the same answer as one that does not exist).

    The filings are read through the reverse relation filings declares on its
    application (`FilingServiceCode.applications`): hosting imports nothing above it."""
    server = (
        Server.objects.filter(owner=user, pk=server_id)
        .prefetch_related(
            Prefetch(
                "service_codes",
                queryset=FilingServiceCode.objects.select_related("bound_account")
                .prefetch_related("applications__subject", "applications__websites__domains")
                .order_by("-issued_at", "-pk"),
            )
        )
        .first()
    )
    if server is None:
        raise NotFound()
    return server


def code_of(user, code_id: int) -> FilingServiceCode:
    code = FilingServiceCode.objects.filter(server__owner=user, pk=code_id).first()
    if code is None:
        raise NotFound()
    return code
