"""Filing API: start an application, fill it in, fire workflow events, read."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Literal

import pydantic
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from beian.core import timefmt
from beian.core.api_errors import MAX_OFFSET, answers
from beian.core.errors import NotFound
from beian.core.i18n import t
from beian.core.masking import mask_certificate, mask_name
from beian.filings import selectors, services, workflow
from beian.filings.labels import reason_out
from beian.filings.models import (
    Access,
    AccessStatus,
    Application,
    CancelReason,
    CertificateType,
    Language,
    RecordStatus,
    SubjectNature,
)
from beian.filings.payloads import FORM_TYPES, photo_from_base64
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


class ReasonOut(Schema):
    field: str
    field_label: str
    text: str
    source: str
    round: int
    created_at: datetime


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
    return_reasons: list[ReasonOut] = Field(
        description="The reasons of the latest return (or photo rejection) to act on now"
    )


def application_out(app: Application, user) -> dict:
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
        "deadline": timefmt.iso(app.deadline),
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
        "return_reasons": [reason_out(r) for r in selectors.current_reasons(app)],
    }


class StartOut(Schema):
    application: ApplicationOut
    explanation: str


@router.post("/applications", response=answers({201: StartOut}, 400, 403, 404, 409))
def start(request: HttpRequest, payload: StartIn):
    """Open a filing from a filing service code: the same checks as the start page
    (`services.check_start`: province, nature, certificate type and number, domains);
    a refusal `start_invalid` lists each problem in `errors`."""
    app = services.start_application(account=request.user, **payload.model_dump())
    return Status(
        201,
        {
            "application": application_out(app, request.user),
            "explanation": services.explain(
                app.filing_type,
                {
                    "subject_number": app.subject.icp_number or "",
                    "website_number": app.websites.first().icp_number or "",
                },
            ),
        },
    )


@router.get("/applications", response=answers({200: list[ApplicationOut]}))
def list_applications(
    request: HttpRequest,
    state: str | None = None,
    limit: int = 50,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    qs = (
        selectors.applications_for(request.user)
        .prefetch_related("websites__domains")
        .order_by("-created_at")
    )
    if state:
        qs = qs.filter(state=state)
    limit = max(1, min(limit, 200))
    return [application_out(app, request.user) for app in qs[offset : offset + limit]]


@router.get("/applications/{number}", response=answers({200: ApplicationOut}, 404))
def get_application(request: HttpRequest, number: str):
    return application_out(selectors.get_application(request.user, number), request.user)


# What the subject and website steps take: the page forms' fields, typed, so that a
# wrong type or an over-long value is a 422 with a code instead of reaching the model.
# Nested parts are plain pydantic models: ninja's Schema would read any object's
# attributes (a number or a string would pass as an empty principal).
class PrincipalValues(pydantic.BaseModel):
    name: str | None = Field(None, max_length=50)
    certificate_type: CertificateType | None = None
    certificate_number: str | None = Field(None, max_length=40)
    certificate_valid_from: date | None = None
    certificate_valid_to: date | None = None
    mobile: str | None = Field(None, max_length=20)
    emergency_phone: str | None = Field(None, max_length=20)
    office_phone: str | None = Field(None, max_length=128)
    email: str | None = Field(None, max_length=254)


class SubjectValues(Schema):
    name: str | None = Field(None, max_length=100)
    nature: SubjectNature | None = None
    certificate_address: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=6)
    county: str | None = Field(None, max_length=6)
    mailing_address: str | None = Field(None, max_length=200)
    investor: str | None = Field(None, max_length=100)
    principal: PrincipalValues | None = None


class PreapprovalIn(pydantic.BaseModel):
    type: str = Field(max_length=40)
    number: str = Field(max_length=60)


class WebsiteValues(Schema):
    name: str | None = Field(None, max_length=100)
    domains: list[str] | None = Field(None, max_length=20)
    home_url: str | None = Field(None, max_length=255)
    service_content: str | None = Field(None, max_length=40)
    preapprovals: list[PreapprovalIn] | None = None
    languages: list[Language] | None = Field(None, max_length=len(Language))
    remarks: str | None = Field(None, max_length=2000)
    principal: Literal["same_as_subject"] | PrincipalValues | None = Field(
        None, description='"same_as_subject", or the website\'s own person in charge'
    )


# A null in the principal's validity dates means "none" (long-term); elsewhere "not given".
NULLABLE = {"certificate_valid_from", "certificate_valid_to"}


def _values(values: Schema) -> dict:
    def given(data: dict) -> dict:
        return {
            k: given(v) if isinstance(v, dict) else v
            for k, v in data.items()
            if v is not None or k in NULLABLE
        }

    return given(values.model_dump(exclude_unset=True))


class SubjectIn(Schema):
    values: SubjectValues


class WebsiteIn(Schema):
    values: WebsiteValues


@router.put(
    "/applications/{number}/subject", response=answers({200: ApplicationOut}, 400, 403, 404, 409)
)
def save_subject(request: HttpRequest, number: str, payload: SubjectIn):
    app = selectors.get_application(request.user, number)
    services.save_subject(app, actor=request.user, values=_values(payload.values))
    return application_out(app, request.user)


@router.put(
    "/applications/{number}/websites/{website_id}",
    response=answers({200: ApplicationOut}, 400, 403, 404, 409),
)
def save_website(request: HttpRequest, number: str, website_id: int, payload: WebsiteIn):
    app = selectors.get_application(request.user, number)
    services.save_website(
        app, actor=request.user, website_id=website_id, values=_values(payload.values)
    )
    return application_out(app, request.user)


class ReasonIn(pydantic.BaseModel):
    field: str = ""
    text: str
    template: str = ""


class EventData(Schema):
    """What events read (each only its own keys); other keys are kept as given."""

    model_config = pydantic.ConfigDict(extra="allow")

    verification_point: str | None = None
    shipping_address: str | None = None
    courier: str | None = None
    tracking_number: str | None = None
    discrepancy: str | None = None
    reasons: list[ReasonIn] | None = None
    documents: dict[str, int] | None = None
    subject_number: str | None = None
    website_numbers: dict[str, str] | None = None
    photo: str | None = Field(
        None,
        description="upload_photo: the JPEG/PNG as base64 (or a data: URL); "
        "or send multipart/form-data with a `photo` file instead",
    )


class EventIn(Schema):
    reason: str = ""
    data: EventData = EventData()


def _inline(schema: dict) -> dict:
    """A pydantic JSON schema with its $defs inlined (for openapi_extra)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(dict(defs[node["$ref"].rsplit("/", 1)[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_EVENT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": _inline(EventIn.model_json_schema())},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "reason": {"type": "string"},
                        "photo": {"type": "string", "format": "binary"},
                    },
                    "additionalProperties": {"type": "string"},
                    "description": "Every field other than `reason` and the `photo` "
                    "file is a key of `data` (e.g. verification_point).",
                }
            },
        }
    }
}


