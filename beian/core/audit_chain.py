"""The audit log as a hash chain: tamper-evident.

Each AuditEvent carries `prev_hash` (the link of the event before it) and
`hash` = HMAC-SHA256(key, prev_hash + "\\n" + canonical content), where the
canonical content is the event's id and fields as sorted, compact JSON. The
key is derived from BEIAN_PII_KEY (not SECRET_KEY, which may rotate): someone
who can write to the database but does not hold the key cannot forge a link.
The head of the chain (AuditChainHead, one row) is taken under a row lock in
the same transaction as the event, so two writers never link to the same
predecessor; a rolled-back transaction rolls its link back too.

`verify()` walks the events in id order and answers the first broken link:
an altered event (its hash does not match its content), a removed or
inserted one (its prev_hash is not the link before it), or a removed tail
(the head names a later event than the last one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from beian.core.models import AuditChainHead, AuditEvent

CHUNK = 2000


def _key() -> bytes:
    return hmac.new(settings.PII_KEY.encode(), b"beian.audit-chain", hashlib.sha256).digest()


def canonical(event) -> bytes:
    at = event.at
    if at is not None and at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    content = {
        "at": at.isoformat() if at else None,
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "verb": event.verb,
        "track": event.track,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "request_id": event.request_id,
        # As the database gives it back (tuples become lists, …).
        "data": json.loads(json.dumps(event.data or {})),
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link(prev_hash: str, event, key: bytes | None = None) -> str:
    message = prev_hash.encode() + b"\n" + canonical(event)
    return hmac.new(key or _key(), message, hashlib.sha256).hexdigest()


def _locked_head():
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First event, or a database emptied by hand: start from the last event there is.
    last = AuditEvent.objects.exclude(hash="").order_by("-id").first()
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1, last_id=last.pk if last else 0, last_hash=last.hash if last else ""
            )
    except IntegrityError:
        pass  # another writer created it first
    return AuditChainHead.objects.select_for_update().get(pk=1)


def append(event) -> None:
    """Save a new event as the next link. Call inside the writer's transaction."""
    # No savepoint of its own: an error here fails the writer's transaction anyway.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event.prev_hash = head.last_hash
        event.hash = link(event.prev_hash, event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash)


@dataclass
class Verdict:
    ok: bool
    checked: int
    event_id: int | None = None
    problem: str = ""
    head: str = ""  # the last link: keep it outside the database


def verify() -> Verdict:
    key, prev, checked, last_id = _key(), "", 0, 0
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=CHUNK)
    for event in events:
        checked += 1
        if event.prev_hash != prev:
            return Verdict(False, checked, event.pk, "prev_hash does not name the event before it")
        if not hmac.compare_digest(event.hash, link(prev, event, key)):
            return Verdict(False, checked, event.pk, "content does not match its hash")
        prev, last_id = event.hash, event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id, head.last_hash) != (last_id, prev):
        return Verdict(
            False,
            checked,
            head.last_id,
            f"events after #{last_id} are missing (the head names #{head.last_id})",
        )
    return Verdict(True, checked, head=prev)
