"""The applicant portal: from a filing service code to an ICP number (domain.md §3–4).

Views are thin: they read through `selectors` (scoped to the caller: another
applicant's order is a 404), write through `services` and `workflow.fire`, and
show a Refusal's message next to its field. What the applicant is told (next
step, province notes, timeline, footer, "do I need a filing?") is in guidance.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beian.core import deadlines, dns
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import is_english, t
from beian.filings import guidance, selectors, services, workflow
from beian.filings.forms import (
    BackdropForm,
    CodeForm,
    LaterFilingForm,
    PhotoForm,
    PointForm,
    PrincipalFields,
    RemarksForm,
    StartForm,
    SubjectForm,
    WebsiteForm,
)
from beian.filings.labels import field_label
from beian.filings.models import RecordStatus, Subject
from beian.filings.states import ApplicationState as S
from beian.filings.states import PhotoState as P
from beian.filings.states import profile
from beian.filings.validation import validate_application
from beian.hosting.services import code_refusal, find_code
from beian.notify.selectors import inbox_for
from beian.rules.provinces import province as province_info

APPLICANT_EVENTS = {"submit", "resubmit", "withdraw", "reopen"}


# ---- helpers ----------------------------------------------------------------------------


def _app(request, number: str):
    try:
        return selectors.get_application(request.user, number)
    except NotFound as exc:
        raise Http404 from exc


def _own_app(request, number: str):
    """The application, for pages that act for its applicant (edit, submit, photo,
    resolution, withdraw): anyone else, staff included, gets the same 404."""
    try:
        return selectors.get_own_application(request.user, number)
    except NotFound as exc:
        raise Http404 from exc


def _english() -> bool:
    return is_english()


def _show_refusal(form, refusal: Refusal, fields_map: dict | None = None) -> None:
    """A refusal next to its field, or at the top of the form."""
    field = (fields_map or {}).get(refusal.field, refusal.field)
    if field and field in form.fields:
        form.add_error(field, refusal.message())
    else:
        form.add_error(None, refusal.message())


# ---- field paths of problems and return reasons -------------------------------------------


def _form_field(path: str) -> tuple[str, int | None, str]:
    """("subject"|"website"|"other", website index, form field) for a path like
    "subject.principal.mobile" or "websites.0.name"."""
    parts = path.split(".")
    if parts[0] == "subject":
        rest = parts[1:]
        if rest[:1] == ["principal"]:
            return "subject", None, "p_" + rest[1] if len(rest) > 1 else "p_name"
        return "subject", None, rest[0] if rest else ""
    if parts[0] == "websites":
        index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        rest = parts[2:] if index is not None else parts[1:]
        if rest[:1] == ["principal"]:
            return "website", index, "p_" + rest[1] if len(rest) > 1 else "p_name"
        return "website", index, rest[0] if rest else ""
    return "other", None, path


def _labelled(reasons) -> list:
    """Return reasons with their field's label (the page never shows the path)."""
    reasons = list(reasons)
    for reason in reasons:
        reason.field_label = field_label(reason.field)
    return reasons


def _attach(form, items, part: str, index: int | None = None) -> None:
    """Problems or reasons ({field, message|text}) of this form, next to their fields."""
    for item in items:
        path = item["field"] if isinstance(item, dict) else item.field
        text = item.get("message") if isinstance(item, dict) else item.text
        kind, i, field = _form_field(path or "")
        if kind != part or (part == "website" and i not in (None, index)):
            continue
        form.add_error(field if field in form.fields else None, text)


# ---- public page: do I need a filing? ------------------------------------------------------


def need_filing(request):
    """Answers from domain.md §1: by domain, over HTTP(S), from a mainland host."""
    asked = {k: request.GET.get(k, "") for k in ("reach", "protocol", "location", "commercial")}
    answer = guidance.need_filing_answer(asked)
    return render(request, "filings/need_filing.html", {"asked": asked, "answer": answer})


# ---- my applications and filed records --------------------------------------------------------


