"""What an approval by the administration does to the filed records."""

from __future__ import annotations

from django.db.models import Max

from beian.core import clock
from beian.core.errors import Refusal
from beian.filings.models import (
    Access,
    AccessStatus,
    Application,
    Domain,
    Principal,
    RecordStatus,
    Subject,
    Website,
)
from beian.filings.states import FilingType as T
from beian.filings.states import types_where
from beian.hosting.models import Server
from beian.hosting.services import use_up_service_code
from beian.rules import icp

# Derived from the type profiles (states.PROFILES), for `in` tests.
CREATES_SUBJECT = types_where("creates_subject")
OPENS_ACCESS = types_where("opens_access")


def missing_numbers(app: Application, data: dict) -> list[str]:
    """Which numbers an approval must still carry (records that have none yet)."""
    missing = []
    if (
        app.filing_type in CREATES_SUBJECT
        and not app.subject.icp_number
        and not data.get("subject_number")
    ):
        missing.append("subject")
    if app.filing_type in OPENS_ACCESS:
        given = data.get("website_numbers") or {}
        for website in app.websites.all():
            if not website.icp_number and not given.get(str(website.pk)):
                missing.append(f"website:{website.pk}")
    return missing


def apply_approval(app: Application, ctx) -> dict:
    """Files, changes or cancels the records of `app`; returns the numbers for the notice."""
    handler = _HANDLERS[app.filing_type]
    handler(app, ctx.data)
    if app.service_code_id:
        use_up_service_code(app.service_code, actor=ctx.actor)
    subject = Subject.objects.get(pk=app.subject_id)
    return {
        "subject_number": subject.icp_number or "",
        "website_numbers": [
            w.icp_number for w in app.websites.order_by("index", "pk") if w.icp_number
        ],
    }


def _refuse_taken(model, number: str | None, pk: int) -> None:
    """A number the administration issued belongs to one filed record (the tables' unique
    constraints say the same; this says it as a refusal, before anything is written)."""
    if (
        number
        and model.objects.filter(icp_number=number, status=RecordStatus.FILED)
        .exclude(pk=pk)
        .exists()
    ):
        raise Refusal("icp_number_taken", status=409, params={"number": number})


def _file_new(app: Application, data: dict) -> None:
    now = clock.now()
    subject = Subject.objects.get(pk=app.subject_id)
    if data.get("subject_number") and not subject.icp_number:
        _refuse_taken(Subject, data["subject_number"], subject.pk)
        subject.icp_number = data["subject_number"]
    numbers = data.get("website_numbers") or {}
    for website in app.websites.all():
        if not website.icp_number:
            _refuse_taken(Website, numbers.get(str(website.pk)), website.pk)
    if data.get("subject_record_id"):
        subject.authority_record_id = str(data["subject_record_id"])
    if subject.status != RecordStatus.FILED:
        subject.status, subject.filed_at = RecordStatus.FILED, now
    subject.save()
    record_ids = data.get("website_record_ids") or {}
    for website in app.websites.all():
        number = website.icp_number or numbers.get(str(website.pk))
        website.icp_number = number
        website.index = website.index or icp.website_index(number)
        website.status, website.filed_at = RecordStatus.FILED, now
        if record_ids.get(str(website.pk)):
            website.authority_record_id = str(record_ids[str(website.pk)])
        website.save()
        Domain.objects.filter(website=website, status=RecordStatus.PENDING).update(
            status=RecordStatus.FILED
        )
    _open(app)


def _open(app: Application) -> None:
    server = app.service_code.server if app.service_code_id else None
    Access.objects.filter(
        website__in=app.websites.all(),
        server=server,
        status__in=[AccessStatus.PENDING, AccessStatus.OPEN],
    ).open()


PRINCIPAL_FIELDS = {
    "name",
    "certificate_type",
    "certificate_number",
    "certificate_valid_from",
    "certificate_valid_to",
    "mobile",
    "emergency_phone",
    "email",
}
SUBJECT_FIELDS = {"name", "certificate_address", "mailing_address", "investor", "city", "county"}
WEBSITE_FIELDS = {"name", "home_url", "service_content", "preapprovals", "remarks", "languages"}


