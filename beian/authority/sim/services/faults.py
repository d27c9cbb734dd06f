"""Faults on demand, for tests and the console."""

from __future__ import annotations

from beian.authority.models import (
    SimFault,
)
from beian.authority.sim.services.base import _when
from beian.core import clock


def inject_fault(kind: str, method: str = "*", remaining: int = 1, seconds: float = 2.0):
    return SimFault.objects.create(
        kind=kind, method=method, remaining=remaining, seconds=seconds, created_at=clock.now()
    )


def take_faults(method: str) -> dict:
    """The faults that apply to this call (each used once per call)."""
    found = {}
    for fault in SimFault.objects.filter(remaining__gt=0).order_by("pk"):
        if fault.method not in ("*", method) or fault.kind in found:
            continue
        if fault.kind == "wrong_hash" and method != "isp_download":
            continue
        if fault.kind == "gap" and method != "isp_upload":
            continue
        fault.remaining -= 1
        fault.log = [*fault.log, {"at": _when(), "method": method}]
        fault.save(update_fields=["remaining", "log"])
        found[fault.kind] = fault
    return found
