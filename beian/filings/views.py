"""The applicant portal: from a filing service code to an ICP number (domain.md §3–4).

Views are thin: they read through `selectors` (scoped to the caller: another
applicant's order is a 404), write through `services` and `workflow.fire`, and
show a Refusal's message next to its field.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beian.accounts.forms import _pick
from beian.core import deadlines, dns
from beian.core.clock import CHINA
from beian.core.errors import NotFound, Refusal, is_english
from beian.core.models import AuditEvent
from beian.filings import selectors, services, workflow
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
from beian.filings.models import RecordStatus, Subject
from beian.filings.states import ApplicationState as S
from beian.filings.states import PhotoState as P
from beian.filings.states import profile
from beian.filings.transitions import TABLE
from beian.filings.validation import validate_application
from beian.rules.provinces import province as province_info
from beian.rules.provinces import rules_for

POINTS_FILE = Path(__file__).parent / "static" / "filings" / "data" / "verification_points.json"
APPLICANT_EVENTS = {"submit", "resubmit", "withdraw", "reopen"}


# ---- helpers ----------------------------------------------------------------------------


def _app(request, number: str):
    try:
        return selectors.get_application(request.user, number)
    except NotFound as exc:
        raise Http404 from exc


def _english() -> bool:
    return is_english()


@cache
def _all_points() -> list[dict]:
    return json.loads(POINTS_FILE.read_text(encoding="utf-8"))["points"]


def verification_points(province: str) -> list[dict]:
    """The points of the filing province first, then the others."""
    points = _all_points()
    return [p for p in points if p["province"] == province] + [
        p for p in points if p["province"] != province
    ]


def _subject_type(app) -> str:
    return "individual" if app.subject.is_individual else "organization"


def province_notes(province: str, subject_type: str) -> list[str]:
    """The province's rules that apply while filling in, as sentences."""
    rules = rules_for(province)
    name = rules.province.name_en if _english() else rules.province.short
    notes = []
    if rules.phone_must_be_local:
        notes.append(
            _pick(
                f"{name}：负责人手机号码须为本省号码。",
                f"{name}: the mobile must be registered in {name}.",
            )
        )
    if rules.fingerprints_on_forms:
        notes.append(
            _pick(f"{name}：核验单上须按手印。", f"{name}: fingerprints are required on the forms.")
        )
    if rules.local_id_only and subject_type == "individual":
        notes.append(
            _pick(f"{name}：仅接受本省身份证。", f"{name}: only IDs issued in {name} are accepted.")
        )
    if rules.residence_permit_for_non_locals and subject_type == "individual":
        notes.append(
            _pick(
                f"{name}：外省身份证须提供本省居住证。",
                f"{name}: an ID from another province needs a residence permit here.",
            )
        )
    if rules.needs_emergency_contact(subject_type):
        notes.append(
            _pick(f"{name}：须填写应急联系电话。", f"{name}: an emergency contact is required.")
        )
    if rules.domain_certificate_from_domains == 1:
        notes.append(
            _pick(
                f"{name}：每个域名都须上传域名证书。",
                f"{name}: a domain certificate is needed for every domain.",
            )
        )
    if rules.min_age and rules.min_age != 18:
        notes.append(
            _pick(
                f"{name}：负责人须年满 {rules.min_age} 周岁。",
                f"{name}: persons in charge must be {rules.min_age} or older.",
            )
        )
    notes.append(
        _pick(
            f"{name}：核验单 {rules.verification_form_copies} 份、信息安全管理协议 "
            f"{rules.security_agreement_copies} 份原件需邮寄。",
            f"{name}: mail {rules.verification_form_copies} signed verification forms and "
            f"{rules.security_agreement_copies} security agreements.",
        )
    )
    return notes


def _show_refusal(form, refusal: Refusal, fields_map: dict | None = None) -> None:
    """A refusal next to its field, or at the top of the form."""
    field = (fields_map or {}).get(refusal.field, refusal.field)
    if field and field in form.fields:
        form.add_error(field, refusal.message())
    else:
        form.add_error(None, refusal.message())


def _china_time(moment):
    return moment.astimezone(CHINA) if moment else None


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


