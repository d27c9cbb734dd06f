"""Guards and effects of the transition table (see transitions.py).

A guard raises a Refusal explaining why a transition cannot happen; an effect
writes what goes with it: deadlines, records, notifications (outbox rows in
the same transaction). Both receive the locked application and the Context.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from beian.core import clock, deadlines
from beian.core.errors import Refusal
from beian.core.file_crypto import encrypt_bytes
from beian.core.models import AuditEvent
from beian.filings.approval import apply_approval, missing_numbers
from beian.filings.labels import field_label
from beian.filings.models import (
    Access,
    AccessStatus,
    Application,
    Domain,
    OriginalsReceipt,
    PhotoVerification,
    RecordStatus,
    ReturnReason,
    Website,
)
from beian.filings.photos import check_photo
from beian.filings.states import OriginalsState, PhotoMethod, PhotoState, profile
from beian.filings.validation import validate_application
from beian.notify.services import enqueue
from beian.rules.provinces import rules_for

# ---- routing conditions -------------------------------------------------------


def needs_verification(app: Application) -> bool:
    return profile(app.filing_type).verification


def skips_verification(app: Application) -> bool:
    return not needs_verification(app)


def needs_sms(app: Application) -> bool:
    return bool(profile(app.filing_type).sms)


def skips_sms(app: Application) -> bool:
    return not needs_sms(app)


# ---- guards -------------------------------------------------------------------


def guard_not_expired(app: Application, ctx) -> None:
    if app.expires_at and clock.now() >= app.expires_at:
        raise Refusal("order_expired", status=409)


def guard_expired(app: Application, ctx) -> None:
    if not app.expires_at or clock.now() < app.expires_at:
        raise Refusal("not_expired_yet", status=409)


def guard_complete(app: Application, ctx) -> None:
    problems = validate_application(app)
    if problems:
        raise Refusal("application_incomplete", status=422, details=problems)


def guard_reasons(app: Application, ctx) -> None:
    reasons = [r for r in ctx.data.get("reasons", []) if str(r.get("text", "")).strip()]
    if not reasons and not ctx.reason.strip():
        raise Refusal("reasons_required", field="reasons")


def guard_reason_text(app: Application, ctx) -> None:
    if not (ctx.reason or ctx.data.get("discrepancy", "")).strip():
        raise Refusal("reasons_required", field="discrepancy")


def required_originals(app: Application) -> dict[str, int]:
    """Copies of each signed document the mailroom expects: the province's rules,
    else the ORIGINAL_COPIES setting."""
    default = settings.BEIAN["ORIGINAL_COPIES"]
    rules = rules_for(app.province)
    return {
        "verification_form": rules.verification_form_copies or default,
        "security_agreement": rules.security_agreement_copies or default,
    }


DOCUMENT_LABELS = {
    "verification_form": "网站备案信息真实性核验单",
    "security_agreement": "信息安全管理协议",
}


def guard_originals_counted(app: Application, ctx) -> None:
    received = ctx.data.get("documents") or {}
    for document, required in required_originals(app).items():
        count = int(received.get(document, 0) or 0)
        if count < required:
            raise Refusal(
                "originals_incomplete",
                field=f"documents.{document}",
                params={
                    "document": DOCUMENT_LABELS[document],
                    "required": required,
                    "received": count,
                },
            )


def guard_point(app: Application, ctx) -> None:
    if not str(ctx.data.get("verification_point", "")).strip():
        raise Refusal("verification_point_required", field="verification_point")


def guard_shipping_address(app: Application, ctx) -> None:
    if not str(ctx.data.get("shipping_address", "")).strip():
        raise Refusal("shipping_address_required", field="shipping_address")


def guard_courier(app: Application, ctx) -> None:
    if (
        not str(ctx.data.get("courier", "")).strip()
        or not str(ctx.data.get("tracking_number", "")).strip()
    ):
        raise Refusal("courier_required", field="tracking_number")


def guard_photo(app: Application, ctx) -> None:
    photo = ctx.data.get("photo")
    if photo is None:
        raise Refusal("photo_required", field="photo")
    check_photo(photo)


def guard_tracks_verified(app: Application, ctx) -> None:
    if app.originals_state != OriginalsState.RECEIVED or app.photo_state != PhotoState.VERIFIED:
        raise Refusal("tracks_not_verified", status=409)


def guard_numbers(app: Application, ctx) -> None:
    if missing_numbers(app, ctx.data):
        raise Refusal("icp_numbers_required", field="icp_numbers")


# ---- effects ------------------------------------------------------------------


def _set_deadline(app: Application, kind: str | None) -> None:
    if kind is None:
        app.deadline, app.deadline_kind = None, ""
    else:
        app.deadline, app.deadline_kind = deadlines.deadline_for(kind, clock.now()), kind


def _notify(app: Application, template: str, key: str, **context) -> None:
    context.setdefault("order_number", app.number)
    context.setdefault("filing_type_label", app.get_filing_type_display())
    enqueue(
        template=template, context=context, idempotency_key=f"app-{app.pk}-{key}", user=app.account
    )


def _event_key(app: Application, ctx) -> str:
    # Unique per firing: the number of audit events of the application so far.
    count = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk)).count()
    return f"{ctx.transition.event}-{count}"


def on_submitted(app: Application, ctx) -> None:
    app.submitted_at = clock.now()
    _set_deadline(app, "initial_review")
    _notify(app, "application_received", _event_key(app, ctx))


def _save_reasons(app: Application, ctx, source: str) -> list[dict]:
    reasons = [r for r in ctx.data.get("reasons", []) if str(r.get("text", "")).strip()]
    if not reasons:
        reasons = [{"field": "", "text": ctx.reason}]
    saved = []
    for reason in reasons:
        ReturnReason.objects.create(
            application=app,
            round=app.round,
            source=source,
            field=reason.get("field", ""),
            template=reason.get("template", ""),
            text=reason["text"].strip(),
            created_by=ctx.actor,
            created_at=clock.now(),
        )
        field = reason.get("field", "")
        saved.append(
            {"field_label": field_label(field) if field else "", "text": reason["text"].strip()}
        )
    return saved


def on_returned(app: Application, ctx) -> None:
    reasons = _save_reasons(app, ctx, "provider")
    app.round += 1
    _set_deadline(app, None)
    _notify(app, "application_returned", _event_key(app, ctx), reasons=reasons)


def on_reopened(app: Application, ctx) -> None:
    app.round += 1
    _set_deadline(app, None)


def on_initial_review_passed(app: Application, ctx) -> None:
    if profile(app.filing_type).opens_access_on_review:
        _open_accesses(app)
    _notify(app, "initial_review_passed", _event_key(app, ctx))


def start_tracks(app: Application, ctx) -> None:
    _set_deadline(app, None)
    if app.originals_state in (OriginalsState.NOT_REQUIRED,):
        app.originals_state = OriginalsState.AWAITING
    if app.photo_state in (PhotoState.NOT_REQUIRED,):
        app.photo_state = PhotoState.NOT_STARTED
    PhotoVerification.objects.get_or_create(application=app)


def deadline_submission(app: Application, ctx) -> None:
    _set_deadline(app, "submission")


def deadline_sms(app: Application, ctx) -> None:
    _set_deadline(app, "sms_code")


def deadline_authority(app: Application, ctx) -> None:
    _set_deadline(app, "authority_review")


def on_originals_received(app: Application, ctx) -> None:
    OriginalsReceipt.objects.create(
        application=app,
        documents=ctx.data.get("documents", {}),
        courier=ctx.data.get("courier", ""),
        tracking_number=ctx.data.get("tracking_number", ""),
        received_by=ctx.actor,
        received_at=clock.now(),
    )
    _notify(app, "originals_received", _event_key(app, ctx))


def on_originals_discrepancy(app: Application, ctx) -> None:
    text = (ctx.data.get("discrepancy") or ctx.reason).strip()
    OriginalsReceipt.objects.create(
        application=app,
        documents=ctx.data.get("documents", {}),
        courier=ctx.data.get("courier", ""),
        tracking_number=ctx.data.get("tracking_number", ""),
        discrepancy=text,
        received_by=ctx.actor,
        received_at=clock.now(),
    )
    ReturnReason.objects.create(
        application=app,
        round=app.round,
        source="mailroom",
        field="originals",
        text=text,
        created_by=ctx.actor,
        created_at=clock.now(),
    )
    _notify(app, "originals_discrepancy", _event_key(app, ctx), discrepancy=text)


def on_point_chosen(app: Application, ctx) -> None:
    photo, _ = PhotoVerification.objects.get_or_create(application=app)
    photo.method = PhotoMethod.POINT
    photo.verification_point = ctx.data["verification_point"].strip()
    photo.save()
    if app.deadline_kind == "backdrop_delivery":
        _set_deadline(app, None)


def on_backdrop_requested(app: Application, ctx) -> None:
    photo, _ = PhotoVerification.objects.get_or_create(application=app)
    photo.method = PhotoMethod.BACKDROP
    photo.shipping_address = ctx.data["shipping_address"].strip()
    photo.requested_at = clock.now()
    photo.save()
    _set_deadline(app, "backdrop_delivery")


def on_backdrop_shipped(app: Application, ctx) -> None:
    photo = app.photo
    photo.courier = ctx.data["courier"].strip()
    photo.tracking_number = ctx.data["tracking_number"].strip()
    photo.shipped_at = clock.now()
    photo.save()
    _set_deadline(app, None)
    _notify(
        app,
        "backdrop_shipped",
        _event_key(app, ctx),
        courier=photo.courier,
        tracking_number=photo.tracking_number,
    )


def on_photo_uploaded(app: Application, ctx) -> None:
    from django.core.files.base import ContentFile

    photo, _ = PhotoVerification.objects.get_or_create(application=app)
    upload = ctx.data["photo"]
    upload.seek(0)
    replaced = photo.photo.name if photo.photo else ""
    name = f"{app.number}-{app.round}.{getattr(upload, 'beian_format', 'jpg')}"
    photo.photo.save(name, ContentFile(encrypt_bytes(upload.read())), save=False)
    photo.uploaded_at = clock.now()
    photo.save()
    if replaced and replaced != photo.photo.name:
        # A face photo is PII: the replaced one leaves the storage once the new
        # one is committed (a rolled-back upload keeps the old one).
        storage = photo.photo.storage
        transaction.on_commit(lambda: storage.delete(replaced))


def on_photo_verified(app: Application, ctx) -> None:
    photo = app.photo
    photo.verified_by, photo.verified_at = ctx.actor, clock.now()
    photo.save()
    _notify(app, "photo_verified", _event_key(app, ctx))


def on_photo_rejected(app: Application, ctx) -> None:
    reasons = _save_reasons(app, ctx, "photo")
    _notify(app, "photo_rejected", _event_key(app, ctx), reasons=reasons)


def on_submitted_to_authority(app: Application, ctx) -> None:
    _set_deadline(app, "authority_review")
    _notify(app, "submitted_to_authority", _event_key(app, ctx))


def on_authority_returned(app: Application, ctx) -> None:
    ReturnReason.objects.create(
        application=app,
        round=app.round,
        source="authority",
        field="",
        text=ctx.reason or "短信核验未在时限内完成",
        created_by=ctx.actor,
        created_at=clock.now(),
    )


def on_approved(app: Application, ctx) -> None:
    numbers = apply_approval(app, ctx)
    app.decided_at = clock.now()
    _set_deadline(app, None)
    _notify(app, "application_approved", _event_key(app, ctx), **numbers)


def on_rejected(app: Application, ctx) -> None:
    reasons = _save_reasons(app, ctx, "authority")
    app.decided_at = clock.now()
    _set_deadline(app, None)
    _notify(app, "application_rejected", _event_key(app, ctx), reasons=reasons)


def release_claim(app: Application, ctx) -> None:
    """A decision ends the claim: the application moves on to another queue."""
    app.claimed_by = None


def on_closed(app: Application, ctx) -> None:
    """Withdrawn or expired: records still pending are dropped, access it opened is closed."""
    _set_deadline(app, None)
    websites = list(app.websites.all())
    pending = [w.pk for w in websites if w.status == RecordStatus.PENDING]
    Website.objects.filter(pk__in=pending).update(status=RecordStatus.CANCELLED)
    Domain.objects.filter(website_id__in=pending, status=RecordStatus.PENDING).update(
        status=RecordStatus.CANCELLED
    )
    subject = app.subject
    if (
        subject.status == RecordStatus.PENDING
        and not subject.websites.exclude(status=RecordStatus.CANCELLED).exists()
    ):
        type(subject).objects.filter(pk=subject.pk).update(status=RecordStatus.CANCELLED)
    if app.service_code_id:
        statuses = [AccessStatus.PENDING]
        if profile(app.filing_type).opens_access_on_review:
            statuses.append(AccessStatus.OPEN)
        Access.objects.filter(
            website_id__in=pending, server=app.service_code.server, status__in=statuses
        ).close()


def _open_accesses(app: Application) -> None:
    server = app.service_code.server if app.service_code_id else None
    Access.objects.filter(
        website__in=app.websites.all(), status=AccessStatus.PENDING, server=server
    ).open()
