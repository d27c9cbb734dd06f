"""The provider back office pages: dashboard, queues, one page per application.

Thin: read through `selectors` (role and province scope), write through
`services` (which fire the workflow), show a Refusal next to its field.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from beian.core import audit, clock
from beian.core.downloads import private_file_response, refused_file_response
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import is_english, one_side, t
from beian.core.redirects import safe_next
from beian.filings import selectors as filing_selectors
from beian.filings import workflow
from beian.filings.labels import field_label, preapprovals_text, service_content_label
from beian.filings.photos import read_photo
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType
from beian.filings.states import PhotoState as P
from beian.materials.selectors import materials_of
from beian.review import prechecks, selectors, services
from beian.review.models import CallOutcome, ReasonTemplate
from beian.rules import provinces
from beian.rules.provinces import all_provinces


def staff_only(view):
    """Logged-in provider staff only; anyone else gets the same 404."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_provider_staff:
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapped


def _app(request, number: str):
    return selectors.application_for_staff(request.user, number)


def _flash_refusal(request, refusal: Refusal) -> None:
    messages.error(request, refusal.message())


# ---- dashboard and queues ----------------------------------------------------------------------


@staff_only
def dashboard(request):
    return render(
        request,
        "review/dashboard.html",
        {
            "rows": selectors.dashboard(request.user),
            "failures": selectors.open_failures(request.user),
            "notices": selectors.notices(request.user),
        },
    )


@staff_only
def queue(request, stage: str):
    filters = {k: request.GET.get(k, "") for k in ("province", "filing_type", "claimed")}
    try:
        data = selectors.queue(request.user, stage, cursor=request.GET.get("cursor", ""), **filters)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        first = reverse("review:queue", args=[stage]) if refusal.status == 400 else ""
        return render(
            request,
            "review/forbidden.html",
            {"refusal": refusal, "first_page": first},
            status=refusal.status,
        )
    context = {
        **data,
        "filters": filters,
        "stages": selectors.stages_for(request.user),
        "provinces": [p for p in all_provinces() if request.user.in_scope(p.code)],
        "filing_types": FilingType.choices,
        "failures": selectors.open_failures(request.user)
        if stage in ("ready", "authority_returned")
        else [],
        "now": clock.now(),
    }
    return render(request, "review/queue.html", context)


@staff_only
def find(request):
    """Look an order up by number (typed, or read by a barcode scanner)."""
    typed = request.GET.get("number", "")
    if not typed:
        return render(request, "review/find.html", {})
    try:
        app = services.find_order(request.user, typed)
    except Refusal as refusal:
        return render(request, "review/find.html", {"refusal": refusal, "typed": typed}, status=404)
    return redirect("review:application", number=app.number)


# ---- one application ------------------------------------------------------------------------


def _field_choices(app, websites) -> list[tuple[str, str]]:
    """Fields a reason can point at, as (path, label)."""
    choices = [
        ("", "整体 / Whole application"),
        ("subject.name", "主体名称 / Subject name"),
        ("subject.certificate_number", "主体证件号码 / Certificate number"),
        ("subject.certificate_address", "证件住所 / Certificate address"),
        ("subject.mailing_address", "通信地址 / Mailing address"),
        ("subject.principal.name", "主体负责人 / Subject person in charge"),
        ("subject.principal.mobile", "负责人手机 / Mobile"),
        ("subject.principal.email", "负责人邮箱 / E-mail"),
        ("subject.principal.certificate_valid_to", "证件有效期 / Certificate validity"),
    ]
    for i, website in enumerate(websites):
        for name, label in (
            ("name", "网站名称 / Website name"),
            ("domains", "域名 / Domains"),
            ("service_content", "服务内容 / Service content"),
            ("remarks", "备注 / Remarks"),
            ("principal.mobile", "网站负责人手机 / Website mobile"),
        ):
            choices.append((f"websites.{i}.{name}", f"{website.name or i + 1}: {label}"))
    choices += [
        ("materials.cert_front", "证件正面 / Certificate front"),
        ("materials.verification_form_signed", "核验单 / Verification form"),
    ]
    return choices


def _photo_checks(app) -> dict | None:
    """Resolution, format and size of the verification photo, from the stored file."""
    from PIL import Image

    photo = getattr(app, "photo", None)
    if photo is None or not photo.photo:
        return None
    data = read_photo(photo)
    with Image.open(io.BytesIO(data)) as image:
        fmt, (width, height) = image.format, image.size
    beian = settings.BEIAN
    return {
        "width": width,
        "height": height,
        "format": fmt,
        "size_kb": len(data) // 1024,
        "resolution_ok": width >= beian["MIN_PHOTO_WIDTH"] and height >= beian["MIN_PHOTO_HEIGHT"],
        "format_ok": fmt in ("JPEG", "PNG"),
        "size_ok": len(data) <= beian["MAX_UPLOAD_BYTES"],
        "min_width": beian["MIN_PHOTO_WIDTH"],
        "min_height": beian["MIN_PHOTO_HEIGHT"],
        "max_mb": beian["MAX_UPLOAD_BYTES"] // (1024 * 1024),
    }


