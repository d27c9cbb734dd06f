"""Hosting API: a hosting owner's servers and their filing service codes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beian.core.api_errors import answers
from beian.core.errors import NotFound
from beian.hosting import services
from beian.hosting.models import Server

router = Router(tags=["hosting"])


class ServerOut(Schema):
    id: int
    instance_id: str
    region: str
    is_mainland: bool
    public_ip: str | None
    billing: str
    subscription_start: str | None
    subscription_end: str | None
    qualifies: bool
    refusal: dict | None
    codes: list[dict]


def _server_out(server: Server) -> dict:
    refusal = services.server_refusal(server)
    return {
        "id": server.pk,
        "instance_id": server.instance_id,
        "region": server.region,
        "is_mainland": server.is_mainland,
        "public_ip": server.public_ip,
        "billing": server.billing,
        "subscription_start": server.subscription_start.isoformat()
        if server.subscription_start
        else None,
        "subscription_end": server.subscription_end.isoformat()
        if server.subscription_end
        else None,
        "qualifies": refusal is None,
        "refusal": refusal.as_dict() if refusal else None,
        "codes": [{"code": c.code, "status": c.status} for c in server.service_codes.all()],
    }


@router.get("/servers", response=answers({200: list[ServerOut]}))
def my_servers(request: HttpRequest):
    servers = (
        Server.objects.filter(owner=request.user).prefetch_related("service_codes").order_by("pk")
    )
    return [_server_out(s) for s in servers]


@router.post("/servers/{server_id}/codes", response=answers({201: dict}, 403, 404, 409))
def issue_code(request: HttpRequest, server_id: int):
    server = Server.objects.filter(owner=request.user, pk=server_id).first()
    if server is None:
        raise NotFound()
    code = services.issue_service_code(server=server, actor=request.user)
    return Status(201, {"code": code.code, "status": code.status})


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