def _event_body(request: HttpRequest) -> tuple[str, dict]:
    """(reason, data) from a JSON body, or from a form with an optional `photo` file;
    a photo in base64 becomes an upload. The photo's checks are the page's (the
    photo guard); a body of the wrong shape is a 422 `invalid_input`."""
    upload = None
    if request.content_type in FORM_TYPES:
        fields = {k: v for k, v in request.POST.items() if k != "reason"}
        raw = {"reason": request.POST.get("reason", ""), "data": fields}
        upload = request.FILES.get("photo")
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValidationError(
                [{"loc": ["body"], "msg": "not a JSON object", "type": "json_invalid"}]
            ) from exc
    try:
        body = EventIn.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [
                {"loc": ["body", *err["loc"]], "msg": err["msg"], "type": err["type"]}
                for err in exc.errors(include_url=False)
            ]
        ) from exc
    data = body.data.model_dump(exclude_none=True)
    if upload is not None:
        data["photo"] = upload
    elif "photo" in data:
        data["photo"] = photo_from_base64(data["photo"])
    return body.reason, data


@router.post(
    "/applications/{number}/events/{event}",
    response=answers({200: ApplicationOut}, 400, 403, 404, 409),
    openapi_extra=_EVENT_BODY,
)
def fire_event(request: HttpRequest, number: str, event: str):
    """Fire an event that has no door of its own (the table's `door`): a review
    decision goes through /review/..., a submission through its upload. The photo
    of `upload_photo` comes as a multipart `photo` file or as base64 in
    `data.photo`, with the page's checks and refusals."""
    app = selectors.get_application(request.user, number)
    reason, data = _event_body(request)
    app = workflow.fire(app, event, actor=request.user, reason=reason, data=data, door=GENERIC_DOOR)
    return application_out(app, request.user)


class FilingPasswordIn(Schema):
    filing_password: str = Field(..., max_length=64)


@router.put(
    "/applications/{number}/filing-password",
    response=answers({200: ApplicationOut}, 400, 403, 404, 409),
)
def save_filing_password(request: HttpRequest, number: str, payload: FilingPasswordIn):
    """The filing password (备案密码) of the record a later filing acts on, as the remarks
    step takes it: checked with the administration, kept encrypted."""
    app = selectors.get_application(request.user, number)
    services.save_filing_password(app, actor=request.user, password=payload.filing_password)
    return application_out(app, request.user)