REASON_SOURCES = {
    "provider": ("接入商初审", "Initial review"),
    "authority": ("管局", "Administration"),
    "photo": ("照片核验", "Photo verification"),
    "mailroom": ("原件收件", "Originals"),
}


def _reasons(app) -> list:
    reasons = list(app.return_reasons.all())
    for reason in reasons:
        reason.field_text = field_label(reason.field) if reason.field else ""
        reason.source_text = t(*REASON_SOURCES.get(reason.source, ("其他", "Other")))
        if reason.source == "authority":  # the system's own (an SMS timeout) are bilingual
            reason.text = one_side(reason.text)
    return reasons


def _detail(request, app, *, refusal: Refusal | None = None, status: int = 200):
    user = request.user
    websites = list(app.websites.all().select_related("principal").prefetch_related("domains"))
    for website in websites:
        website.service_content_label = service_content_label(website.service_content)
        website.preapprovals_text = preapprovals_text(website)
    events = workflow.available_events(app, user)
    run_checks = app.state == S.SUBMITTED and "approve_initial_review" in events
    photo = getattr(app, "photo", None) if hasattr(app, "photo") else None
    scans_readable = filing_selectors.may_read_scans(user, app)
    checks = prechecks.run_prechecks(app) if run_checks else []
    context = {
        "app": app,
        "scans_readable": scans_readable,
        "websites": websites,
        "events": events,
        "materials": list(materials_of(app)),
        "checks": checks,
        "gate": prechecks.approval_gate(checks),
        "field_choices": _field_choices(app, websites),
        "templates": list(
            ReasonTemplate.objects.filter(active=True).exclude(field__in=["photo", "originals"])
        ),
        "photo_templates": list(ReasonTemplate.objects.filter(active=True, field="photo")),
        "originals_templates": list(ReasonTemplate.objects.filter(active=True, field="originals")),
        "expected_documents": services.expected_documents(app),
        "document_labels": {
            "verification_form": "网站备案信息真实性核验单 / Verification form",
            "security_agreement": "信息安全管理协议 / Security agreement",
        },
        "calls": list(app.phone_calls.select_related("called_by")),
        "call_outcomes": CallOutcome.choices,
        "receipts": list(app.originals_receipts.order_by("-received_at")),
        "reasons": _reasons(app),
        "province_name": provinces.province(app.province).display(is_english())
        if app.province
        else "",
        "photo": photo,
        "photo_checks": _photo_checks(app) if scans_readable and photo and photo.photo else None,
        "attempts": list(app.submission_attempts.select_related("actor")[:10]),
        "notices": selectors.notices(user, app),
        "history": selectors.history(app),
        "refusal": refusal,
        "reason_rows": range(3),
        "now": clock.now(),
        "is_point_session": app.photo_state in (P.POINT_CHOSEN, P.REJECTED)
        and "take_point_photo" in events,
    }
    return render(request, "review/application.html", context, status=status)


@staff_only
def application(request, number: str):
    return _detail(request, _app(request, number))


def decision(view):
    """POST-only staff action on one application: a Refusal re-renders the page
    with the message next to its field; success redirects back with a message."""

    @wraps(view)
    @staff_only
    @require_POST
    def wrapped(request, number: str):
        app = _app(request, number)
        try:
            text = view(request, app)
        except Refusal as refusal:
            return _detail(request, _app(request, number), refusal=refusal, status=refusal.status)
        if text:
            messages.success(request, text)
        return redirect(safe_next(request, reverse("review:application", args=[app.number])))

    return wrapped


@decision
def claim(request, app):
    services.claim(app, request.user)
    return "已认领 / Claimed"


@decision
def release(request, app):
    services.release(app, request.user)
    return "已释放 / Released"


@decision
def approve(request, app):
    services.approve(app, request.user)
    return "初审通过 / Initial review passed"


def _reason_items(post, prefix: str = "reason") -> list[dict]:
    items = []
    for i in range(10):
        items.append(
            {
                "field": post.get(f"{prefix}-{i}-field", ""),
                "template": post.get(f"{prefix}-{i}-template", ""),
                "text": post.get(f"{prefix}-{i}-text", ""),
            }
        )
    return [i for i in items if i["template"] or i["text"].strip()]


