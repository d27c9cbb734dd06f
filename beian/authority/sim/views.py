"""The simulator's pages: SOAP endpoints with WSDL, the administration console, SMS page."""

from __future__ import annotations

import hmac
import json
import time

from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from beian.authority import extcodes, soap
from beian.authority.client import setting
from beian.authority.models import (
    SimDownload,
    SimFault,
    SimRequest,
    SimRequestState,
    SimSubject,
    SimUpload,
    SimWebsite,
)
from beian.authority.returncodes import CODES
from beian.authority.sim import services

XML = "text/xml; charset=utf-8"


@csrf_exempt
def endpoint(request, service: str):
    if request.method == "GET":
        return HttpResponse(
            soap.wsdl(service, request.build_absolute_uri(request.path)), content_type=XML
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        method, params = soap.parse_request(request.body)
        if soap.service_of(method) != service:
            raise soap.SoapFault("soapenv:Client", f"{method} is not a method of {service}")
    except soap.SoapFault as fault:
        return HttpResponse(soap.fault_envelope(fault.code, fault.message), XML, status=500)
    with transaction.atomic():
        faults = services.take_faults(method)
    if "soap_fault" in faults:
        return HttpResponse(
            soap.fault_envelope("soapenv:Server", "injected fault: service unavailable"),
            XML,
            status=500,
        )
    if "server_error" in faults:
        return HttpResponse("<h1>Internal Server Error</h1>", "text/html", status=500)
    answer = services.handle(method, params, faults)
    services.deliver_sms()
    if "slow" in faults:
        time.sleep(faults["slow"].seconds)
    return HttpResponse(soap.response_envelope(method, answer), XML)


@csrf_exempt
@require_POST
def password_reset(request):
    """The filer's "forgot filing password" (忘记备案密码), asked by the provider for its
    filer: a new password goes to the subject's contacts. Not part of interface 3.0 (MIIT's
    own site offers it to the filer); signed like the relays, with their own secret.
    Body ``{"number": "<subject or website number>"}``."""
    if not hmac.compare_digest(
        services.sign(request.body), request.headers.get("X-Authority-Signature", "")
    ):
        return JsonResponse({"ok": False, "code": "signature"}, status=403)
    try:
        number = str(json.loads(request.body).get("number") or "")
    except (ValueError, AttributeError):
        return JsonResponse({"ok": False, "code": "bad_request"}, status=400)
    try:
        with transaction.atomic():
            services.reset_password(number)
    except services.PasswordRefusal as refusal:
        return JsonResponse(
            {"ok": False, "code": refusal.code, "zh": refusal.zh, "en": refusal.en},
            status=refusal.status,
        )
    services.deliver_sms()
    return JsonResponse({"ok": True})


# ---- console ---------------------------------------------------------------------------------


def _console_password() -> str:
    return services.knob("AUTHORITY_SIM_CONSOLE_PASSWORD", None) or setting("AUTHORITY_PASSWORD")


def _logged_in(request) -> bool:
    return request.session.get("authority_sim_console") is True


def login(request):
    error = ""
    if request.method == "POST":
        given = request.POST.get("password", "")
        expected = _console_password()
        # No password configured (production mode leaves it empty): nobody logs in.
        if expected and hmac.compare_digest(given.encode(), expected.encode()):
            request.session["authority_sim_console"] = True
            return HttpResponseRedirect("/console/")
        error = "密码错误 / Wrong password"
    return render(request, "authority_sim/login.html", {"error": error})


def _guard(view):
    def wrapped(request, *args, **kwargs):
        if not _logged_in(request):
            return HttpResponseRedirect("/console/login")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


REASON_CODES = [c for c in CODES.values() if 1003 <= c.code <= 1047]


@_guard
def console(request):
    services.tick()
    return render(
        request,
        "authority_sim/console.html",
        {
            "state": services.state(),
            "requests": SimRequest.objects.prefetch_related("challenges")[:50],
            "uploads": SimUpload.objects.order_by("-data_sequence")[:20],
            "downloads": SimDownload.objects.order_by("-pk")[:20],
            "faults": SimFault.objects.order_by("-pk")[:20],
            "subjects": SimSubject.objects.prefetch_related("websites").order_by("-pk")[:20],
            "reason_codes": REASON_CODES,
            "fault_kinds": SimFault.KINDS,
            "methods": list(soap.METHODS),
            "review": SimRequestState.REVIEW,
            "message": request.session.pop("authority_sim_message", ""),
        },
    )


def _back(request, message: str = ""):
    if message:
        request.session["authority_sim_message"] = message
    return HttpResponseRedirect("/console/")


@require_POST
@_guard
def decide(request, pk: int):
    sim_request = get_object_or_404(SimRequest, pk=pk)
    action = request.POST.get("action")
    opinion = request.POST.get("opinion", "").strip()
    reviewer = request.POST.get("reviewer", "").strip()
    if action == "approve":
        services.approve(sim_request, opinion, reviewer)
    elif action == "reject":
        codes = [int(c) for c in request.POST.getlist("codes") if c.isdigit()]
        if not codes and not opinion:
            return _back(request, "驳回需要原因 / A rejection needs a reason")
        services.reject(sim_request, codes, opinion, reviewer)
    elif action == "phone":
        services.record_phone_check(
            sim_request,
            request.POST.get("phone", ""),
            request.POST.get("result", ""),
            request.POST.get("note", ""),
        )
    return _back(request, f"#{pk}: {action}")


@require_POST
@_guard
def settings_view(request):
    st = services.state()
    st.auto_mode = request.POST.get("auto_mode") == "on"
    st.auto_decision = "reject" if request.POST.get("auto_decision") == "reject" else "approve"
    try:
        st.auto_delay_working_days = max(0, int(request.POST.get("auto_delay_working_days", 0)))
    except ValueError:
        return _back(request, "延迟须为整数 / The delay must be a whole number")
    st.save()
    return _back(request, "已保存 / Saved")


@require_POST
@_guard
def fault(request):
    kind = request.POST.get("kind")
    if kind not in dict(SimFault.KINDS):
        return _back(request, "未知故障 / Unknown fault")
    try:
        remaining = max(1, int(request.POST.get("remaining") or 1))
        seconds = float(request.POST.get("seconds") or 2)
    except ValueError:
        return _back(request, "次数或秒数无效 / Invalid count or seconds")
    services.inject_fault(kind, request.POST.get("method") or "*", remaining, seconds)
    return _back(request, f"已注入 / Injected: {kind}")


@require_POST
@_guard
def code_tables(request):
    """Leave the code tables (JCDM, the bundled set) for the provider to download."""
    download = services.queue_code_tables()
    return _back(request, f"已下发 / Queued: {download.file_name}")


@require_POST
@_guard
def subject_password(request, pk: int):
    """The operator resets a subject's filing password; it goes to the subject's contacts."""
    subject = get_object_or_404(SimSubject, pk=pk, cancelled=False)
    with transaction.atomic():
        services.reset_password(subject.number, limited=False)
    services.deliver_sms()
    return _back(
        request, f"{subject.number}: 备案密码已重置并发送 / filing password reset and sent"
    )


@require_POST
@_guard
def initiative(request):
    """The administration acts by itself: cancel a record, send a change notice or a
    verification task (each becomes a download file for the provider)."""
    action = request.POST.get("action")
    kind = 0 if request.POST.get("kind") == "subject" else 1
    try:
        record_id = int(request.POST.get("record_id") or 0)
    except ValueError:
        return _back(request, "记录无效 / Invalid record")
    text = request.POST.get("text", "").strip()
    try:
        if action == "cancel":
            services.cancel_record(kind, record_id, text)
        elif action == "notice":
            if not text:
                return _back(request, "整改通知需要内容 / A change notice needs its text")
            services.send_notice(kind, record_id, text[:255])
        elif action == "verify":
            services.send_verification_task(record_id, text)
        else:
            return _back(request, "未知操作 / Unknown action")
    except (SimSubject.DoesNotExist, SimWebsite.DoesNotExist):
        return _back(request, "记录不存在或已注销 / No such record, or cancelled")
    return _back(request, f"#{record_id}: 已下发 / sent ({action})")


# ---- MIIT SMS verification page ---------------------------------------------------------------


def sms(request):
    context = {"error": "", "done": ""}
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        tail = request.POST.get("certificate_tail", "")
        try:
            if request.POST.get("action") == "resend":
                services.resend_sms(phone, tail)
                context["done"] = "验证码已重新发送 / A new code was sent"
            else:
                services.verify_sms(phone, tail, request.POST.get("code", ""))
                context["done"] = "核验成功 / Verified"
        except services.SmsRefusal as refusal:
            context["error"] = str(refusal)
        services.deliver_sms()
        context.update(phone=phone, certificate_tail=tail)
    return render(request, "authority_sim/sms.html", context)


def describe(code: int) -> str:
    zh, en = extcodes.describe(code)
    return f"{zh} / {en}"
