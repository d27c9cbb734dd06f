"""The back-office pages of the exchange with the administration: downloads set aside, and
what the administration sent down (work items, lists, parts kept, code tables in use).

Thin: read through `selectors` (operators, in their province scope), write through
`services.retry_set_aside` and `downloads.close_task`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beian.accounts.models import Role
from beian.authority import downloads, selectors, services
from beian.authority.models import ListKind, TaskKind
from beian.authority.payloads import OPERATION_LABELS
from beian.core.errors import Refusal
from beian.core.i18n import t
from beian.core.masking import mask_certificate, mask_name
from beian.filings.models import Application
from beian.rules.provinces import province


@login_required
def home(request):
    """Where the administration's demo user lands: the filings at the administration in
    their scope, and the way to the administration's own console (the simulator)."""
    if request.user.role != Role.AUTHORITY:
        raise Http404
    apps = (
        Application.objects.restrict(request.user)
        .select_related("subject")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(
        request,
        "authority/home.html",
        {
            "rows": [{"app": a, "province": _province_name(a.province)} for a in apps],
            "console_url": settings.BEIAN["AUTHORITY_CONSOLE_URL"],
        },
    )


def _province_name(code: str) -> str:
    p = province(code)
    return t(p.name, p.name_en)


def _operators_only(request) -> None:
    if not request.user.has_role(Role.OPERATOR):
        raise Http404


def _row(item) -> dict:
    label = OPERATION_LABELS.get(item.operation)
    if item.part != "BAJG":
        label = downloads.PART_LABELS.get(item.part)
    return {
        "item": item,
        "operation": t(*label) if label else "—",
        "reason": item.reason(),
    }


@login_required
def set_aside(request):
    _operators_only(request)
    rows = selectors.set_aside_for(request.user)
    done = selectors.set_aside_for(request.user, open_only=False).exclude(resolved_at=None)
    return render(
        request,
        "authority/set_aside.html",
        {
            "rows": [_row(i) for i in rows],
            "resolved": [_row(i) for i in done.order_by("-resolved_at")[:20]],
        },
    )


@login_required
@require_POST
def retry(request, pk: int):
    _operators_only(request)
    item = selectors.set_aside_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    item = services.retry_set_aside(item, actor=request.user)
    if item.resolved_at is not None:
        messages.success(request, t("已重新处理，结果已登记。", "Applied: the result is recorded."))
    else:
        messages.error(
            request,
            t("仍未能处理：", "Still not applied: ") + item.reason(),
        )
    return redirect("authority:set_aside")


def _label(pair_text: str) -> str:
    zh, _, en = pair_text.partition(" / ")
    return t(zh, en or zh)


@login_required
def work(request):
    """管局下发: the administration's work items, lists, parts kept and code tables."""
    _operators_only(request)
    tasks = selectors.tasks_for(request.user)
    done = selectors.tasks_for(request.user, open_only=False).exclude(status="open")
    entries = list(selectors.listed_for(request.user)[:200])
    served = selectors.open_here(e.domain for e in entries)
    parts = selectors.received_parts(request.user)
    return render(
        request,
        "authority/work.html",
        {
            "tasks": [{"task": x, "kind": _label(TaskKind(x.kind).label)} for x in tasks],
            "done": [
                {"task": x, "kind": _label(TaskKind(x.kind).label)}
                for x in done.order_by("-done_at")[:20]
            ],
            "entries": [
                {
                    "entry": e,
                    "kind": _label(ListKind(e.kind).label),
                    "name": mask_name(e.name),
                    "certificate": mask_certificate(e.certificate_number),
                    "open_here": e.domain in served,
                }
                for e in entries
            ],
            "parts": [
                {
                    "part": p,
                    "meaning": t(
                        *downloads.PART_LABELS.get(p.part.split("/")[0], (p.part, p.part))
                    ),
                    "sub": t(*downloads.PART_LABELS.get(p.part.split("/")[-1], ("", ""))),
                    "lines": selectors.readable(p.data, parent=p.part.split("/")[-1])[:60],
                }
                for p in parts
            ],
            "tables": selectors.code_tables_in_use(),
        },
    )


@login_required
@require_POST
def task_done(request, pk: int):
    _operators_only(request)
    task = selectors.tasks_for(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    try:
        downloads.close_task(task, actor=request.user, outcome=request.POST.get("outcome", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message())
    else:
        messages.success(request, t("已登记处理结果。", "Recorded as done."))
    return redirect("authority:work")
