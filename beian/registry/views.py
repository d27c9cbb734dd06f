"""Pages of the registry: landing page, public query, gate check and block
page, and the back office's display findings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from beian.core import clock
from beian.core.errors import Refusal
from beian.registry.api import run_query
from beian.registry.gate_wsgi import host_of
from beian.registry.live import live_gate
from beian.registry.models import DisplayFinding, DisplayOutcome
from beian.rules import hosts


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/landing.html")


@require_GET
def query_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    by = request.GET.get("by") or None
    context = {"q": q, "by": by or "", "kinds": ["domain", "number", "name"]}
    status = 200
    if q.strip():
        try:
            kind, records = run_query(request, q, by)
            context.update(searched=True, kind=kind, records=records)
        except Refusal as refusal:
            context["refusal"] = refusal
            status = refusal.status
    return render(request, "registry/query.html", context, status=status)


def _blocked(request: HttpRequest, host: str) -> HttpResponse:
    response = render(request, "registry/blocked.html", {"host": host}, status=403)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def gate_check(request: HttpRequest) -> HttpResponse:
    """204 when the host may be served here, 403 (with the block page) when not.

    The host comes from ?host=, else X-Original-Host (set by the edge), else Host.
    Answered from the process's in-memory snapshot. `beian/wsgi.py` answers this
    route before Django (`gate_wsgi.check_app`, no middleware); this view is what
    `runserver` and the test client reach.
    """
    host = host_of(
        request.GET.get("host"),
        request.META.get("HTTP_X_ORIGINAL_HOST"),
        request.META.get("HTTP_HOST"),
    )
    if live_gate.allows(host):
        return HttpResponse(status=204)
    return _blocked(request, hosts.normalise(host))


@require_GET
def blocked_page(request: HttpRequest) -> HttpResponse:
    return _blocked(request, hosts.normalise(request.GET.get("host", "")))


@login_required
@require_GET
def display_findings(request: HttpRequest) -> HttpResponse:
    """Open display findings, nearest deadline first (provider staff)."""
    if not getattr(request.user, "is_provider_staff", False):
        raise PermissionDenied
    findings = (
        DisplayFinding.objects.restrict(request.user)
        .exclude(outcome=DisplayOutcome.OK)
        .select_related("website", "website__subject")
        .order_by("deadline", "pk")
    )
    return render(
        request,
        "registry/display_findings.html",
        {"findings": findings[:500], "now": clock.now()},
    )