@login_required
def my_applications(request):
    apps = selectors.applications_for(request.user).order_by("-created_at")
    subjects = (
        selectors.filed_subjects_for(request.user).prefetch_related("websites").order_by("pk")
    )
    return render(request, "filings/list.html", {"apps": apps, "subjects": subjects})


@login_required
def inbox(request):
    # One entry per notification, with the channels it went out on; the text
    # shown is the in-portal one, else the e-mail's, else the SMS.
    preference = {"inbox": 0, "email": 1, "sms": 2}
    grouped: dict[str, dict] = {}
    for message in inbox_for(request.user):
        entry = grouped.setdefault(message.idempotency_key, {"message": message, "channels": []})
        if preference.get(message.channel, 3) < preference.get(entry["message"].channel, 3):
            entry["message"] = message
        entry["channels"].append(message.get_channel_display())
    entries = sorted(grouped.values(), key=lambda e: e["message"].created_at, reverse=True)
    return render(request, "filings/inbox.html", {"entries": entries})


# ---- start: service code → server → filing type ---------------------------------------------------


def _server_of(code) -> dict:
    server = code.server
    return {
        "instance_id": server.instance_id,
        "ip": server.public_ip,
        "province": province_info(server.province).name if server.province else "",
        "is_mainland": server.is_mainland,
        "subscription_end": server.subscription_end,
    }


@login_required
def start(request):
    if not request.user.is_applicant:
        raise Http404  # staff and hosting owners do not file (services.start_application)
    code_form, start_form, server = CodeForm(), None, None
    prefill = _prefill_from_subject(request)
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                code = find_code(code_form.cleaned_data["service_code"])
                server = _server_of(code)
                refusal = code_refusal(code, request.user)
                if refusal:
                    raise refusal
            except Refusal as refusal:
                _show_refusal(code_form, refusal)
            else:
                start_form = StartForm(initial={"service_code": code.code, **prefill})
    elif request.method == "POST":
        start_form = StartForm(request.POST)
        try:
            code = find_code(request.POST.get("service_code", ""))
            server = _server_of(code)
        except Refusal as refusal:
            # The code went bad between the steps (revoked, used, another
            # account bound it): keep what was typed and ask for another code.
            start_form.show_code_field()
            start_form.is_valid()
            _show_refusal(start_form, refusal)
        if server is not None and start_form.is_valid():
            data = start_form.cleaned_data
            try:
                app = services.start_application(
                    account=request.user,
                    service_code=data["service_code"],
                    nature=data["nature"],
                    certificate_type=data["certificate_type"],
                    certificate_number=data["certificate_number"],
                    province=data["province"],
                    domains=data["domain_list"],
                    subject_name=data["subject_name"],
                )
            except Refusal as refusal:
                if refusal.field == "service_code":
                    start_form.show_code_field()
                    server = None
                _show_refusal(start_form, refusal)
            else:
                messages.success(request, guidance.explanation(app))
                return redirect(f"/filings/{app.number}/")
    return render(
        request,
        "filings/start.html",
        {"code_form": code_form, "start_form": start_form, "server": server},
    )


def _prefill_from_subject(request) -> dict:
    """Add website from a filed subject: the subject's data, ready."""
    subject_id = request.GET.get("subject", "")
    if not subject_id.isdigit():
        return {}
    subject = Subject.objects.filter(account=request.user, pk=int(subject_id)).first()
    if subject is None:
        return {}
    return {
        "province": subject.province,
        "nature": subject.nature,
        "subject_name": subject.name,
        "certificate_type": subject.certificate_type,
        "certificate_number": subject.certificate_number,
    }


# ---- one application --------------------------------------------------------------------------


