"""Periodic work of the filing workflow, run by `beian worker` once across workers.

Every job is idempotent: it only fires transitions whose guards still pass, and
its messages carry idempotency keys, so running it twice changes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Count, Q

from beian.core import clock, deadlines
from beian.core.errors import Refusal
from beian.filings import workflow
from beian.filings.models import Application
from beian.filings.selectors import applications_for
from beian.filings.stages import STAGES
from beian.filings.states import OPEN_STATES
from beian.filings.states import ApplicationState as S
from beian.notify.digest import register_source
from beian.notify.periodic import periodic
from beian.notify.services import enqueue

logger = logging.getLogger("beian.filings.jobs")

EXPIRY_WARNING_DAYS = 7
PUBLIC_SECURITY_DAYS = 30


def _fire_each(queryset, event: str, reason: str = "") -> int:
    fired = 0
    for app in queryset.only("pk"):
        try:
            workflow.fire(app, event, reason=reason)
            fired += 1
        except Refusal as refusal:  # moved on meanwhile: nothing to do
            logger.info("%s skipped for application %s: %s", event, app.pk, refusal.code)
    return fired


@periodic("filings.order_expiry", every=300)
def expire_orders() -> int:
    """Orders still with the applicant or the provider after their life (45 days) expire."""
    due = Application.objects.filter(
        state__in=OPEN_STATES | {S.REJECTED}, expires_at__lte=clock.now()
    )
    return _fire_each(due, "expire")


@periodic("filings.sms_code_expiry", every=60)
def expire_sms_codes() -> int:
    """An SMS code not answered within its hours returns the filing to the provider."""
    due = Application.objects.filter(state=S.SMS_VERIFICATION, deadline__lte=clock.now())
    return _fire_each(
        due, "sms_failed", reason="工信部短信核验超时未完成 / MIIT SMS verification timed out"
    )


@periodic("filings.reminders", every=3600)
def send_reminders() -> int:
    """Order about to expire; public-security filing 30 days after approval."""
    now = clock.now()
    sent = 0
    expiring = Application.objects.filter(
        state__in=OPEN_STATES,
        expires_at__gt=now,
        expires_at__lte=now + dt.timedelta(days=EXPIRY_WARNING_DAYS),
    ).select_related("account")
    for app in expiring:
        enqueue(
            template="order_expiring",
            user=app.account,
            idempotency_key=f"app-{app.pk}-expiring",
            context={"order_number": app.number, "expires_at": app.expires_at.isoformat()},
        )
        sent += 1
    approved = (
        Application.objects.filter(
            state=S.APPROVED,
            decided_at__lte=now - dt.timedelta(days=PUBLIC_SECURITY_DAYS),
            decided_at__gt=now - dt.timedelta(days=PUBLIC_SECURITY_DAYS + 7),
        )
        .select_related("account")
        .prefetch_related("websites")
    )
    for app in approved:
        numbers = [w.icp_number for w in app.websites.all() if w.icp_number]
        enqueue(
            template="public_security_reminder",
            user=app.account,
            idempotency_key=f"app-{app.pk}-psb",
            context={"order_number": app.number, "website_numbers": numbers},
        )
        sent += 1
    return sent


@register_source
def filing_deadlines(user) -> list[dict]:
    """Due today and overdue per stage (filings/stages.py) that works against a
    deadline, for the staff member's roles and scope."""
    now = clock.now()
    end_of_today = deadlines.end_of_day(clock.today())
    rows = []
    for stage in STAGES:
        if not stage.deadline_kind or not user.has_role(*stage.roles):
            continue
        counts = (
            applications_for(user)
            .filter(stage.condition, deadline_kind=stage.deadline_kind, deadline__isnull=False)
            .aggregate(
                overdue=Count("pk", filter=Q(deadline__lt=now)),
                due_today=Count("pk", filter=Q(deadline__gte=now, deadline__lte=end_of_today)),
            )
        )
        if counts["overdue"] or counts["due_today"]:
            rows.append({"stage": stage.text, **counts})
    return rows