def _current_reasons(app):
    """The reasons of the last return that the applicant must act on now."""
    if app.state == S.RETURNED:
        return list(app.return_reasons.filter(round=app.round - 1))
    if app.photo_state == P.REJECTED:
        last = app.return_reasons.filter(source="photo").order_by("-id").first()
        return [last] if last else []
    return []


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
    answer = None
    if all(asked[k] for k in ("reach", "protocol", "location")):
        if asked["location"] == "abroad":
            answer = (
                "no",
                _pick(
                    "服务器在中国内地以外，无需备案。",
                    "The server is outside mainland China: no filing is needed.",
                ),
            )
        elif asked["reach"] == "ip":
            answer = (
                "no",
                _pick(
                    "网站只通过 IP 地址访问，无需备案。",
                    "Reached only by IP address: no filing is needed.",
                ),
            )
        elif asked["protocol"] == "other":
            answer = (
                "no",
                _pick(
                    "FTP、SSH 等非 HTTP(S) 服务无需备案。",
                    "FTP, SSH and other non-HTTP(S) services need no filing.",
                ),
            )
        elif asked["commercial"] == "yes":
            answer = (
                "yes",
                _pick(
                    "需要备案；经营性网站还须先取得 ICP 经营许可证。",
                    "A filing is needed; a commercial site also needs an ICP licence first.",
                ),
            )
        else:
            answer = (
                "yes",
                _pick(
                    "需要备案：通过域名、以 HTTP(S) 从中国内地服务器提供服务的网站必须备案。",
                    "A filing is needed: a site reached by domain over HTTP(S) from a mainland server must be filed.",
                ),
            )
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
    from beian.notify.selectors import inbox_for

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
        "region": server.region,
        "ip": server.public_ip,
        "province": province_info(server.province).name if server.province else "",
        "is_mainland": server.is_mainland,
        "subscription_end": server.subscription_end,
    }


@login_required
def start(request):
    from beian.hosting.services import code_refusal, find_code

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
        except Refusal:
            start_form = None
        if start_form is not None and start_form.is_valid():
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
                _show_refusal(start_form, refusal)
            else:
                messages.success(request, _explanation(app))
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


def _explanation(app) -> str:
    website = app.websites.first()
    facts = {
        "subject_number": app.subject.icp_number or "",
        "website_number": (website.icp_number if website else "") or "",
    }
    return services.explain(app.filing_type, facts) or app.get_filing_type_display()


# ---- one application --------------------------------------------------------------------------


EVENT_LABELS = {row.event: row.label for row in TABLE}
EVENT_LABELS["created"] = ("创建备案订单", "Order created")


def timeline(app) -> list[dict]:
    from beian.accounts.models import Role

    rows = []
    events = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk))
    for event in events.select_related("actor"):
        if event.verb not in EVENT_LABELS:
            continue  # draft saves and the like are not steps
        if event.actor_id is None:
            who = _pick("系统", "System")
        elif event.actor_id == app.account_id:
            who = _pick("您", "You")
        else:
            label = dict(Role.choices).get(event.actor_role or event.actor.role, "")
            zh, _, en = str(label).partition(" / ")
            who = _pick(zh, en or zh)
        zh, en = EVENT_LABELS[event.verb]
        rows.append(
            {"at": _china_time(event.at), "what": _pick(zh, en), "who": who, "reason": event.reason}
        )
    return rows


