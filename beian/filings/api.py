"""Filing API: start an application, fill it in, fire workflow events, read."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beian.core.masking import mask_certificate, mask_name
from beian.filings import selectors, services, workflow
from beian.filings.models import Application
from beian.filings.transitions import GENERIC_DOOR, TABLE

router = Router(tags=["filings"])


class StartIn(Schema):
    service_code: str
    nature: str
    certificate_type: str
    certificate_number: str
    province: str
    domains: list[str]
    subject_name: str = ""


class ApplicationOut(Schema):
    number: str
    filing_type: str
    filing_type_label: str
    state: str
    state_label: str
    originals_state: str
    photo_state: str
    province: str
    subject_name: str
    subject_certificate: str
    deadline: str | None
    deadline_kind: str
    round: int
    websites: list[dict]
    events: list[str]


def _out(app: Application, user) -> dict:
    return {
        "number": app.number,
        "filing_type": app.filing_type,
        "filing_type_label": app.get_filing_type_display(),
        "state": app.state,
        "state_label": app.get_state_display(),
        "originals_state": app.originals_state,
        "photo_state": app.photo_state,
        "province": app.province,
        "subject_name": app.subject.name
        if user.pk == app.account_id
        else mask_name(app.subject.name),
        "subject_certificate": mask_certificate(app.subject.certificate_number),
        "deadline": app.deadline.isoformat() if app.deadline else None,
        "deadline_kind": app.deadline_kind,
        "round": app.round,
        "websites": [
            {
                "id": w.pk,
                "name": w.name,
                "icp_number": w.icp_number,
                "domains": [d.name for d in w.domains.all()],
            }
            for w in app.websites.all()
        ],
        "events": workflow.available_events(app, user),
    }


class StartOut(Schema):
    application: ApplicationOut
    explanation: str


@router.post("/applications", response={201: StartOut})
def start(request: HttpRequest, payload: StartIn):
    app = services.start_application(account=request.user, **payload.model_dump())
    return Status(
        201,
        {
            "application": _out(app, request.user),
            "explanation": services.explain(
                app.filing_type,
                {
                    "subject_number": app.subject.icp_number or "",
                    "website_number": app.websites.first().icp_number or "",
                },
            ),
        },
    )


@router.get("/applications", response=list[ApplicationOut])
def list_applications(
    request: HttpRequest, state: str | None = None, limit: int = 50, offset: int = 0
):
    qs = (
        selectors.applications_for(request.user)
        .prefetch_related("websites__domains")
        .order_by("-created_at")
    )
    if state:
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 200))
    return [_out(app, request.user) for app in qs[offset : offset + limit]]


@router.get("/applications/{number}", response=ApplicationOut)
def get_application(request: HttpRequest, number: str):
    return _out(selectors.get_application(request.user, number), request.user)


class SubjectIn(Schema):
    values: dict


@router.put("/applications/{number}/subject", response=ApplicationOut)
def save_subject(request: HttpRequest, number: str, payload: SubjectIn):
    app = selectors.get_application(request.user, number)
    services.save_subject(app, actor=request.user, values=payload.values)
    return _out(app, request.user)


@router.put("/applications/{number}/websites/{website_id}", response=ApplicationOut)
def save_website(request: HttpRequest, number: str, website_id: int, payload: SubjectIn):
    app = selectors.get_application(request.user, number)
    services.save_website(app, actor=request.user, website_id=website_id, values=payload.values)
    return _out(app, request.user)


class EventIn(Schema):
    reason: str = ""
    data: dict = {}


@router.post("/applications/{number}/events/{event}", response=ApplicationOut)
def fire_event(request: HttpRequest, number: str, event: str, payload: EventIn):
    """Fire an event that has no door of its own (the table's `door`): a review
    decision goes through /review/..., a submission through its upload."""
    app = selectors.get_application(request.user, number)
    data = {
        k: v for k, v in payload.data.items() if k != "photo"
    }  # photos go through the upload endpoints
    app = workflow.fire(
        app, event, actor=request.user, reason=payload.reason, data=data, door=GENERIC_DOOR
    )
    return _out(app, request.user)


@router.get("/workflow", auth=None)
def transition_table(request: HttpRequest):
    """The workflow's transition table, as data."""
    return [
        {
            "event": row.event,
            "track": row.track,
            "from": list(row.sources),
            "to": row.target,
            "roles": sorted(row.roles),
            "label": {"zh": row.label[0], "en": row.label[1]},
            "condition": row.when.__name__ if row.when else None,
            "guards": [g.__name__ for g in row.guards],
            "door": row.door or None,
        }
        for row in TABLE
    ]