def _steps(app, problems) -> list[dict]:
    def done(prefix):
        return not any(p["field"].startswith(prefix) for p in problems)

    base = f"/filings/{app.number}"
    steps = [{"name": t("主体信息", "Subject"), "url": f"{base}/subject/", "done": done("subject")}]
    for i, website in enumerate(app.websites.all()):
        steps.append(
            {
                "name": t("网站信息", "Website") + f" {i + 1}",
                "url": f"{base}/websites/{website.pk}/",
                "done": done(f"websites.{i}"),
            }
        )
    steps.append({"name": t("备注", "Remarks"), "url": f"{base}/remarks/", "done": True})
    steps.append(
        {
            "name": t("上传资料", "Uploads"),
            "url": f"/materials/{app.number}/",
            "done": done("materials"),
        }
    )
    steps.append(
        {"name": t("提交", "Submit"), "url": f"{base}/submit/", "done": app.state != S.DRAFT}
    )
    return steps


@login_required
def application(request, number: str):
    app = _app(request, number)
    editable = app.state in services.EDITABLE_STATES and profile(app.filing_type).opens_access
    problems = validate_application(app) if editable else []
    deadline = None
    if app.deadline:
        deadline = {
            "at": guidance.china_time(app.deadline),
            "kind": app.deadline_kind,
            "working_days_left": deadlines.working_days_left(app.deadline),
            "overdue": deadlines.is_overdue(app.deadline),
        }
    context = {
        "app": app,
        "subject": app.subject,
        "websites": list(app.websites.all().prefetch_related("domains")),
        "explanation": guidance.explanation(app) if app.state == S.DRAFT else "",
        "steps": _steps(app, problems) if editable else [],
        "editable": editable,
        "timeline": guidance.timeline(app),
        "next_step": guidance.next_step(app),
        "deadline": deadline,
        "reasons": _labelled(selectors.current_reasons(app)),
        "all_reasons": _labelled(app.return_reasons.all()),
        "events": [
            e for e in workflow.available_events(app, request.user) if e in APPLICANT_EVENTS
        ],
        "sms_url": settings.BEIAN["AUTHORITY_SMS_URL"],
        "footers": guidance.footer_snippets(app) if app.state == S.APPROVED else [],
        "province_notes": guidance.province_notes(app.province, guidance.subject_type(app)),
        "materials_url": f"/materials/{app.number}/",
        "photo_relevant": app.photo_state not in (P.NOT_REQUIRED,),
        "after_submit": app.state not in (S.DRAFT, S.RETURNED, S.WITHDRAWN, S.EXPIRED, S.APPROVED),
        "expires_at": guidance.china_time(app.expires_at),
        "province_name": province_info(app.province).display(_english()),
    }
    return render(request, "filings/application.html", context)


def _edit_guard(request, app):
    if app.state not in services.EDITABLE_STATES or app.account_id != request.user.pk:
        messages.error(
            request,
            t("当前状态下不能修改。", "This application cannot be edited in its current state."),
        )
        return redirect(f"/filings/{app.number}/")
    return None


@login_required
def edit_subject(request, number: str):
    app = _own_app(request, number)
    blocked = _edit_guard(request, app)
    if blocked:
        return blocked
    subject = app.subject
    if request.method == "POST":
        form = SubjectForm(request.POST, province=app.province)
        if form.is_valid():
            try:
                services.save_subject(app, actor=request.user, values=form.subject_values())
            except Refusal as refusal:
                _show_refusal(form, refusal, {"principal": "p_name"})
            else:
                messages.success(request, t("主体信息已保存。", "Subject saved."))
                return redirect(_after_save(request, app))
    else:
        initial = {
            "name": subject.name,
            "certificate_address": subject.certificate_address,
            "city": subject.city,
            "county": subject.county,
            "mailing_address": subject.mailing_address,
            "investor": subject.investor,
            **PrincipalFields.initial_for_subject(subject),
        }
        form = SubjectForm(initial=initial, province=app.province)
        # Show the reasons of a return, or the problems of a refused submit, in place.
        _attach_unbound(form, request, app, "subject")
    return render(
        request,
        "filings/step_subject.html",
        {
            "app": app,
            "form": form,
            "subject": subject,
            "province_notes": guidance.province_notes(app.province, guidance.subject_type(app)),
        },
    )