@decision
def return_application(request, app):
    services.return_to_applicant(app, request.user, _reason_items(request.POST))
    return "已退回申请人 / Returned to the applicant"


@decision
def record_call(request, app):
    called_at = None
    raw = request.POST.get("called_at", "").strip()
    if raw:
        try:
            called_at = dt.datetime.fromisoformat(raw)
        except ValueError as exc:
            raise Refusal("review_call_time", field="called_at") from exc
        if called_at.tzinfo is None:
            called_at = called_at.replace(tzinfo=clock.CHINA)
    services.record_call(
        app,
        request.user,
        called_at=called_at,
        outcome=request.POST.get("outcome", ""),
        note=request.POST.get("note", ""),
    )
    return "已记录通话 / Call recorded"


def _documents(post) -> dict:
    return {
        name: post.get(f"documents-{name}", "0")
        for name in ("verification_form", "security_agreement")
    }


@decision
def receive_originals(request, app):
    services.receive_originals(
        app,
        request.user,
        documents=_documents(request.POST),
        courier=request.POST.get("courier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
    )
    return "原件已登记 / Originals recorded"


@decision
def originals_discrepancy(request, app):
    services.record_discrepancy(
        app,
        request.user,
        problems=request.POST.getlist("problems"),
        text=request.POST.get("discrepancy", ""),
        documents=_documents(request.POST),
        courier=request.POST.get("courier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
    )
    return "已登记问题并通知申请人 / Discrepancy recorded; the applicant is told"


@decision
def ship_backdrop(request, app):
    services.ship_backdrop(
        app,
        request.user,
        courier=request.POST.get("courier", ""),
        tracking_number=request.POST.get("tracking_number", ""),
    )
    return "幕布已寄出，已通知申请人 / Backdrop shipped; the applicant is told"


@decision
def point_photo(request, app):
    photo = request.FILES.get("photo")
    if photo is None:
        raise Refusal("photo_required", field="photo")
    services.take_point_photo(app, request.user, photo=photo)
    return "照片已保存 / Photo saved"


@decision
def verify_photo(request, app):
    services.verify_photo(app, request.user)
    return "照片核验通过 / Photo verified"


@decision
def reject_photo(request, app):
    services.reject_photo(app, request.user, _reason_items(request.POST, "photo"))
    return "照片未通过，已通知申请人 / Photo rejected; the applicant is told"


@decision
def submit_one(request, app):
    attempt = services.submit(app, request.user)
    if not attempt.ok:
        raise Refusal("review_submission_failed", status=502, params={"message": attempt.message})
    return "已提交管局 / Submitted to the administration"


@staff_only
@require_POST
def submit_selected(request):
    try:
        results = services.submit_many(request.POST.getlist("numbers"), request.user)
    except Refusal as refusal:
        if refusal.status == 403:
            return render(request, "review/forbidden.html", {"refusal": refusal}, status=403)
        _flash_refusal(request, refusal)
        return redirect("review:queue", stage="ready")
    for number, result in results:
        if isinstance(result, Refusal):
            messages.error(request, f"{number}: {result.message()}")
        elif result.ok:
            messages.success(request, f"{number}: 已提交管局 / Submitted")
        else:
            messages.error(request, f"{number}: 提交失败 / Failed: {result.message}")
    return redirect(safe_next(request, reverse("review:queue", args=["ready"])))


@staff_only
def photo_file(request, number: str):
    """The verification photo, decrypted, for staff in scope while at their stage."""
    try:
        app = filing_selectors.application_for_scans(request.user, number.strip().upper())
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from refusal
        return refused_file_response(refusal)
    photo = getattr(app, "photo", None) if hasattr(app, "photo") else None
    if photo is None or not photo.photo:
        raise Http404
    data = read_photo(photo)
    png = data[:8] == b"\x89PNG\r\n\x1a\n"
    kind, extension = ("image/png", "png") if png else ("image/jpeg", "jpg")
    return private_file_response(data, kind, f"{app.number}-photo.{extension}")


@staff_only
def shipping_list(request):
    """The printable list of backdrops to ship, with full addresses (audited)."""
    stage = selectors.STAGE_BY_KEY["backdrops"]
    if not selectors.may_work(request.user, stage):
        raise Http404
    rows = list(
        selectors.stage_queryset(request.user, stage)
        .select_related("photo")
        .order_by("deadline", "pk")[:500]
    )
    audit.record(
        actor=request.user,
        object_type="review",
        object_id="shipping_list",
        verb="shipping_list_viewed",
        data={"count": len(rows)},
    )
    return render(request, "review/shipping_list.html", {"rows": rows})
