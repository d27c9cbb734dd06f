"""Every write of the back office: one function per decision.

Decisions that change a state go through `workflow.fire` (which writes the
audit event of the transition, and whose table releases the claim where a
decision ends it); these events have `door="review"` in the table, so the
generic API events endpoint refuses them. The others (claim, release, phone calls,
submission attempts) write their own audit event here, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from beian.accounts.models import Role
from beian.core import audit, clock
from beian.core.errors import NotFound, Refusal
from beian.filings import workflow
from beian.filings.effects import required_originals
from beian.filings.models import Application
from beian.filings.selectors import works_on_now
from beian.review import errors  # noqa: F401 - registers refusal codes
from beian.review.adapters.submission import SubmissionFailed, get_adapter
from beian.review.models import CallOutcome, PhoneCall, ReasonTemplate, SubmissionAttempt
from beian.review.selectors import STAGE_BY_KEY, application_for_staff, may_work


def _audit(actor, app: Application, verb: str, **data) -> None:
    audit.record(actor=actor, object_type="application", object_id=app.pk, verb=verb, data=data)


# ---- claim and release ----------------------------------------------------------------------


def claim(app: Application, actor) -> Application:
    """Take an application so colleagues see it is being worked on."""
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("claimed_by")
            .get(pk=app.pk)
        )
        _in_scope(app, actor)
        if not works_on_now(actor, app):
            # A claim says "I am working on it": only a role whose stage it is at.
            raise Refusal("review_claim_not_at_your_stage", status=403)
        if app.claimed_by_id and app.claimed_by_id != actor.pk:
            raise Refusal(
                "review_claimed_by_other", status=409, params={"user": app.claimed_by.username}
            )
        if app.claimed_by_id != actor.pk:
            app.claimed_by = actor
            app.save(update_fields=["claimed_by"])
            _audit(actor, app, "claim")
    return app


def release(app: Application, actor) -> Application:
    """Give an application back to the queue; an admin may release anyone's claim."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=app.pk)
        _in_scope(app, actor)
        if app.claimed_by_id is None:
            return app
        if app.claimed_by_id != actor.pk and actor.role != Role.ADMIN:
            raise Refusal("review_not_claimed_by_you", status=403)
        released = app.claimed_by_id
        app.claimed_by = None
        app.save(update_fields=["claimed_by"])
        _audit(actor, app, "release", released_user_id=released)
    return app


def _in_scope(app: Application, actor) -> None:
    if not app.in_scope_of(actor):
        raise Refusal("out_of_scope", status=403)


# ---- initial review ---------------------------------------------------------------------------


def approve(app: Application, actor) -> Application:
    return workflow.fire(app, "approve_initial_review", actor=actor)


def _generic_field(path: str) -> str:
    """ "websites.0.name" → "websites.name" (templates do not know website indexes)."""
    return re.sub(r"\.\d+(?=\.|$)", "", path)


def build_reasons(items: list[dict]) -> list[dict]:
    """[{field, template (code), text}] → reasons for the workflow: a chosen
    template gives the text (in Chinese, what the applicant reads first), free
    text is added after it; rows with neither are dropped."""
    codes = [i.get("template") for i in items if i.get("template")]
    templates = {t.code: t for t in ReasonTemplate.objects.filter(code__in=codes, active=True)}
    reasons = []
    for item in items:
        field = (item.get("field") or "").strip()
        text = (item.get("text") or "").strip()
        code = (item.get("template") or "").strip()
        template = templates.get(code)
        if code and template is None:
            raise Refusal("review_reason_template_field", field="reasons")
        if template is not None:
            if field and template.field not in (_generic_field(field), field.split(".")[0]):
                raise Refusal("review_reason_template_field", field="reasons")
            field = field or template.field
            text = f"{template.text_zh}（{template.text_en}）" + (f" {text}" if text else "")
        if text:
            reasons.append({"field": field, "template": code, "text": text})
    return reasons


def return_to_applicant(app: Application, actor, items: list[dict]) -> Application:
    reasons = build_reasons(items)
    event = "return_after_authority" if app.state == "authority_returned" else "return_to_applicant"
    return workflow.fire(app, event, actor=actor, data={"reasons": reasons})


def record_call(
    app: Application, actor, *, called_at: dt.datetime | None, outcome: str, note: str = ""
) -> PhoneCall:
    if outcome not in CallOutcome.values:
        raise Refusal("review_call_outcome", field="outcome")
    called_at = called_at or clock.now()
    if called_at > clock.now() + dt.timedelta(minutes=5):
        raise Refusal("review_call_time", field="called_at")
    _in_scope(app, actor)
    if not actor.has_role(Role.REVIEWER, Role.MAILROOM, Role.PHOTO_VERIFIER, Role.OPERATOR):
        raise Refusal("role_not_allowed", status=403, params={"event": "电话记录"})
    with transaction.atomic():
        call = PhoneCall.objects.create(
            application=app,
            called_by=actor,
            called_at=called_at,
            outcome=outcome,
            note=note.strip(),
            recorded_at=clock.now(),
        )
        _audit(actor, app, "phone_call", outcome=outcome, called_at=called_at.isoformat())
    return call


