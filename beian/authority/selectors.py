"""Reads of the exchange with the administration, scoped to what the caller may see."""

from __future__ import annotations

import functools
import ipaddress
import json
from importlib import resources

from django.db.models import Q, QuerySet

from beian.accounts.models import Role
from beian.authority import codes
from beian.authority.models import (
    AuthorityTask,
    CodeTableSet,
    ListedEntry,
    ReceivedPart,
    SetAside,
    TaskStatus,
)
from beian.authority.returncodes import describe
from beian.core import clock, deadlines
from beian.core.i18n import t
from beian.filings.models import AccessStatus, Application, Domain, RecordStatus


def set_aside_for(user, *, open_only: bool = True) -> QuerySet[SetAside]:
    """The set-aside downloads an operator (or admin) may see: those of applications in
    their scope, and those matched to no application (a file name and a reason, no
    personal data). Nobody else sees any."""
    if user is None or not user.is_authenticated or not user.has_role(Role.OPERATOR):
        return SetAside.objects.none()
    visible = Application.objects.restrict(user)
    rows = SetAside.objects.filter(Q(application=None) | Q(application__in=visible))
    if open_only:
        rows = rows.filter(resolved_at=None)
    return rows.select_related("download", "application", "resolved_by")


def dashboard_notices(user, application=None) -> list[dict]:
    """The back office's lines about set-aside downloads (review's hook): a count on the
    dashboard; on an application's page, each of its own with the reason."""
    rows = set_aside_for(user)
    if application is not None:
        return [
            {
                "text": t("管局结果未能处理：", "A result of the administration is set aside: ")
                + item.reason(),
                "url": "/authority/downloads/",
                "key": "set_aside",
            }
            for item in rows.filter(application=application)
        ] + [
            {
                "text": t("管局下发：", "From the administration: ") + task.text,
                "url": "/authority/work/",
                "key": "authority_task",
            }
            for task in tasks_for(user, open_only=False).filter(subject=application.subject_id)
        ]
    lines = []
    tasks = tasks_for(user).count()
    if tasks:
        lines.append(
            {
                "text": t(
                    f"{tasks} 项管局下发的事项待处理",
                    f"{tasks} item(s) from the administration to handle",
                ),
                "url": "/authority/work/",
                "key": "authority_task",
            }
        )
    count = rows.count()
    if not count:
        return lines
    return lines + [
        {
            "text": t(
                f"{count} 条管局下载结果未能处理，已搁置待重试",
                f"{count} result(s) downloaded from the administration could not be applied "
                "and are set aside for retry",
            ),
            "url": "/authority/downloads/",
            "key": "set_aside",
        }
    ]


# ---- what the administration sent down (decision 0021) ---------------------------------------


def _scoped(user, rows: QuerySet) -> QuerySet:
    """Rows with a ``province`` column, for an operator's province scope (rows matched to
    no filing have none and are shown to every operator)."""
    if user.provinces:
        return rows.filter(Q(province="") | Q(province__in=user.provinces))
    return rows


def tasks_for(user, *, open_only: bool = True) -> QuerySet[AuthorityTask]:
    """Work items from the administration an operator (or admin) may see."""
    if user is None or not user.is_authenticated or not user.has_role(Role.OPERATOR):
        return AuthorityTask.objects.none()
    rows = _scoped(user, AuthorityTask.objects.all())
    rows = rows.filter(status=TaskStatus.OPEN) if open_only else rows
    return rows.select_related("download", "subject", "website", "done_by")


def listed_for(user) -> QuerySet[ListedEntry]:
    if user is None or not user.is_authenticated or not user.has_role(Role.OPERATOR):
        return ListedEntry.objects.none()
    return ListedEntry.objects.filter(active=True)


def open_here(domains) -> set[str]:
    """Which of these names are served here now (filed and with an open access)."""
    names = [d for d in domains if d]
    if not names:
        return set()
    return set(
        Domain.objects.filter(
            name__in=names,
            status=RecordStatus.FILED,
            website__accesses__status=AccessStatus.OPEN,
        ).values_list("name", flat=True)
    )


def received_parts(user, limit: int = 20) -> list[ReceivedPart]:
    if user is None or not user.is_authenticated or not user.has_role(Role.OPERATOR):
        return []
    return list(ReceivedPart.objects.select_related("download")[:limit])


def code_tables_in_use() -> CodeTableSet | None:
    return CodeTableSet.objects.first()  # the newest: what codes.current() reads


@functools.cache
def _label_data() -> dict:
    data = resources.files("beian.authority.data").joinpath("download_labels.json")
    return json.loads(data.read_text(encoding="utf-8"))


def _label(parent: str, tag: str) -> str:
    """The spec's Chinese name of a field (under its parent where the name differs)."""
    data = _label_data()
    return data["scoped"].get(f"{parent}/{tag}") or data["labels"].get(tag, tag)


IP_FIELDS = {"Qsip", "Zzip", "Ip", "IP", "Jxip", "Wgip", "Qsip1", "Zzip1", "Qsip2", "Zzip2"}
RESULT_CODES = {"Jgdm"}
REGION_FIELDS = ("shengid", "shiid", "xianid", "szs", "sssh")


def readable(value, prefix: str = "", parent: str = "") -> list[tuple[str, str]]:
    """A part's data as (field, value) lines: the spec's Chinese name of each field, IPs
    dotted, result codes with their meaning."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, list):
        for i, item in enumerate(value, 1):
            rows += readable(item, f"{prefix}{i}. ", parent)
        return rows
    if not isinstance(value, dict):
        return [(prefix.strip(), str(value))] if value not in (None, "") else []
    for tag, item in value.items():
        if tag.startswith("_"):
            continue
        label = _label(parent, tag)
        if isinstance(item, dict | list):
            rows.append((f"{prefix}{label}", ""))
            rows += readable(item, prefix + "  ", tag)
        elif tag in IP_FIELDS:
            try:
                rows.append((f"{prefix}{label}", str(ipaddress.IPv4Address(int(item)))))
            except (TypeError, ValueError):
                rows.append((f"{prefix}{label}", str(item)))
        elif tag.lower().endswith(REGION_FIELDS) and str(item).isdigit():
            name = codes.current().name("regions", int(item))
            rows.append((f"{prefix}{label}", name or str(item)))
        elif tag in RESULT_CODES:
            zh, en = describe(int(item)) if str(item).isdigit() else (str(item), "")
            rows.append((f"{prefix}{label}", f"{item} {t(zh, en)}"))
        else:
            rows.append((f"{prefix}{label}", str(item or "")))
    return rows


def digest_rows(user) -> list[dict]:
    """The staff digest's line (notify's hook): open items due today and overdue."""
    tasks = tasks_for(user).exclude(deadline=None)
    now = clock.now()
    today = 0
    overdue = 0
    for deadline in tasks.values_list("deadline", flat=True):
        if deadlines.is_overdue(deadline, now):
            overdue += 1
        elif deadlines.is_due_today(deadline, now):
            today += 1
    return [
        {
            "stage": t("管局下发事项", "From the administration"),
            "due_today": today,
            "overdue": overdue,
        }
    ]
