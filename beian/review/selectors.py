"""Every read of the back office, scoped to the caller's role and provinces.

A stage is a queue, defined once in `filings/stages.py` (which applications
are in it; its roles are those the transition table lets fire its events).
Rows come through `filings.selectors.applications_for(user)` (province scope),
then the stage's filter; a role that does not work a stage sees nothing of it.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from beian.accounts.models import Role
from beian.core import clock
from beian.core.errors import NotFound, Refusal
from beian.core.i18n import t
from beian.core.models import AuditEvent
from beian.filings import counts, guidance
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
    cursor: str = "",
) -> dict:
    """One page of a stage's queue, by deadline (none last) then pk, with its counts.

    Pages are keyset pages (no OFFSET): `cursor` is an opaque, signed token from a
    previous page's `next_cursor` / `previous_cursor` (or `LAST`); "" is the first
    page. A cursor that is not one of ours is refused (`review_cursor_invalid`)."""
    stage = get_stage(user, stage_key)
    position = _read_cursor(cursor, stage)
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
    counts = _queue_counts(user, stage, qs, province, filing_type, claimed, now)
    rows, has_before, has_after = _keyset_page(qs.select_related("claimed_by", "photo"), position)
    prefetch_related_objects(rows, "websites__domains")
    for app in rows:
        app.is_overdue = bool(app.deadline and app.deadline < now)
        app.is_due_today = bool(
            app.deadline and not app.is_overdue and app.deadline < _day_bounds(now)[1]
        )
    return {
        "stage": stage,
        "rows": rows,
        "counts": counts,
        "next_cursor": _cursor(stage, "after", rows[-1]) if rows and has_after else "",
        "previous_cursor": _cursor(stage, "before", rows[0]) if rows and has_before else "",
        "last_cursor": LAST if has_after else "",
    }


# ---- counts ------------------------------------------------------------------------------------


def _counts_of(user, stages: list[Stage], now, *, province="", filing_type="") -> dict:
    """{stage key: {total, overdue, due_today}} from the counters (filings/counts.py),
    which know deadline days; within today, the few rows whose deadline has already
    passed (a deadline is mostly the end of a working day) are moved to overdue by
    one bounded query on the (state, deadline) index."""
    today_start, _ = _day_bounds(now)
    found = counts.sums(
        user,
        stages,
        today=today_start.date(),
        province=province,
        filing_type=filing_type,
    )
    scoped = filing_selectors.applications_for(user).filter(
        deadline__gte=today_start, deadline__lt=now
    )
    if province:
        scoped = scoped.filter(province=province)
    if filing_type:
        scoped = scoped.filter(filing_type=filing_type)
    passed = scoped.aggregate(**{s.key: Count("pk", filter=s.condition) for s in stages})
    for stage in stages:
        late = passed[stage.key] or 0
        found[stage.key]["overdue"] += late
        found[stage.key]["due_today"] -= late
    return found


def _live_counts(qs, now) -> dict:
    flags = _deadline_flags(now)
    return qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=flags["overdue"]),
        due_today=Count("pk", filter=flags["due_today"]),
    )


def _queue_counts(user, stage, qs, province, filing_type, claimed, now) -> dict:
    """The counters, except for claims, which are few (claimed rows are counted live,
    through the claimed_by index): "mine" is those; "unclaimed" is the rest."""
    if claimed == "mine":
        return _live_counts(qs, now)
    found = _counts_of(user, [stage], now, province=province, filing_type=filing_type)[stage.key]
    if claimed == "unclaimed":
        taken = _live_counts(
            stage_queryset(user, stage)
            .filter(claimed_by__isnull=False)
            .filter(**({"province": province} if province else {}))
            .filter(**({"filing_type": filing_type} if filing_type else {})),
            now,
        )
        found = {k: found[k] - taken[k] for k in found}
    return found


# ---- keyset pages ------------------------------------------------------------------------------

# A queue is two runs in one order: the rows with a deadline by (deadline, pk), then
# those without one by pk. Each run is read along the (state, deadline, id) index
# from the cursor's position, never counted off from the start.
LAST = "last"
_SALT = "beian.review.queue"


def _key(app) -> tuple:
    return (0, app.deadline, app.pk) if app.deadline else (1, None, app.pk)


def _cursor(stage: Stage, direction: str, app) -> str:
    rank, deadline, pk = _key(app)
    return signing.dumps(
        {
            "s": stage.key,
            "d": direction,
            "r": rank,
            "t": deadline.isoformat() if deadline else None,
            "p": pk,
        },
        salt=_SALT,
        compress=True,
    )


def _read_cursor(token: str, stage: Stage) -> tuple | None:
    """("after" | "before", key | None) from a cursor; None for the first page."""
    if not token:
        return None
    if token == LAST:
        return ("before", None)
    try:
        data = signing.loads(token, salt=_SALT)
        if data["s"] != stage.key or data["d"] not in ("after", "before"):
            raise ValueError(data)
        rank, pk = int(data["r"]), int(data["p"])
        deadline = dt.datetime.fromisoformat(data["t"]) if rank == 0 else None
        if rank not in (0, 1) or (rank == 0 and deadline.tzinfo is None):
            raise ValueError(data)
    except (signing.BadSignature, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise Refusal("review_cursor_invalid", status=400) from exc
    return (data["d"], (rank, deadline, pk))


def _dated(qs, key, forward: bool):
    """Rows with a deadline, after (forward) or before the key, in order."""
    qs = qs.filter(deadline__isnull=False)
    if key is not None:
        _, deadline, pk = key
        if forward:
            after = Q(deadline__gt=deadline) | Q(deadline=deadline, pk__gt=pk)
            qs = qs.filter(after, deadline__gte=deadline)
        else:
            before = Q(deadline__lt=deadline) | Q(deadline=deadline, pk__lt=pk)
            qs = qs.filter(before, deadline__lte=deadline)
    return qs.order_by("deadline", "pk") if forward else qs.order_by("-deadline", "-pk")


def _undated(qs, key, forward: bool):
    qs = qs.filter(deadline__isnull=True)
    if key is not None:
        qs = qs.filter(pk__gt=key[2]) if forward else qs.filter(pk__lt=key[2])
    return qs.order_by("pk") if forward else qs.order_by("-pk")


def _keyset_page(qs, position) -> tuple[list, bool, bool]:
    """(rows, a row before them exists, a row after them exists)."""
    want = PAGE_SIZE + 1
    direction, key = position or ("after", None)
    forward = direction == "after"
    if forward:
        runs = [_dated, _undated] if key is None or key[0] == 0 else [_undated]
    else:
        runs = [_undated, _dated] if key is None or key[0] == 1 else [_dated]
    rows: list = []
    for i, run in enumerate(runs):
        # The first run starts at the key; the next one from its own beginning.
        rows += list(run(qs, key if i == 0 else None, forward)[: want - len(rows)])
        if len(rows) >= want:
            break
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if forward:
        return rows, key is not None, more
    rows.reverse()
    return rows, more, key is not None


def dashboard(user) -> list[dict]:
    """Per stage the user works: count in time, due today, overdue, from the counters
    (two queries whatever the number of applications)."""
    stages = stages_for(user)
    found = _counts_of(user, stages, clock.now())
    result = []
    for stage in stages:
        counts = found[stage.key]
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
                "reason": guidance.reason_text(event),
            }
        )
    return rows


def open_failures(user) -> list[SubmissionAttempt]:
    """Failed submissions not yet followed by a success, in the user's scope."""
    if not user.has_role(Role.OPERATOR):
        return []
    # From the few open failures to their applications (never the other way: an
    # `application IN (every ready one)` subquery read 166,000 rows at 1 M, issue 19).
    # Staff scope is the province scope (`Application.objects.restrict`), applied here
    # through the join with the same `User.restrict_to_scope`.
    attempts = user.restrict_to_scope(
        SubmissionAttempt.objects.filter(
            ok=False, resolved=False, application__state__in=[S.READY, S.AUTHORITY_RETURNED]
        ),
        "application__province",
    )
    return list(attempts.select_related("application", "actor").order_by("-at", "-id")[:PAGE_SIZE])


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
