"""The hosting owner's pages: their servers, and each server's filing service codes
(issue, revoke, and which filing used which code). Writes go through services."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beian.accounts.models import Role
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import t
from beian.hosting import selectors, services


def owner_only(view):
    """Logged-in hosting owners only; another role is told so (403), a server or code
    of another owner is not found (404)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.HOSTING_OWNER:
            refusal = Refusal("not_hosting_owner", status=403)
            return render(request, "hosting/forbidden.html", {"refusal": refusal}, status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapped


@owner_only
def servers(request):
    rows = list(selectors.servers_of(request.user))
    for server in rows:
        server.refusal = services.server_refusal(server)
    limit = settings.BEIAN["MAX_CODES_PER_SERVER"]
    return render(request, "hosting/servers.html", {"servers": rows, "limit": limit})


def _server_page(request, server, *, refusal: Refusal | None = None, status: int = 200):
    return render(
        request,
        "hosting/server.html",
        {
            "server": server,
            "codes": list(server.service_codes.all()),
            "server_refusal": services.server_refusal(server),
            "refusal": refusal,
        },
        status=status,
    )


@owner_only
def server(request, server_id: int):
    return _server_page(request, selectors.server_of(request.user, server_id))


@owner_only
@require_POST
def issue_code(request, server_id: int):
    found = selectors.server_of(request.user, server_id)
    try:
        code = services.issue_service_code(server=found, actor=request.user)
    except Refusal as refusal:
        found = selectors.server_of(request.user, server_id)
        return _server_page(request, found, refusal=refusal, status=refusal.status)
    messages.success(
        request, t(f"已申请备案服务号 {code.code}。", f"Filing service code {code.code} issued.")
    )
    return redirect("hosting:server", server_id=found.pk)


@owner_only
@require_POST
def revoke_code(request, code_id: int):
    code = selectors.code_of(request.user, code_id)
    try:
        services.revoke_service_code(code=code, actor=request.user)
    except Refusal as refusal:
        found = selectors.server_of(request.user, code.server_id)
        return _server_page(request, found, refusal=refusal, status=refusal.status)
    messages.success(
        request, t(f"备案服务号 {code.code} 已作废。", f"Filing service code {code.code} revoked.")
    )
    return redirect("hosting:server", server_id=code.server_id)
