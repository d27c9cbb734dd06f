"""The workflow engine: `fire()` is the only way a state changes.

It locks the application, finds the row of the transition table for the
event in the current state of its track, checks role, ownership and scope,
runs the guards, writes the new state and one audit event, and runs the
effects, and moves the back office's counts (`filings/counts.py`), all in one
transaction. When a parallel track completes, the join
(`mark_ready`) fires by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from beian.accounts.models import Role
from beian.core import audit
from beian.core.errors import Refusal
from beian.filings import (
    counts,
    errors,  # noqa: F401 - registers refusal codes
)
from beian.filings.models import Application
from beian.filings.transitions import APPLICANT, SYSTEM, TABLE, TRACK_FIELDS, Transition

STAFF_EVENT_ROLES = {Role.REVIEWER, Role.MAILROOM, Role.PHOTO_VERIFIER, Role.OPERATOR}


@dataclass
class Context:
    actor: object | None
    role: str
    transition: Transition
    from_state: str
    reason: str = ""
    data: dict = field(default_factory=dict)


def _role_of(actor) -> str:
    return SYSTEM if actor is None else actor.role


def candidates(application: Application, event: str) -> list[Transition]:
    """Rows for `event` that start from the application's current state of their track."""
    rows = []
    for row in TABLE:
        if row.event != event:
            continue
        current = getattr(application, TRACK_FIELDS[row.track])
        if current in row.sources and (row.when is None or row.when(application)):
            rows.append(row)
    return rows


def available_events(application: Application, actor) -> list[str]:
    """Events this actor could try now (guards not run): for buttons and docs."""
    role = _role_of(actor)
    found = []
    for row in TABLE:
        if row.auto or row.event in found:
            continue
        if candidates(application, row.event) and _allowed(row, role):
            found.append(row.event)
    return found


def _allowed(row: Transition, role: str) -> bool:
    if role in row.roles:
        return True
    # An admin may do any staff step, never an applicant's or the administration's.
    return role == Role.ADMIN and bool(row.roles & STAFF_EVENT_ROLES)


def _check_actor(application: Application, row: Transition, actor) -> str:
    role = _role_of(actor)
    if not _allowed(row, role):
        raise Refusal("role_not_allowed", status=403, params={"event": row.label[0]})
    if role == APPLICANT and application.account_id != actor.pk:
        raise Refusal("not_your_application", status=403)
    if actor is not None and actor.is_provider_staff and not application.in_scope_of(actor):
        raise Refusal("out_of_scope", status=403)
    return role


def _check_door(row: Transition, door: str | None) -> None:
    """An event that belongs to a service (row.door) is not fired through another door."""
    if door is not None and row.door and row.door != door:
        raise Refusal("event_has_its_own_door", status=403, params={"event": row.label[0]})


def fire(
    application: Application,
    event: str,
    *,
    actor=None,
    reason: str = "",
    data: dict | None = None,
    door: str | None = None,
) -> Application:
    """Fire `event` on `application` as `actor` (None = the system). Returns the fresh row.

    `door` says through which entry the caller comes: the generic events endpoint
    passes GENERIC_DOOR and is refused events that have a door of their own;
    services and jobs inside Beian pass nothing."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        counted = counts.keys_of(app)
        rows = candidates(app, event)
        if not rows:
            label = next((r.label for r in TABLE if r.event == event), (event, event))
            state = app.get_state_display()
            raise Refusal(
                "transition_not_allowed", status=409, params={"event": label[0], "state": state}
            )
        row = rows[0]
        role = _check_actor(app, row, actor)
        _check_door(row, door)
        track_field = TRACK_FIELDS[row.track]
        ctx = Context(
            actor=actor,
            role=role,
            transition=row,
            from_state=getattr(app, track_field),
            reason=reason,
            data=data or {},
        )
        for guard in row.guards:
            guard(app, ctx)
        setattr(app, track_field, row.target)
        app.save()
        audit.record(
            actor=actor,
            object_type="application",
            object_id=app.pk,
            verb=row.event,
            track=row.track,
            from_state=ctx.from_state,
            to_state=row.target,
            reason=reason,
            data={
                k: v
                for k, v in ctx.data.items()
                if isinstance(v, (str, int, float, bool, list, dict))
            },
        )
        for effect in row.effects:
            effect(app, ctx)
        app.save()
        _fire_automatic(app)
        counts.record(counted, counts.keys_of(app))
    return Application.objects.get(pk=app.pk)


def _fire_automatic(app: Application) -> None:
    """Run the joins whose guards now pass (e.g. both tracks verified → ready)."""
    for row in TABLE:
        if not row.auto or not candidates(app, row.event):
            continue
        ctx = Context(
            actor=None,
            role=SYSTEM,
            transition=row,
            from_state=getattr(app, TRACK_FIELDS[row.track]),
        )
        try:
            for guard in row.guards:
                guard(app, ctx)
        except Refusal:
            continue
        setattr(app, TRACK_FIELDS[row.track], row.target)
        app.save()
        audit.record(
            actor=None,
            object_type="application",
            object_id=app.pk,
            verb=row.event,
            track=row.track,
            from_state=ctx.from_state,
            to_state=row.target,
        )
        for effect in row.effects:
            effect(app, ctx)
        app.save()