class ResetOut(Schema):
    number: str
    message: str


def _reset_message(number: str) -> str:
    return t(
        f"已请管局将 {number} 的新备案密码发送至主体负责人的手机和邮箱。",
        f"The administration was asked to send a new filing password for {number} to "
        "the phone and e-mail of the person in charge.",
    )


@router.post(
    "/applications/{number}/filing-password/reset",
    response=answers({200: ResetOut}, 403, 404, 409, 429, 503),
)
def reset_filing_password_of_application(request: HttpRequest, number: str):
    """忘记备案密码, for the record this application acts on: the administration sends a
    new password to the subject's contacts (never to this API). At most
    FILING_PASSWORD_RESETS_PER_DAY a day (429 `filing_password_reset_too_many`); only the
    applicant (403); a first filing has no password (409 `filing_password_not_needed`)."""
    app = selectors.get_application(request.user, number)
    done = services.request_filing_password_reset(account=request.user, application=app)
    return {"number": done, "message": _reset_message(done)}


class FiledWebsiteOut(Schema):
    id: int
    name: str
    icp_number: str | None
    domains: list[str]
    access_open: bool


class FiledSubjectOut(Schema):
    id: int
    name: str
    icp_number: str | None
    websites: list[FiledWebsiteOut]


@router.get("/records", response=answers({200: list[FiledSubjectOut]}))
def list_records(request: HttpRequest):
    """The account's filed subjects and websites, which later filings act on."""
    out = []
    for subject in selectors.filed_subjects_for(request.user).order_by("pk"):
        websites = subject.websites.filter(status=RecordStatus.FILED).order_by("pk")
        out.append(
            {
                "id": subject.pk,
                "name": subject.name,
                "icp_number": subject.icp_number,
                "websites": [
                    {
                        "id": w.pk,
                        "name": w.name,
                        "icp_number": w.icp_number,
                        "domains": [d.name for d in w.domains.filter(status=RecordStatus.FILED)],
                        "access_open": Access.objects.filter(
                            website=w, status=AccessStatus.OPEN
                        ).exists(),
                    }
                    for w in websites
                ],
            }
        )
    return out


class LaterFilingIn(Schema):
    filing_type: Literal[
        "change_subject",
        "change_website",
        "change_access",
        "cancel_subject",
        "cancel_website",
        "cancel_access",
    ]
    website_ids: list[int] = []
    changes: dict = Field(
        default_factory=dict,
        description='change_subject: {"subject": {field: value, "principal": {…}}}; '
        'change_website: {"websites": {"<id>": {"name", "domains": [{"name"}], …}}}; '
        'change_access: {"access": {"<id>": {"ip"}}}',
    )
    filing_password: str = Field(..., max_length=64)
    cancel_reason: CancelReason | None = Field(None, description="cancellations: why")
    cancel_note: str = Field("", max_length=1000)


@router.post(
    "/records/{subject_id}/applications",
    response=answers({201: ApplicationOut}, 400, 403, 404, 409),
)
def start_later_filing(request: HttpRequest, subject_id: int, payload: LaterFilingIn):
    """A change, cancellation or cancel access of a filed subject of this account, as the
    records page starts it; the filing password is checked with the administration."""
    subject = selectors.filed_subject(request.user, subject_id)
    websites = list(subject.websites.filter(pk__in=payload.website_ids))
    if len(websites) != len(set(payload.website_ids)):
        raise NotFound()
    app = services.start_later_filing(
        account=request.user,
        filing_type=payload.filing_type,
        subject=subject,
        websites=websites,
        changes=payload.changes,
        filing_password=payload.filing_password,
        cancel_reason=payload.cancel_reason or "",
        cancel_note=payload.cancel_note,
    )
    return Status(201, application_out(app, request.user))


@router.post(
    "/records/{subject_id}/filing-password/reset",
    response=answers({200: ResetOut}, 404, 429, 503),
)
def reset_filing_password(request: HttpRequest, subject_id: int):
    """忘记备案密码 for a filed subject of this account: the administration sends a new
    password to the subject's contacts (never to this API); audited; at most
    FILING_PASSWORD_RESETS_PER_DAY a day (429 `filing_password_reset_too_many`); a
    subject that is not the account's is `filing_password_reset_wrong_subject` (404)."""
    subject = selectors.filed_subjects_for(request.user).filter(pk=subject_id).first()
    done = services.request_filing_password_reset(account=request.user, subject=subject)
    return {"number": done, "message": _reset_message(done)}


@router.get("/workflow", auth=None, response=answers({200: list[dict]}, public=True))
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