def next_step(app) -> str:
    """What the applicant must do now, in one or two sentences."""
    s = app.state
    if s == S.DRAFT:
        return _pick("请完成各步骤的填写，然后提交初审。", "Fill in every step, then submit.")
    if s == S.SUBMITTED:
        return _pick(
            "等待接入商初审。请确保域名（主域名和 www）不再解析。",
            "Wait for the initial review. Make sure the domain (apex and www) no longer resolves.",
        )
    if s == S.RETURNED:
        return _pick(
            "备案被退回：请按各字段旁的原因修改后重新提交。",
            "Returned: fix each field next to its reason, then resubmit.",
        )
    if s == S.VERIFYING:
        parts = []
        if app.originals_state in ("awaiting", "discrepancy"):
            parts.append(
                _pick(
                    "打印并签署核验单和信息安全管理协议，邮寄原件。",
                    "Print and sign the verification form and the security agreement; mail the originals.",
                )
            )
        photo = {
            P.NOT_STARTED: _pick(
                "选择拍照方式：核验点或邮寄幕布。",
                "Choose how the photo is taken: a verification point or a backdrop by post.",
            ),
            P.POINT_CHOSEN: _pick(
                "携带身份证原件和订单号前往核验点拍照。",
                "Visit the verification point with your ID and the order number.",
            ),
            P.BACKDROP_REQUESTED: _pick("等待幕布寄出。", "Wait for the backdrop to be shipped."),
            P.BACKDROP_SHIPPED: _pick(
                "收到幕布后在幕布前拍照并上传。",
                "Take the photo in front of the backdrop and upload it.",
            ),
            P.PHOTO_UPLOADED: _pick("照片审核中。", "The photo is being checked."),
            P.REJECTED: _pick(
                "照片未通过，请按原因重新拍照上传。",
                "The photo was rejected; take and upload a new one.",
            ),
        }.get(app.photo_state)
        if photo:
            parts.append(photo)
        return " ".join(parts) or _pick("等待核验完成。", "Wait for the checks to finish.")
    if s in (S.READY, S.AUTHORITY_SUBMITTED):
        return _pick(
            "接入商正在向管局提交。管局收到后工信部将发送短信验证码。",
            "The provider is submitting to the administration; MIIT will then send an SMS code.",
        )
    if s == S.SMS_VERIFICATION:
        return _pick(
            "请在 24 小时内到工信部核验页面输入短信验证码、手机号码和证件号码后 6 位。",
            "Within 24 hours, enter the SMS code, the phone and the last 6 characters of the certificate number on MIIT's page.",
        )
    if s == S.AUTHORITY_REVIEW:
        return _pick(
            "管局审核中（最长 20 个工作日），请保持电话畅通。",
            "The administration is reviewing (up to 20 working days); answer its calls.",
        )
    if s == S.AUTHORITY_RETURNED:
        return _pick(
            "管局退回接入商，接入商正在处理。",
            "Returned by the administration; the provider is handling it.",
        )
    if s == S.APPROVED:
        return _pick(
            "备案成功：在网站首页底部展示备案号，并在开通后 30 日内办理公安备案。",
            "Approved: show the number at the foot of the home page and file with public security within 30 days.",
        )
    if s == S.REJECTED:
        return _pick(
            "管局驳回：可按原因修改后重新发起。",
            "Rejected: fix the reasons and reopen the application.",
        )
    return _pick("此订单已结束。", "This order is closed.")


def footer_snippets(app) -> list[dict]:
    """What to paste at the foot of the home page: the website number linked to
    MIIT's site (the subject number in provinces that ask for it)."""
    rules = rules_for(app.province)
    snippets = []
    for website in app.websites.all():
        number = app.subject.icp_number if rules.footer_number == "subject" else website.icp_number
        if not number:
            continue
        html = f'<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">{number}</a>'
        if rules.footer_copyright_required:
            html = f"版权所有 © {app.subject.name} " + html
        snippets.append({"website": website, "number": number, "html": html})
    return snippets


def _steps(app, problems) -> list[dict]:
    def done(prefix):
        return not any(p["field"].startswith(prefix) for p in problems)

    base = f"/filings/{app.number}"
    steps = [
        {"name": _pick("主体信息", "Subject"), "url": f"{base}/subject/", "done": done("subject")}
    ]
    for i, website in enumerate(app.websites.all()):
        steps.append(
            {
                "name": _pick("网站信息", "Website") + f" {i + 1}",
                "url": f"{base}/websites/{website.pk}/",
                "done": done(f"websites.{i}"),
            }
        )
    steps.append({"name": _pick("备注", "Remarks"), "url": f"{base}/remarks/", "done": True})
    steps.append(
        {"name": _pick("提交", "Submit"), "url": f"{base}/submit/", "done": app.state != S.DRAFT}
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
            "at": _china_time(app.deadline),
            "kind": app.deadline_kind,
            "working_days_left": deadlines.working_days_left(app.deadline),
            "overdue": deadlines.is_overdue(app.deadline),
        }
    context = {
        "app": app,
        "subject": app.subject,
        "websites": list(app.websites.all().prefetch_related("domains")),
        "explanation": _explanation(app) if app.state == S.DRAFT else "",
        "steps": _steps(app, problems) if editable else [],
        "editable": editable,
        "timeline": timeline(app),
        "next_step": next_step(app),
        "deadline": deadline,
        "reasons": _current_reasons(app),
        "all_reasons": list(app.return_reasons.all()),
        "events": [
            e for e in workflow.available_events(app, request.user) if e in APPLICANT_EVENTS
        ],
        "sms_url": getattr(settings, "BEIAN", {}).get(
            "AUTHORITY_SMS_URL", "http://127.0.0.1:8100/sms/"
        ),
        "footers": footer_snippets(app) if app.state == S.APPROVED else [],
        "province_notes": province_notes(app.province, _subject_type(app)),
        "materials_url": f"/materials/{app.number}/",
        "photo_relevant": app.photo_state not in (P.NOT_REQUIRED,),
        "after_submit": app.state not in (S.DRAFT, S.RETURNED, S.WITHDRAWN, S.EXPIRED, S.APPROVED),
        "expires_at": _china_time(app.expires_at),
        "province_name": province_info(app.province).display(_english()),
    }
    return render(request, "filings/application.html", context)


