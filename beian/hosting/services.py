"""Writes for hosting: issuing, binding and using up filing service codes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from beian.core import audit, clock
from beian.core.errors import Refusal
from beian.hosting import errors  # noqa: F401 - registers refusal codes
from beian.hosting.models import Billing, CodeStatus, FilingServiceCode, Server


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def server_refusal(server: Server, *, today: dt.date | None = None) -> Refusal | None:
    """Why a server cannot carry a filing, or None when it qualifies."""
    today = today or clock.today()
    months = settings.BEIAN["MIN_SUBSCRIPTION_MONTHS"]
    if not server.is_mainland:
        return Refusal("server_not_mainland", field="server")
    if not server.public_ip:
        return Refusal("server_no_public_ip", field="server")
    if server.billing == Billing.PAY_AS_YOU_GO:
        return Refusal("server_pay_as_you_go", field="server")
    if not server.subscription_start or not server.subscription_end:
        return Refusal("server_subscription_too_short", field="server", params={"months": months})
    if server.subscription_end < today:
        return Refusal("server_expired", field="server")
    if server.subscription_end < _add_months(server.subscription_start, months):
        return Refusal("server_subscription_too_short", field="server", params={"months": months})
    return None


@transaction.atomic
def issue_service_code(*, server: Server, actor) -> FilingServiceCode:
    server = Server.objects.select_for_update().get(pk=server.pk)
    refusal = server_refusal(server)
    if refusal:
        raise refusal
    limit = settings.BEIAN["MAX_CODES_PER_SERVER"]
    if server.service_codes.exclude(status=CodeStatus.INVALID).count() >= limit:
        raise Refusal("server_code_limit", field="server", params={"limit": limit})
    code = FilingServiceCode.objects.create(server=server, issued_at=clock.now())
    audit.record(
        actor=actor,
        object_type="service_code",
        object_id=code.pk,
        verb="issued",
        data={"server": server.instance_id},
    )
    return code


@transaction.atomic
def revoke_service_code(*, code: FilingServiceCode, actor) -> FilingServiceCode:
    """The owner withdraws a code nobody has bound yet; it no longer counts against
    the server's limit. A bound code belongs to a filing under way, a used one to a
    filing that succeeded: neither can be revoked."""
    code = FilingServiceCode.objects.select_for_update().get(pk=code.pk)
    if code.status == CodeStatus.BOUND:
        raise Refusal("code_revoke_bound", status=409)
    if code.status == CodeStatus.USED:
        raise Refusal("code_revoke_used", status=409)
    if code.status == CodeStatus.INVALID:
        raise Refusal("code_already_revoked", status=409)
    code.status = CodeStatus.INVALID
    code.save(update_fields=["status"])
    audit.record(actor=actor, object_type="service_code", object_id=code.pk, verb="revoked")
    return code


def find_code(code: str) -> FilingServiceCode:
    normalised = "".join(code.split()).upper()
    found = FilingServiceCode.objects.select_related("server").filter(code=normalised).first()
    if found is None:
        raise Refusal("code_unknown", field="service_code")
    return found


def code_refusal(code: FilingServiceCode, account) -> Refusal | None:
    """Why `account` cannot file with this code now, or None."""
    if code.status == CodeStatus.USED:
        return Refusal("code_used", field="service_code")
    if code.status == CodeStatus.INVALID:
        return Refusal("code_invalid", field="service_code")
    if code.status == CodeStatus.BOUND and code.bound_account_id != account.pk:
        return Refusal("code_bound_elsewhere", field="service_code")
    refusal = server_refusal(code.server)
    if refusal:
        refusal.field = "service_code"
    return refusal


@transaction.atomic
def bind_service_code(*, code: str, account) -> FilingServiceCode:
    found = find_code(code)
    found = FilingServiceCode.objects.select_for_update().select_related("server").get(pk=found.pk)
    refusal = code_refusal(found, account)
    if refusal:
        raise refusal
    if found.status != CodeStatus.BOUND:
        found.status = CodeStatus.BOUND
        found.bound_account = account
        found.bound_at = clock.now()
        found.save(update_fields=["status", "bound_account", "bound_at"])
        audit.record(actor=account, object_type="service_code", object_id=found.pk, verb="bound")
    return found


def use_up_service_code(code: FilingServiceCode, *, actor=None) -> None:
    """Called inside the approval transaction: the code cannot be used again."""
    FilingServiceCode.objects.filter(pk=code.pk).update(status=CodeStatus.USED, used_at=clock.now())
    audit.record(actor=actor, object_type="service_code", object_id=code.pk, verb="used")
