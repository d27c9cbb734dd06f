"""Every read of the back office, scoped to the caller's role and provinces.

A stage is a queue, defined once in `filings/stages.py` (which applications
are in it; its roles are those the transition table lets fire its events).
Rows come through `filings.selectors.applications_for(user)` (province scope),
then the stage's filter; a role that does not work a stage sees nothing of it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from beian.accounts.models import Role
from beian.core import clock
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import t
from beian.core.models import AuditEvent
from beian.filings import selectors as filing_selectors
from beian.filings.guidance import EVENT_LABELS
from beian.filings.models import Application
from beian.filings.stages import STAGE_BY_KEY, STAGES, Stage
from beian.filings.states import ApplicationState as S
from beian.filings.states import OriginalsState, PhotoState
from beian.review import errors  # noqa: F401 - registers refusal codes
from beian.review.models import SubmissionAttempt

PAGE_SIZE = 50


def may_work(user, stage: Stage) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*stage.roles))


def stages_for(user) -> list[Stage]:
    return [s for s in STAGES if may_work(user, s)]


def get_stage(user, key: str) -> Stage:
    stage = STAGE_BY_KEY.get(key)
    if stage is None:
        raise Refusal("review_stage_unknown", status=404)
    if not may_work(user, stage):
        raise Refusal("review_stage_forbidden", status=403)
    return stage


def _day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = now.astimezone(clock.CHINA)
    start = dt.datetime.combine(local.date(), dt.time.min, tzinfo=clock.CHINA)
    return start, start + dt.timedelta(days=1)


def _deadline_flags(now: dt.datetime) -> dict[str, Q]:
    _, tomorrow = _day_bounds(now)
    return {
        "overdue": Q(deadline__lt=now),
        "due_today": Q(deadline__gte=now, deadline__lt=tomorrow),
    }


def stage_queryset(user, stage: Stage) -> QuerySet[Application]:
    if not may_work(user, stage):
        return Application.objects.none()
    return filing_selectors.applications_for(user).filter(stage.condition)


def queue(
    user,
    stage_key: str,
    *,
    province: str = "",
    filing_type: str = "",
    claimed: str = "",
    page: int = 1,
) -> dict:
    """One page of a stage's queue, by deadline (none last), with its counts."""
    stage = get_stage(user, stage_key)
    qs = stage_queryset(user, stage)
    if province:
        qs = qs.filter(province=province)
    if filing_type:
        qs = qs.filter(filing_type=filing_type)
    if claimed == "mine":
        qs = qs.filter(claimed_by=user)
    elif claimed == "unclaimed":
        qs = qs.filter(claimed_by__isnull=True)
    now = clock.now()
    flags = _deadline_flags(now)
    counts = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=flags["overdue"]),
        due_today=Count("pk", filter=flags["due_today"]),
    )
    page = max(1, page)
    rows = list(
        qs.select_related("claimed_by", "photo")
        .prefetch_related("websites__domains")
        .order_by(_deadline_order(), "submitted_at", "pk")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    for app in rows:
        app.is_overdue = bool(app.deadline and app.deadline < now)
        app.is_due_today = bool(
            app.deadline and not app.is_overdue and app.deadline < _day_bounds(now)[1]
        )
    return {
        "stage": stage,
        "rows": rows,
        "counts": counts,
        "page": page,
        "pages": max(1, -(-counts["total"] // PAGE_SIZE)),
    }


def _deadline_order():
    from django.db.models import F

    return F("deadline").asc(nulls_last=True)


def dashboard(user) -> list[dict]:
    """Per stage the user works: count in time, due today, overdue (one query per stage)."""
    now = clock.now()
    flags = _deadline_flags(now)
    result = []
    for stage in stages_for(user):
        counts = stage_queryset(user, stage).aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=flags["overdue"]),
            due_today=Count("pk", filter=flags["due_today"]),
        )
        counts["in_time"] = counts["total"] - counts["overdue"] - counts["due_today"]
        result.append({"stage": stage, **counts})
    return result


def application_for_staff(user, number: str) -> Application:
    """One application the staff member may see (404 otherwise)."""
    if not (user and user.is_authenticated and user.is_provider_staff):
        raise NotFound()
    return filing_selectors.get_application(user, number.strip().upper())


# What staff read for the audit verbs that are not workflow events (those are labelled by
# the transition table, as in the applicant's timeline).
ACTION_LABELS = {
    "subject_saved": ("保存主体信息", "Subject saved"),
    "website_saved": ("保存网站信息", "Website saved"),
    "filing_password_saved": ("填写备案密码", "Filing password entered"),
    "material_uploaded": ("上传材料", "Material uploaded"),
    "material_replaced": ("替换材料", "Material replaced"),
    "claim": ("认领", "Claimed"),
    "release": ("释放认领", "Released"),
    "phone_call": ("记录通话", "Phone call recorded"),
    "submission_failed": ("提交管局失败", "Submission failed"),
}
_STATE_CHOICES = {
    "main": dict(S.choices),
    "originals": dict(OriginalsState.choices),
    "photo": dict(PhotoState.choices),
}


def _pick(pair_or_label) -> str:
    if isinstance(pair_or_label, tuple):
        return t(*pair_or_label)
    zh, _, en = str(pair_or_label).partition(" / ")
    return t(zh, en or zh)


def history(app: Application) -> list[dict]:
    """The application's audit events as staff read them: when, what (labelled), the
    state it led to (labelled), who (login name and role), the reason."""
    roles = dict(Role.choices)
    rows = []
    events = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk))
    for event in events.select_related("actor").order_by("at", "id"):
        label = EVENT_LABELS.get(event.verb) or ACTION_LABELS.get(event.verb)
        state = _STATE_CHOICES.get(event.track or "main", {}).get(event.to_state)
        role = roles.get(event.actor_role or (event.actor.role if event.actor else ""))
        who = t("系统", "System") if event.actor is None else event.actor.username
        rows.append(
            {
                "at": event.at,
                "what": _pick(label) if label else t("其他操作", "Other action"),
                "to_state": _pick(state) if state else "",
                "who": f"{who}（{_pick(role)}）" if role and event.actor else who,
                "reason": event.reason,
            }
        )
    return rows


def open_failures(user) -> list[SubmissionAttempt]:
    """Failed submissions not yet followed by a success, in the user's scope."""
    if not user.has_role(Role.OPERATOR):
        return []
    apps = filing_selectors.applications_for(user).filter(state__in=[S.READY, S.AUTHORITY_RETURNED])
    return list(
        SubmissionAttempt.objects.filter(ok=False, resolved=False, application__in=apps)
        .select_related("application", "actor")
        .order_by("-at", "-id")[:PAGE_SIZE]
    )


# Lines other apps add to the dashboard and the application page (filled in their
# AppConfig.ready(): the authority app's set-aside downloads), each {"text", "url", "key"}.
_NOTICES: list = []


def register_notice(source) -> None:
    """`source(user, application=None) -> list[dict]` adds its lines to the dashboard
    (application None) and to the page of one application."""
    if source not in _NOTICES:
        _NOTICES.append(source)


def notices(user, application=None) -> list[dict]:
    return [line for source in _NOTICES for line in source(user, application)]
