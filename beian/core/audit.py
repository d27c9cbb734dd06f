"""Writing audit events, each linked into the hash chain (beian.core.audit_chain)."""

from __future__ import annotations

from beian.core import audit_chain, clock
from beian.core.middleware import current_request_id
from beian.core.models import AuditEvent


def record(
    *,
    actor,
    object_type: str,
    object_id,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    track: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    role = getattr(actor, "role", "") if actor is not None else "system"
    event = AuditEvent(
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role or "",
        object_type=object_type,
        object_id=str(object_id),
        verb=verb,
        track=track,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        request_id=current_request_id(),
        data=data or {},
    )
    audit_chain.append(event)  # linked to the event before, under the chain's lock
    return event