def _attach_unbound(form, request, app, part: str, index: int | None = None) -> None:
    """Errors on an unbound form: Django keeps them in `_errors`."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    items = list(selectors.current_reasons(app))
    if request.GET.get("check"):
        items += validate_application(app)
    _attach(form, items, part, index)


def _after_save(request, app) -> str:
    target = request.POST.get("next", "")
    if target.startswith(f"/filings/{app.number}/"):
        return target
    return f"/filings/{app.number}/"


@login_required
def edit_website(request, number: str, website_id: int):
    app = _own_app(request, number)
    blocked = _edit_guard(request, app)
    if blocked:
        return blocked
    websites = list(app.websites.all())
    website = next((w for w in websites if w.pk == website_id), None)
    if website is None:
        raise Http404
    index = websites.index(website)
    subject_type = guidance.subject_type(app)
    if request.method == "POST":
        form = WebsiteForm(request.POST, province=app.province, subject_type=subject_type)
        if form.is_valid():
            try:
                services.save_website(
                    app, actor=request.user, website_id=website.pk, values=form.website_values()
                )
            except Refusal as refusal:
                _show_refusal(form, refusal, {"principal": "p_name"})
            else:
                messages.success(request, t("网站信息已保存。", "Website saved."))
                return redirect(_after_save(request, app))
    else:
        same = website.principal_id is None or website.principal_id == app.subject.principal_id
        pre = (website.preapprovals or [{}])[0] if website.preapprovals else {}
        initial = {
            "name": website.name,
            "domains": "\n".join(d.unicode_name or d.name for d in website.domains.all()),
            "home_url": website.home_url
            or (f"http://www.{website.domains.first().name}" if website.domains.exists() else ""),
            "service_content": website.service_content or "blog",
            "languages": website.languages or ["zh_hans"],
            "preapproval_type": pre.get("type", ""),
            "preapproval_number": pre.get("number", ""),
            "same_as_subject": same,
            **({} if same else PrincipalFields.initial_from(website.principal)),
        }
        form = WebsiteForm(initial=initial, province=app.province, subject_type=subject_type)
        _attach_unbound(form, request, app, "website", index)
    return render(
        request,
        "filings/step_website.html",
        {
            "app": app,
            "form": form,
            "website": website,
            "index": index + 1,
            "province_notes": guidance.province_notes(app.province, subject_type),
        },
    )


@login_required
def edit_remarks(request, number: str):
    app = _own_app(request, number)
    blocked = _edit_guard(request, app)
    if blocked:
        return blocked
    needs_password = profile(app.filing_type).filing_password
    form = RemarksForm(
        request.POST or None,
        initial={"remarks": _remarks_initial(app)},
        needs_filing_password=needs_password,
    )
    if request.method == "POST" and form.is_valid():
        remarks = form.cleaned_data["remarks"]
        try:
            if needs_password and (
                form.cleaned_data["filing_password"] or not app.subject.filing_password
            ):
                services.save_filing_password(
                    app, actor=request.user, password=form.cleaned_data["filing_password"]
                )
            services.save_remarks(app, actor=request.user, remarks=remarks)
            # The website's own remarks are what the forms and the administration see.
            for website in app.websites.all():
                if not website.remarks:
                    services.save_website(
                        app, actor=request.user, website_id=website.pk, values={"remarks": remarks}
                    )
        except Refusal as refusal:
            _show_refusal(form, refusal)
        else:
            messages.success(request, t("备注已保存。", "Remarks saved."))
            return redirect(_after_save(request, app))
    return render(
        request,
        "filings/step_remarks.html",
        {"app": app, "form": form, "needs_password": needs_password},
    )


def _remarks_initial(app) -> str:
    if app.remarks:
        return app.remarks
    website = app.websites.first()
    return website.remarks if website else ""


@login_required
def submit(request, number: str):
    """The final summary; POST submits (or resubmits) it."""
    app = _own_app(request, number)
    event = "resubmit" if app.state == S.RETURNED else "submit"
    problems = []
    if request.method == "POST":
        try:
            app = workflow.fire(app, event, actor=request.user)
        except Refusal as refusal:
            if refusal.details:
                problems = refusal.details
            else:
                messages.error(request, refusal.message())
        else:
            messages.success(request, t("已提交初审。", "Submitted for initial review."))
            return redirect(f"/filings/{app.number}/resolve/")
    elif app.state in services.EDITABLE_STATES:
        problems = validate_application(app)
    websites = list(app.websites.all().prefetch_related("domains"))
    links = [
        {
            **problem,
            "label": problem.get("label") or field_label(problem["field"]),
            "url": problem.get("url") or _step_url(app, websites, problem["field"]),
        }
        for problem in problems
    ]
    status = 422 if request.method == "POST" and problems else 200
    return render(
        request,
        "filings/submit.html",
        {
            "app": app,
            "subject": app.subject,
            "websites": websites,
            "problems": links,
            "event": event,
            "can_submit": app.state in services.EDITABLE_STATES,
        },
        status=status,
    )


def _step_url(app, websites, path: str) -> str:
    """The step that fixes a problem of `path` (an upload's problem brings its own)."""
    part, index, field = _form_field(path)
    base = f"/filings/{app.number}"
    if part == "subject":
        return f"{base}/subject/?check=1#id_{field}"
    if part == "website" and websites:
        website = websites[index or 0]
        return f"{base}/websites/{website.pk}/?check=1#id_{field}"
    if path in ("filing_password", "remarks"):
        return f"{base}/remarks/#id_{path}"
    return f"{base}/"


@login_required
def resolve_page(request, number: str):
    app = _own_app(request, number)
    names = _domains_of(app)
    return render(request, "filings/resolve.html", {"app": app, "names": names})


def _domains_of(app) -> list[str]:
    names = []
    for website in app.websites.all():
        for domain in website.domains.exclude(status=RecordStatus.CANCELLED):
            names += [domain.name, f"www.{domain.name}"]
    return names


@login_required
def resolve_check(request, number: str):
    """JSON: does each domain (apex and www) still resolve? Asked live."""
    app = _own_app(request, number)
    results = []
    for name in _domains_of(app):
        found = dns.resolve(name)
        results.append({"name": name, "resolves": found.resolves, "addresses": found.addresses})
    return JsonResponse(
        {
            "any_resolves": any(r["resolves"] for r in results),
            # Names DNS did not answer for: nobody can say they stopped resolving.
            "any_unknown": any(r["resolves"] is None for r in results),
            "domains": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_POST
def fire_event(request, number: str, event: str):
    """The applicant's own buttons: withdraw (only once confirmed), reopen."""
    app = _own_app(request, number)
    if event not in ("withdraw", "reopen"):
        raise Http404
    if event == "withdraw" and request.POST.get("confirmed") != "yes":
        return redirect(f"/filings/{app.number}/withdraw/")
    try:
        app = workflow.fire(app, event, actor=request.user, reason=request.POST.get("reason", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message())
    else:
        done = guidance.withdrawn_note(app) if event == "withdraw" else t("已完成。", "Done.")
        messages.success(request, done)
    return redirect(f"/filings/{app.number}/")


@login_required
def withdraw(request, number: str):
    """Asks before withdrawing, and says what withdrawing does (works without a script)."""
    app = _own_app(request, number)
    if "withdraw" not in workflow.available_events(app, request.user):
        messages.error(request, t("此订单当前不能撤回。", "This order cannot be withdrawn now."))
        return redirect(f"/filings/{app.number}/")
    return render(
        request,
        "filings/withdraw.html",
        {"app": app, "consequences": guidance.withdraw_consequences(app)},
    )


# ---- photo verification --------------------------------------------------------------------------


@login_required
def photo(request, number: str):
    app = _own_app(request, number)
    points = guidance.verification_points(app.province)
    forms_ = {
        "point": PointForm(points=points),
        "backdrop": BackdropForm(initial={"shipping_address": app.subject.mailing_address}),
        "photo": PhotoForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in forms_:
            return HttpResponseNotAllowed(["GET"])
        if action == "point":
            form = PointForm(request.POST, points=points)
        elif action == "backdrop":
            form = BackdropForm(request.POST)
        else:
            form = PhotoForm(request.POST, request.FILES)
        forms_[action] = form
        if form.is_valid():
            event = {
                "point": "choose_verification_point",
                "backdrop": "request_backdrop",
                "photo": "upload_photo",
            }[action]
            try:
                workflow.fire(app, event, actor=request.user, data=dict(form.cleaned_data))
            except Refusal as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, t("已保存。", "Saved."))
                return redirect(f"/filings/{app.number}/photo/")
    record = getattr(app, "photo", None) if hasattr(app, "photo") else None
    chosen = next((p for p in points if record and p["name"] == record.verification_point), None)
    return render(
        request,
        "filings/photo.html",
        {
            "app": app,
            "points": points,
            "record": record,
            "chosen": chosen,
            "point_form": forms_["point"],
            "backdrop_form": forms_["backdrop"],
            "photo_form": forms_["photo"],
            "backdrop_note": guidance.backdrop_note(),
            "photo_rules": guidance.photo_rules(),
            "can_choose": app.photo_state
            in (P.NOT_STARTED, P.REJECTED, P.POINT_CHOSEN, P.BACKDROP_REQUESTED),
            "can_upload": app.photo_state in (P.BACKDROP_SHIPPED, P.REJECTED),
            "reasons": selectors.current_reasons(app) if app.photo_state == P.REJECTED else [],
        },
    )


# ---- later filings from a filed record -------------------------------------------------------------


@login_required
def later_filing(request, subject_id: int):
    subject = selectors.filed_subjects_for(request.user).filter(pk=subject_id).first()
    if subject is None:
        raise Http404
    websites = list(subject.websites.filter(status=RecordStatus.FILED))
    form = LaterFilingForm(request.POST or None, websites=websites)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [w for w in websites if str(w.pk) in data.get("websites", [])]
        kind = data["filing_type"]
        changes = {}
        if kind == "change_subject":
            changes = {"subject": {"mailing_address": data["mailing_address"]}}
        elif kind == "change_website":
            changes = {"websites": {str(w.pk): {"name": data["website_name"]} for w in chosen}}
        try:
            app = services.start_later_filing(
                account=request.user,
                filing_type=kind,
                subject=subject,
                websites=chosen,
                changes=changes,
                filing_password=data["filing_password"],
                cancel_reason=data.get("cancel_reason") or "",
                cancel_note=data.get("cancel_note") or "",
            )
        except Refusal as refusal:
            _show_refusal(form, refusal, {"changes": "filing_type"})
        else:
            messages.success(request, app.get_filing_type_display())
            return redirect(f"/filings/{app.number}/")
    return render(
        request,
        "filings/later.html",
        {"subject": subject, "websites": websites, "form": form},
    )


# ---- 忘记备案密码: the administration sends a new one to the subject's contacts -------------


def _password_reset(request, **target) -> None:
    try:
        number = services.request_filing_password_reset(account=request.user, **target)
    except Refusal as refusal:
        messages.error(request, refusal.message())
    else:
        messages.success(
            request,
            t(
                f"已请管局将 {number} 的新备案密码发送至主体负责人的手机和邮箱，原密码随即失效。",
                f"The administration was asked to send a new filing password for {number} "
                "to the phone and e-mail of the person in charge; the old one no longer works.",
            ),
        )


@login_required
@require_POST
def forgot_password_of_record(request, subject_id: int):
    subject = selectors.filed_subjects_for(request.user).filter(pk=subject_id).first()
    _password_reset(request, subject=subject)
    return redirect(f"/filings/records/{subject_id}/" if subject else "/filings/")


@login_required
@require_POST
def forgot_password_of_application(request, number: str):
    app = _own_app(request, number)
    _password_reset(request, application=app)
    return redirect(f"/filings/{app.number}/remarks/")