def _edit_guard(request, app):
    if app.state not in services.EDITABLE_STATES or app.account_id != request.user.pk:
        messages.error(
            request,
            _pick(
                "当前状态下不能修改。", "This application cannot be edited in its current state."
            ),
        )
        return redirect(f"/filings/{app.number}/")
    return None


@login_required
def edit_subject(request, number: str):
    app = _app(request, number)
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
                messages.success(request, _pick("主体信息已保存。", "Subject saved."))
                return redirect(_after_save(request, app))
    else:
        initial = {
            "name": subject.name,
            "certificate_address": subject.certificate_address,
            "city": subject.city,
            "county": subject.county,
            "mailing_address": subject.mailing_address,
            "investor": subject.investor,
            **PrincipalFields.initial_from(subject.principal),
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
            "province_notes": province_notes(app.province, _subject_type(app)),
        },
    )


def _attach_unbound(form, request, app, part: str, index: int | None = None) -> None:
    """Errors on an unbound form: Django keeps them in `_errors`."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    items = list(_current_reasons(app))
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
    app = _app(request, number)
    blocked = _edit_guard(request, app)
    if blocked:
        return blocked
    websites = list(app.websites.all())
    website = next((w for w in websites if w.pk == website_id), None)
    if website is None:
        raise Http404
    index = websites.index(website)
    subject_type = _subject_type(app)
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
                messages.success(request, _pick("网站信息已保存。", "Website saved."))
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
            "province_notes": province_notes(app.province, subject_type),
        },
    )


@login_required
def edit_remarks(request, number: str):
    app = _app(request, number)
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
            messages.success(request, _pick("备注已保存。", "Remarks saved."))
            return redirect(_after_save(request, app))
    return render(request, "filings/step_remarks.html", {"app": app, "form": form})


def _remarks_initial(app) -> str:
    if app.remarks:
        return app.remarks
    website = app.websites.first()
    return website.remarks if website else ""


@login_required
def submit(request, number: str):
    """The final summary; POST submits (or resubmits) it."""
    app = _app(request, number)
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
            messages.success(request, _pick("已提交初审。", "Submitted for initial review."))
            return redirect(f"/filings/{app.number}/resolve/")
    elif app.state in services.EDITABLE_STATES:
        problems = validate_application(app)
    links = []
    websites = list(app.websites.all().prefetch_related("domains"))
    for problem in problems:
        part, index, field = _form_field(problem["field"])
        if part == "subject":
            url = f"/filings/{app.number}/subject/?check=1#id_{field}"
        elif part == "website" and websites:
            website = websites[index or 0]
            url = f"/filings/{app.number}/websites/{website.pk}/?check=1#id_{field}"
        else:
            url = f"/filings/{app.number}/"
        links.append({**problem, "url": url})
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


@login_required
def resolve_page(request, number: str):
    app = _app(request, number)
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
    app = _app(request, number)
    results = []
    for name in _domains_of(app):
        found = dns.resolve(name)
        results.append({"name": name, "resolves": found.resolves, "addresses": found.addresses})
    return JsonResponse(
        {"any_resolves": any(r["resolves"] for r in results), "domains": results},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_POST
def fire_event(request, number: str, event: str):
    """The applicant's own buttons: withdraw, reopen."""
    app = _app(request, number)
    if event not in ("withdraw", "reopen"):
        raise Http404
    try:
        workflow.fire(app, event, actor=request.user, reason=request.POST.get("reason", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message())
    else:
        messages.success(request, _pick("已完成。", "Done."))
    return redirect(f"/filings/{app.number}/")


# ---- photo verification --------------------------------------------------------------------------


@login_required
def photo(request, number: str):
    app = _app(request, number)
    points = verification_points(app.province)
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
                messages.success(request, _pick("已保存。", "Saved."))
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
            "can_choose": app.photo_state
            in (P.NOT_STARTED, P.REJECTED, P.POINT_CHOSEN, P.BACKDROP_REQUESTED),
            "can_upload": app.photo_state in (P.BACKDROP_SHIPPED, P.REJECTED),
            "reasons": _current_reasons(app) if app.photo_state == P.REJECTED else [],
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
