"""Hosting API: a hosting owner's servers and their filing service codes."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beian.core.api_errors import answers
from beian.core.errors import NotFound
from beian.core.i18n import t
from beian.hosting import selectors, services
from beian.hosting.models import FilingServiceCode, Server

router = Router(tags=["hosting"])


class UsedByOut(Schema):
    """A filing that used the code, as its owner may see it: the domains and numbers
    (public once filed), never the applicant's order number."""

    domains: list[str]
    filing_type: str
    state: str
    state_label: str
    icp_numbers: list[str]


class CodeOut(Schema):
    id: int
    code: str
    status: str
    status_label: str
    issued_at: dt.datetime
    bound_by: str | None
    bound_at: dt.datetime | None
    used_at: dt.datetime | None
    used_by: list[UsedByOut]


def _label(choice_label) -> str:
    zh, _, en = str(choice_label).partition(" / ")
    return t(zh, en or zh)


def code_out(code: FilingServiceCode) -> dict:
    """A code as the owner's server page shows it: status, who bound it, which filings
    used it (read through filings' reverse relation, as hosting/selectors.py does)."""
    return {
        "id": code.pk,
        "code": code.code,
        "status": code.status,
        "status_label": _label(code.get_status_display()),
        "issued_at": code.issued_at,
        "bound_by": code.bound_account.username if code.bound_account else None,
        "bound_at": code.bound_at,
        "used_at": code.used_at,
        "used_by": [
            {
                "domains": [d.name for w in app.websites.all() for d in w.domains.all()],
                "filing_type": app.filing_type,
                "state": app.state,
                "state_label": _label(app.get_state_display()),
                "icp_numbers": [w.icp_number for w in app.websites.all() if w.icp_number],
            }
            for app in code.applications.all()
        ],
    }


class ServerOut(Schema):
    id: int
    instance_id: str
    region: str
    is_mainland: bool
    public_ip: str | None
    billing: str
    access_method: str  # 接入方式 filed for its websites (cloud = 云接入)
    subscription_start: str | None
    subscription_end: str | None
    qualifies: bool
    refusal: dict | None
    codes: list[CodeOut]


def _server_out(server: Server) -> dict:
    refusal = services.server_refusal(server)
    return {
        "id": server.pk,
        "instance_id": server.instance_id,
        "region": server.region,
        "is_mainland": server.is_mainland,
        "public_ip": server.public_ip,
        "billing": server.billing,
        "access_method": server.access_method,
        "subscription_start": server.subscription_start.isoformat()
        if server.subscription_start
        else None,
        "subscription_end": server.subscription_end.isoformat()
        if server.subscription_end
        else None,
        "qualifies": refusal is None,
        "refusal": refusal.as_dict() if refusal else None,
        "codes": [code_out(c) for c in server.service_codes.all()],
    }


@router.get("/servers", response=answers({200: list[ServerOut]}))
def my_servers(request: HttpRequest):
    servers = selectors.servers_of(request.user).prefetch_related(
        selectors.codes_with_their_filings()
    )
    return [_server_out(s) for s in servers]


@router.post("/servers/{server_id}/codes", response=answers({201: dict}, 403, 404, 409))
def issue_code(request: HttpRequest, server_id: int):
    server = Server.objects.filter(owner=request.user, pk=server_id).first()
    if server is None:
        raise NotFound()
    code = services.issue_service_code(server=server, actor=request.user)
    return Status(201, {"id": code.pk, "code": code.code, "status": code.status})


@router.get("/codes/{code}", response=answers({200: dict}, 404))
def preview_code(request: HttpRequest, code: str):
    """The server a code belongs to, and whether this account can file with it now."""
    found = services.find_code(code)
    refusal = services.code_refusal(found, request.user)
    server = found.server
    return {
        "code": found.code,
        "status": found.status,
        "server": {
            "instance_id": server.instance_id,
            "region": server.region,
            "public_ip": server.public_ip,
        },
        "usable": refusal is None,
        "refusal": refusal.as_dict() if refusal else None,
    }


@router.post("/codes/{code_id}/revoke", response=answers({200: CodeOut}, 404, 409))
def revoke_code(request: HttpRequest, code_id: int):
    """Revoke a code nobody has bound (as the server page's button)."""
    code = selectors.code_of(request.user, code_id)
    services.revoke_service_code(code=code, actor=request.user)
    return code_out(selectors.code_of(request.user, code_id))
