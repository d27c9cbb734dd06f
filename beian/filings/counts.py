"""The back office's counts, kept as the workflow moves (issue 19, decision 0024).

`StageCount` holds, per stage × province × filing type × deadline day (China
date), how many applications wait there. The workflow engine (`workflow.fire`)
reads an application's keys before and after a transition and records the
difference here, in the transition's own transaction: counts and states commit
together or not at all. Each key is one row updated with `F("n") + delta`
(the database adds, so two transitions at once never lose a count) in one sorted
order (two transactions never wait for each other in a circle).

`rebuild()` recomputes every row from the applications (the migration that
introduced the table, `beian counts --rebuild`, and the test builders that write
applications in bulk); `drift()` compares without writing (`beian counts --verify`).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from beian.core import clock
from beian.filings.models import Application, StageCount
from beian.filings.stages import STAGES, Stage

# The day of an application without a deadline: after every real day, so it counts
# as "in time" and a plain `day < today` finds the overdue ones.
NO_DEADLINE = dt.date(9999, 12, 31)
KEY_FIELDS = ("stage", "province", "filing_type", "day")

Key = tuple[str, str, str, dt.date]


def day_of(deadline: dt.datetime | None) -> dt.date:
    return NO_DEADLINE if deadline is None else deadline.astimezone(clock.CHINA).date()


def keys_of(app) -> set[Key]:
    """The counter rows `app` counts in now (one per stage that holds it)."""
    day = day_of(app.deadline)
    return {(s.key, app.province, app.filing_type, day) for s in STAGES if s.holds(app)}


def record(before: set[Key], after: set[Key]) -> None:
    """Count the move from the keys `before` to the keys `after` (inside the caller's
    transaction: `workflow.fire`)."""
    deltas = {key: -1 for key in before - after} | {key: 1 for key in after - before}
    for key in sorted(deltas):
        _add(key, deltas[key])


def _add(key: Key, delta: int) -> None:
    fields = dict(zip(KEY_FIELDS, key, strict=True))
    row = StageCount.objects.filter(**fields)
    if not row.update(n=F("n") + delta):
        # First of its key: created in a savepoint; if another transaction creates
        # it at the same moment, get_or_create reads theirs and we add to it.
        StageCount.objects.get_or_create(**fields)
        row.update(n=F("n") + delta)
    if delta < 0:
        row.filter(n=0).delete()  # past days do not pile up as zeros


def actual(application_model=None) -> dict[Key, int]:
    """Every key's count, computed from the applications (one grouped query per stage)."""
    application_model = application_model or Application
    found: dict[Key, int] = {}
    for stage in STAGES:
        # Grouped by the deadline itself (the database's own grouping; most deadlines
        # are the end of a working day, so there are few), its day found here.
        rows = (
            application_model.objects.filter(stage.condition)
            .values_list("province", "filing_type", "deadline")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for province, filing_type, deadline, n in rows:
            key = (stage.key, province, filing_type, day_of(deadline))
            found[key] = found.get(key, 0) + n
    return found


def stored(count_model=None) -> dict[Key, int]:
    count_model = count_model or StageCount
    return {
        tuple(row[:4]): row[4]
        for row in count_model.objects.exclude(n=0).values_list(*KEY_FIELDS, "n")
    }


def rebuild(application_model=None, count_model=None) -> int:
    """Recompute every counter row from the applications; returns the number of rows.
    On PostgreSQL the table is locked first, so a transition that commits meanwhile
    waits and then adds its move to the rebuilt counts."""
    count_model = count_model or StageCount
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {count_model._meta.db_table} IN EXCLUSIVE MODE")
        counts = actual(application_model)
        count_model.objects.all().delete()
        count_model.objects.bulk_create(
            [
                count_model(**dict(zip(KEY_FIELDS, key, strict=True)), n=n)
                for key, n in counts.items()
            ],
            batch_size=2000,
        )
    return len(counts)


def drift() -> list[tuple[Key, int, int]]:
    """(key, stored, actual) for every key where the two differ."""
    have, want = stored(), actual()
    return [
        (key, have.get(key, 0), want.get(key, 0))
        for key in sorted(set(have) | set(want))
        if have.get(key, 0) != want.get(key, 0)
    ]


# ---- reads ---------------------------------------------------------------------------------


def sums(
    user, stages: list[Stage], *, today: dt.date, province: str = "", filing_type: str = ""
) -> dict[str, dict[str, int]]:
    """Per stage key: total, waiting past their day ("overdue" by day) and due today
    by day, from the counters, within `user`'s province scope (the one scope rule,
    `User.restrict_to_scope`) and the filters. One query for all stages."""
    rows = user.restrict_to_scope(StageCount.objects.filter(stage__in=[s.key for s in stages]))
    if province:
        rows = rows.filter(province=province)
    if filing_type:
        rows = rows.filter(filing_type=filing_type)
    found = {
        row["stage"]: row
        for row in rows.values("stage")
        .annotate(
            total=Sum("n"),
            overdue=Sum("n", filter=Q(day__lt=today)),
            due_today=Sum("n", filter=Q(day=today)),
        )
        .order_by()
    }
    zero = {"total": 0, "overdue": 0, "due_today": 0}
    return {
        s.key: {k: (found.get(s.key) or zero)[k] or 0 for k in ("total", "overdue", "due_today")}
        for s in stages
    }