def _apply_principal(principal: Principal | None, values: dict | None) -> None:
    if principal is None or not values:
        return
    for key, value in values.items():
        if key in PRINCIPAL_FIELDS:
            setattr(principal, key, value)
    principal.save()


def _change_subject(app: Application, data: dict) -> None:
    subject = Subject.objects.get(pk=app.subject_id)
    values = (app.changes or {}).get("subject", {})
    for key, value in values.items():
        if key in SUBJECT_FIELDS:
            setattr(subject, key, value)
    subject.save()
    _apply_principal(subject.principal, values.get("principal"))


def _change_website(app: Application, data: dict) -> None:
    for website_id, values in (app.changes or {}).get("websites", {}).items():
        website = Website.objects.get(pk=int(website_id), subject_id=app.subject_id)
        for key, value in values.items():
            if key in WEBSITE_FIELDS:
                setattr(website, key, value)
        website.save()
        _apply_principal(website.principal, values.get("principal"))
        if "domains" in values:
            keep = {d["name"] for d in values["domains"]}
            Domain.objects.filter(website=website, status=RecordStatus.FILED).exclude(
                name__in=keep
            ).update(status=RecordStatus.CANCELLED)
            for domain in values["domains"]:
                Domain.objects.update_or_create(
                    website=website,
                    name=domain["name"],
                    defaults={
                        "unicode_name": domain.get("unicode_name", ""),
                        "status": RecordStatus.FILED,
                    },
                )
    Access.objects.filter(website__in=app.websites.all(), status=AccessStatus.OPEN).touch()


def _change_access(app: Application, data: dict) -> None:
    for website_id, values in (app.changes or {}).get("access", {}).items():
        access = Access.objects.filter(website_id=int(website_id), status=AccessStatus.OPEN).first()
        if access is None:
            continue
        server = Server.objects.get(pk=values["server"]) if values.get("server") else None
        access.move_to(server=server, ip=values.get("ip") or "")


def _close_websites(websites) -> None:
    ids = [w.pk for w in websites]
    Website.objects.filter(pk__in=ids).update(status=RecordStatus.CANCELLED)
    Domain.objects.filter(website_id__in=ids).exclude(status=RecordStatus.CANCELLED).update(
        status=RecordStatus.CANCELLED
    )
    Access.objects.filter(website_id__in=ids).exclude(status=AccessStatus.CLOSED).close()


def cancel_subject_records(subject: Subject) -> None:
    """注销主体: the subject and every website of it are cancelled, their domains with them,
    and every access is closed (the gate follows). The one home of this rule: an approved
    ZXBA and a cancellation sent by the administration (ZXSJ) both apply it."""
    _close_websites(list(subject.websites.all()))
    subject.status = RecordStatus.CANCELLED
    subject.save()


def cancel_website_records(websites) -> None:
    """注销网站: these websites and their domains are cancelled, their accesses closed."""
    _close_websites(list(websites))


def _cancel_subject(app: Application, data: dict) -> None:
    cancel_subject_records(Subject.objects.get(pk=app.subject_id))


def _cancel_website(app: Application, data: dict) -> None:
    cancel_website_records(app.websites.all())


def _cancel_access(app: Application, data: dict) -> None:
    Access.objects.filter(website__in=app.websites.all(), status=AccessStatus.OPEN).close()


_HANDLERS = {
    T.FIRST_FILING: _file_new,
    T.ADD_WEBSITE_HERE: _file_new,
    T.ADD_WEBSITE_ELSEWHERE: _file_new,
    T.ADD_ACCESS: _file_new,
    T.CHANGE_SUBJECT: _change_subject,
    T.CHANGE_WEBSITE: _change_website,
    T.CHANGE_ACCESS: _change_access,
    T.CANCEL_SUBJECT: _cancel_subject,
    T.CANCEL_WEBSITE: _cancel_website,
    T.CANCEL_ACCESS: _cancel_access,
}


def next_website_index(subject: Subject) -> int:
    """The N of the subject's next website number (-N)."""
    top = (
        Website.objects.filter(subject__icp_number=subject.icp_number)
        .exclude(index=None)
        .aggregate(m=Max("index"))
    )
    return (top["m"] or 0) + 1
