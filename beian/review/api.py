"""Back-office API under /api/v1/review: queue counts, a queue page, pre-checks,
and submission to the administration (one or many). Same scope as the pages."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from beian.core.errors import NotFound
from beian.review import prechecks, selectors, services

router = Router(tags=["review"])


class StageCount(Schema):
    stage: str
    total: int
    in_time: int
    due_today: int
    overdue: int


class QueueRow(Schema):
    number: str
    filing_type: str
    state: str
    originals_state: str
    photo_state: str
    province: str
    deadline: datetime | None
    overdue: bool
    due_today: bool
    claimed_by: str | None


class QueueOut(Schema):
    stage: str
    total: int
    due_today: int
    overdue: int
    page: int
    pages: int
    rows: list[QueueRow]


class SubmitIn(Schema):
    numbers: list[str]


class SubmitOut(Schema):
    number: str
    ok: bool
    message: str


def _staff(request: HttpRequest):
    if not request.user.is_provider_staff:
        raise NotFound()
    return request.user


@router.get("/queues", response=list[StageCount])
def queues(request):
    return [
        {"stage": r["stage"].key, **{k: r[k] for k in ("total", "in_time", "due_today", "overdue")}}
        for r in selectors.dashboard(_staff(request))
    ]


@router.get("/queues/{stage}", response=QueueOut)
def queue(request, stage: str, province: str = "", filing_type: str = "", page: int = 1):
    data = selectors.queue(
        _staff(request), stage, province=province, filing_type=filing_type, page=page
    )
    rows = [
        {
            "number": a.number,
            "filing_type": a.filing_type,
            "state": a.state,
            "originals_state": a.originals_state,
            "photo_state": a.photo_state,
            "province": a.province,
            "deadline": a.deadline,
            "overdue": a.is_overdue,
            "due_today": a.is_due_today,
            "claimed_by": a.claimed_by.username if a.claimed_by_id else None,
        }
        for a in data["rows"]
    ]
    return {
        "stage": stage,
        **data["counts"],
        "page": data["page"],
        "pages": data["pages"],
        "rows": rows,
    }


@router.get("/applications/{number}/prechecks")
def application_prechecks(request, number: str):
    app = selectors.application_for_staff(_staff(request), number)
    return [c.as_dict() for c in prechecks.run_prechecks(app)]


@router.post("/submit", response=list[SubmitOut])
def submit(request, payload: SubmitIn):
    results = services.submit_many(payload.numbers, _staff(request))
    out = []
    for number, result in results:
        if isinstance(result, Exception):
            out.append({"number": number, "ok": False, "message": result.message()})
        else:
            out.append({"number": number, "ok": result.ok, "message": result.message})
    return out
