"""What the administration starts itself, from the console: a forced cancellation (ZXSJ),
a change notice (XGTZ) and a verification task (HSRW), each queued as a download file."""

from __future__ import annotations

from django.db import transaction

from beian.authority.models import SimSubject, SimWebsite
from beian.authority.sim.services.base import queue_download

SUBJECT, WEBSITE = 0, 1


def cancel_record(kind: int, record_id: int, remark: str = "") -> None:
    """强制注销: the subject (and all its websites) or one website is cancelled here and the
    provider is told by a ZXSJ part."""
    with transaction.atomic():
        if kind == SUBJECT:
            subject = SimSubject.objects.select_for_update().get(pk=record_id, cancelled=False)
            SimWebsite.objects.filter(subject=subject).update(cancelled=True)
            subject.cancelled = True
            subject.save(update_fields=["cancelled"])
            label = subject.number
        else:
            website = SimWebsite.objects.select_for_update().get(pk=record_id, cancelled=False)
            website.cancelled = True
            website.save(update_fields=["cancelled"])
            label = website.number
        queue_download(
            f"{label}: 注销 / cancelled", cancellations=[(kind, record_id, remark or None)]
        )


def send_notice(kind: int, record_id: int, content: str) -> None:
    """整改通知 to the provider about a subject (0) or a website (1)."""
    row = (SimSubject if kind == SUBJECT else SimWebsite).objects.get(pk=record_id)
    queue_download(
        f"{row.number}: 整改通知 / change notice",
        notices=[{"kind": kind, "number": row.number, "record_id": record_id, "content": content}],
    )


def send_verification_task(subject_id: int, remark: str = "") -> None:
    """核实任务: the provider is to verify this subject's filing."""
    subject = SimSubject.objects.get(pk=subject_id, cancelled=False)
    websites = list(subject.websites.filter(cancelled=False).order_by("pk"))
    queue_download(
        f"{subject.number}: 核实任务 / verification task",
        verification_tasks=[(subject, websites, remark)],
    )