# ---- mailroom ---------------------------------------------------------------------------------


def find_order(actor, typed: str) -> Application:
    """An order by its number, typed or read from the barcode on the form
    (scanners may add spaces or a prefix; only the digits count)."""
    number = re.sub(r"[^0-9A-Za-z]", "", typed or "")
    try:
        return application_for_staff(actor, number)
    except NotFound as exc:
        raise Refusal(
            "review_order_not_found", field="number", status=404, params={"number": number or "-"}
        ) from exc


def _counts(documents: dict) -> dict[str, int]:
    counted = {}
    for name, value in (documents or {}).items():
        try:
            count = int(str(value).strip() or 0)
        except ValueError as exc:
            raise Refusal("review_document_count", field=f"documents.{name}") from exc
        if not 0 <= count <= 99:
            raise Refusal("review_document_count", field=f"documents.{name}")
        counted[name] = count
    return counted


def expected_documents(app: Application) -> dict[str, int]:
    return required_originals(app)


def receive_originals(app, actor, *, documents: dict, courier: str = "", tracking_number: str = ""):
    data = {
        "documents": _counts(documents),
        "courier": courier.strip(),
        "tracking_number": tracking_number.strip(),
    }
    return workflow.fire(app, "receive_originals", actor=actor, data=data)


def record_discrepancy(
    app,
    actor,
    *,
    problems: list[str],
    text: str = "",
    documents: dict | None = None,
    courier: str = "",
    tracking_number: str = "",
):
    """Missing signature, fingerprint or copy: logged with what arrived, and
    returned to the applicant (the workflow tells them)."""
    labels = {
        t.code: t.text_zh
        for t in ReasonTemplate.objects.filter(field="originals", code__in=problems)
    }
    parts = [labels[p] for p in problems if p in labels] + ([text.strip()] if text.strip() else [])
    data = {
        "discrepancy": "；".join(parts),
        "documents": _counts(documents or {}),
        "courier": courier.strip(),
        "tracking_number": tracking_number.strip(),
    }
    return workflow.fire(app, "record_originals_discrepancy", actor=actor, data=data)


# ---- photos and backdrops ---------------------------------------------------------------------


def ship_backdrop(app, actor, *, courier: str, tracking_number: str):
    return workflow.fire(
        app,
        "ship_backdrop",
        actor=actor,
        data={"courier": courier.strip(), "tracking_number": tracking_number.strip()},
    )


def take_point_photo(app, actor, *, photo):
    return workflow.fire(app, "take_point_photo", actor=actor, data={"photo": photo})


def verify_photo(app, actor):
    return workflow.fire(app, "verify_photo", actor=actor)


def reject_photo(app, actor, items: list[dict]):
    reasons = build_reasons([{**i, "field": i.get("field") or "photo"} for i in items])
    return workflow.fire(app, "reject_photo", actor=actor, data={"reasons": reasons})


# ---- submission to the administration ---------------------------------------------------------


def submit(app: Application, actor, adapter=None) -> SubmissionAttempt:
    """Hand one application to the administration through the configured adapter.
    Success or failure, the attempt is recorded and audited; a failure stays on
    the failures list until a later attempt succeeds."""
    adapter = adapter or get_adapter()
    name = getattr(adapter, "name", type(adapter).__name__)
    ok, message = True, ""
    try:
        outcome = adapter.submit(app, actor)
        message = outcome.message
    except SubmissionFailed as exc:
        ok, message = False, exc.message
    with transaction.atomic():
        attempt = SubmissionAttempt.objects.create(
            application=app,
            actor=actor,
            at=clock.now(),
            adapter=name,
            ok=ok,
            message=message[:2000],
        )
        if ok:
            SubmissionAttempt.objects.filter(application=app, ok=False, resolved=False).update(
                resolved=True
            )
            attempt.resolved = True
            attempt.save(update_fields=["resolved"])
        else:
            _audit(actor, app, "submission_failed", adapter=name, message=message[:500])
    return attempt


def submit_many(
    numbers: list[str], actor, adapter=None
) -> list[tuple[str, SubmissionAttempt | Refusal]]:
    """Submit several orders; each stands alone (one failure does not stop the rest).
    Only a role that works the "ready" queue submits (403 before any order is read)."""
    if not may_work(actor, STAGE_BY_KEY["ready"]):
        raise Refusal("role_not_allowed", status=403, params={"event": "submit_to_authority"})
    if not numbers:
        raise Refusal("review_nothing_selected", field="numbers")
    adapter = adapter or get_adapter()
    results = []
    for number in numbers:
        try:
            app = application_for_staff(actor, number)
            results.append((number, submit(app, actor, adapter)))
        except Refusal as refusal:
            results.append((number, refusal))
    return results
