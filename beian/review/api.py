"""Back-office API under /api/v1/review: queue counts, a queue page, pre-checks,
the decisions of initial review, the mailroom and photo verification (the same
services as the pages: `review/services.py`, the events' own door), and
submission to the administration (one or many). Same scope as the pages."""

from __future__ import annotations

from datetime import datetime

import pydantic
from django.http import HttpRequest
from ninja import Query, Router, Schema

from beian.core.api_errors import answers
from beian.core.errors import NotFound
from beian.filings.api import ApplicationOut, application_out
from beian.filings.payloads import PHOTO_BODY, photo_in_request
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
    next_cursor: str | None
    previous_cursor: str | None
    last_cursor: str | None
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


@router.get("/queues", response=answers({200: list[StageCount]}, 404))
def queues(request):
    return [
        {"stage": r["stage"].key, **{k: r[k] for k in ("total", "in_time", "due_today", "overdue")}}
        for r in selectors.dashboard(_staff(request))
    ]


@router.get("/queues/{stage}", response=answers({200: QueueOut}, 400, 403, 404))
def queue(
    request,
    stage: str,
    province: str = "",
    filing_type: str = "",
    cursor: str = Query("", max_length=2000),
):
    """One page of 50; follow `next_cursor` / `previous_cursor` (or `last_cursor`) as
    `?cursor=` for the next page. Cursors are opaque and signed."""
    data = selectors.queue(
        _staff(request), stage, province=province, filing_type=filing_type, cursor=cursor
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
        "next_cursor": data["next_cursor"] or None,
        "previous_cursor": data["previous_cursor"] or None,
        "last_cursor": data["last_cursor"] or None,
        "rows": rows,
    }


@router.get("/applications/{number}/prechecks", response=answers({200: list[dict]}, 404))
def application_prechecks(request, number: str):
    app = selectors.application_for_staff(_staff(request), number)
    return [c.as_dict() for c in prechecks.run_prechecks(app)]


@router.post("/submit", response=answers({200: list[SubmitOut]}, 403, 404))
def submit(request, payload: SubmitIn):
    results = services.submit_many(payload.numbers, _staff(request))
    out = []
    for number, result in results:
        if isinstance(result, Exception):
            out.append({"number": number, "ok": False, "message": result.message()})
        else:
            out.append({"number": number, "ok": result.ok, "message": result.message})
    return out


# ---- decisions on one application (the pages' buttons) ------------------------------------

DECISION = answers({200: ApplicationOut}, 400, 403, 404, 409)


class ReasonItem(pydantic.BaseModel):  # not Schema: that reads any object's attributes
    field: str = ""
    template: str = ""
    text: str = ""


class ReasonsIn(Schema):
    reasons: list[ReasonItem]


class OriginalsIn(Schema):
    documents: dict[str, int]
    courier: str = ""
    tracking_number: str = ""


class DiscrepancyIn(OriginalsIn):
    documents: dict[str, int] = {}
    problems: list[str] = []
    text: str = ""


class CourierIn(Schema):
    courier: str
    tracking_number: str


def _decided(request, app):
    return application_out(app, request.user)


def _app(request, number: str):
    return selectors.application_for_staff(_staff(request), number)


@router.post("/applications/{number}/claim", response=DECISION)
def claim(request, number: str):
    return _decided(request, services.claim(_app(request, number), request.user))


@router.post("/applications/{number}/release", response=DECISION)
def release(request, number: str):
    return _decided(request, services.release(_app(request, number), request.user))


@router.post("/applications/{number}/approve", response=DECISION)
def approve(request, number: str):
    """Initial review passed."""
    return _decided(request, services.approve(_app(request, number), request.user))


@router.post("/applications/{number}/return", response=DECISION)
def return_to_applicant(request, number: str, payload: ReasonsIn):
    """Return to the applicant with reasons ({field, template, text}); after the
    administration returned it, this is the operator's return."""
    items = [r.model_dump() for r in payload.reasons]
    return _decided(
        request, services.return_to_applicant(_app(request, number), request.user, items)
    )


@router.post("/applications/{number}/originals", response=DECISION)
def receive_originals(request, number: str, payload: OriginalsIn):
    """The mailroom logs the originals received (documents: {name: count})."""
    app = services.receive_originals(
        _app(request, number),
        request.user,
        documents=payload.documents,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
    )
    return _decided(request, app)


@router.post("/applications/{number}/originals/discrepancy", response=DECISION)
def originals_discrepancy(request, number: str, payload: DiscrepancyIn):
    app = services.record_discrepancy(
        _app(request, number),
        request.user,
        problems=payload.problems,
        text=payload.text,
        documents=payload.documents,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
    )
    return _decided(request, app)


@router.post("/applications/{number}/backdrop", response=DECISION)
def ship_backdrop(request, number: str, payload: CourierIn):
    app = services.ship_backdrop(
        _app(request, number),
        request.user,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
    )
    return _decided(request, app)


@router.post("/applications/{number}/photo", response=DECISION, openapi_extra=PHOTO_BODY)
def point_photo(request, number: str):
    """The photo taken at the verification point: a multipart `photo` file or
    base64 in JSON, with the page's checks and refusals."""
    app = _app(request, number)
    photo = photo_in_request(request)
    return _decided(request, services.take_point_photo(app, request.user, photo=photo))


@router.post("/applications/{number}/photo/verify", response=DECISION)
def verify_photo(request, number: str):
    return _decided(request, services.verify_photo(_app(request, number), request.user))


@router.post("/applications/{number}/photo/reject", response=DECISION)
def reject_photo(request, number: str, payload: ReasonsIn):
    items = [r.model_dump() for r in payload.reasons]
    return _decided(request, services.reject_photo(_app(request, number), request.user, items))
