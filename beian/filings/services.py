"""Every write on filings: starting applications, editing drafts, later filings.

State changes go through `workflow.fire`; this module owns the data the
applicant fills in, and decides the filing type as providers do: from the
subject's certificate number and the domain.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import transaction

from beian.core import audit, clock, crypto, deadlines
from beian.core.errors import NotFound, Refusal, message_for
from beian.core.i18n import is_english
from beian.core.models import AuditEvent
from beian.filings import (
    errors,  # noqa: F401 - registers refusal codes
    input_checks,
)
from beian.filings.adapters.lookup import get_lookup
from beian.filings.models import (
    Access,
    AccessStatus,
    Application,
    CancelReason,
    CertificateType,
    Domain,
    ExternalRecord,
    Language,
    Principal,
    RecordStatus,
    Subject,
    SubjectNature,
    Website,
)
from beian.filings.states import OPEN_STATES, ApplicationState, FilingType, profile
from beian.hosting.services import bind_service_code
from beian.rules import areas, icp
from beian.rules.checks import run_check
from beian.rules.provinces import resolve_province

logger = logging.getLogger("beian.filings")

EDITABLE_STATES = {ApplicationState.DRAFT, ApplicationState.RETURNED}
IN_FLIGHT = OPEN_STATES | {
    ApplicationState.AUTHORITY_SUBMITTED,
    ApplicationState.SMS_VERIFICATION,
    ApplicationState.AUTHORITY_REVIEW,
    ApplicationState.AUTHORITY_RETURNED,
    ApplicationState.REJECTED,
}


def new_order_number() -> str:
    """A 13-digit order number: date part + random part, unique."""
    while True:
        number = clock.now().strftime("%y%m%d") + f"{secrets.randbelow(10**7):07d}"
        if not Application.objects.filter(number=number).exists():
            return number


def normalise_domain(value: str) -> tuple[str, str]:
    """(registrable punycode, unicode form) of a domain, or a refusal."""
    result = run_check("domain", value)
    if not result.ok:
        first = result.errors[0]
        raise Refusal(first["code"], field="domains")
    return result.facts["punycode"], result.facts["registrable_domain"]


# ---- the filing type -------------------------------------------------------------


def _ask_the_administration(
    names: list[str], certificate_type: str, certificate_number: str, cert_hash: str
):
    """isp_querybeianstatus for each domain and the subject, when configured: what is
    filed at other providers becomes an ExternalRecord. An unreachable administration
    does not block the applicant; the reviewer sees the type and may correct it."""
    get_lookup().learn_filed(names, certificate_type, certificate_number, cert_hash)


def decide_filing_type(
    *, account, certificate_number: str, domains: list[str], certificate_type: str = "resident_id"
) -> tuple[str, dict]:
    """The filing type for a new website or access, and the facts behind it."""
    names = [normalise_domain(d)[0] for d in domains]
    if not names:
        raise Refusal("domains_required", field="domains")
    for name in names:
        filed = (
            Domain.objects.filter(name=name, status=RecordStatus.FILED)
            .select_related("website")
            .first()
        )
        if (
            filed
            and Access.objects.filter(website=filed.website, status=AccessStatus.OPEN).exists()
        ):
            raise Refusal("domain_filed_here", field="domains", params={"domain": name})
        busy = Domain.objects.filter(
            name=name, status=RecordStatus.PENDING, website__applications__state__in=IN_FLIGHT
        ).exists()
        if busy:
            raise Refusal("domain_in_progress", field="domains", params={"domain": name})
    cert_hash = crypto.lookup_hash(certificate_number)
    _ask_the_administration(names, certificate_type, certificate_number, cert_hash)
    for name in names:
        filed = (
            Domain.objects.filter(name=name, status=RecordStatus.FILED)
            .select_related("website")
            .first()
        )
        if filed:
            return FilingType.ADD_ACCESS, {
                "domain": name,
                "website_number": filed.website.icp_number,
                "where": "here",
            }
        external = ExternalRecord.objects.filter(kind="domain", key_hash=name).first()
        if external:
            return FilingType.ADD_ACCESS, {
                "domain": name,
                "website_number": external.icp_number,
                "where": "elsewhere",
            }
    subject = Subject.objects.filter(
        certificate_hash=cert_hash, status=RecordStatus.FILED, filed_elsewhere=False
    ).first()
    if subject:
        return FilingType.ADD_WEBSITE_HERE, {
            "subject_number": subject.icp_number,
            "subject_id": subject.pk,
        }
    external = ExternalRecord.objects.filter(kind="subject", key_hash=cert_hash).first()
    if external:
        return FilingType.ADD_WEBSITE_ELSEWHERE, {"subject_number": external.icp_number}
    return FilingType.FIRST_FILING, {}


EXPLANATIONS = {
    FilingType.FIRST_FILING: (
        "该主体和域名均未备案：首次备案。",
        "Neither the subject nor the domain is filed: a first filing.",
    ),
    FilingType.ADD_WEBSITE_HERE: (
        "该主体已在本接入商备案（{subject_number}）：新增网站。",
        "This subject is already filed here ({subject_number}): adding a website.",
    ),
    FilingType.ADD_WEBSITE_ELSEWHERE: (
        "该主体已在其他接入商备案（{subject_number}）：无主体新增网站。",
        "This subject is filed at another provider ({subject_number}): adding a website.",
    ),
    FilingType.ADD_ACCESS: (
        "该网站已备案（{website_number}）：新增接入。",
        "This website is already filed ({website_number}): adding access here.",
    ),
}


def explain(filing_type: str, facts: dict, language: str | None = None) -> str:
    zh, en = EXPLANATIONS.get(filing_type, ("", ""))
    return (en if is_english(language) else zh).format(
        **{"subject_number": "", "website_number": "", **facts}
    )


# ---- starting a new website / access -----------------------------------------------

NAME_MAX, CERTIFICATE_MAX, DOMAINS_MAX = 100, 40, 20


def check_start(
    *,
    province: str,
    nature: str,
    certificate_type: str,
    certificate_number: str,
    domains: list[str],
    subject_name: str = "",
) -> dict:
    """What opening an order checks, for the start page (StartForm.clean) and the API
    alike: the province, nature, certificate type and number cannot be corrected
    after the start, so a wrong one is refused at once; each domain is checked.

    Returns the values normalised (province code, certificate number); raises
    Refusal("start_invalid", details=[{field, code, message}]) with every problem."""
    problems: list[dict] = []

    def refuse(field: str, code: str, message: str | None = None) -> None:
        problems.append({"field": field, "code": code, "message": message or message_for(code)})

    try:
        province = resolve_province(province)
    except Refusal as refusal:
        refuse("province", refusal.code, refusal.message())
        province = ""
    if nature not in SubjectNature.values:
        refuse("nature", "nature_unknown")
    if certificate_type not in CertificateType.values:
        refuse("certificate_type", "certificate_type_unknown")
    number = certificate_number.strip().upper()
    if not number:
        refuse("certificate_number", "field_required")
    elif len(number) > CERTIFICATE_MAX:
        refuse("certificate_number", "value_too_long")
    elif certificate_type in (CertificateType.RESIDENT_ID, CertificateType.USCC):
        kind = "id-card" if certificate_type == CertificateType.RESIDENT_ID else "uscc"
        result = run_check(kind, number, province=province or None)
        for error in result.errors[:1]:
            refuse("certificate_number", error["code"], error["message"])
        number = result.normalized or number
    if len(subject_name) > NAME_MAX:
        refuse("subject_name", "value_too_long")
    names = [d.strip() for d in domains if d.strip()]
    if not names:
        refuse("domains", "domains_required")
    elif len(names) > DOMAINS_MAX:
        refuse("domains", "value_too_long")
    for name in names[:DOMAINS_MAX]:
        result = run_check("domain", name)
        for error in result.errors[:1]:
            refuse("domains", error["code"], f"{name}: {error['message']}")
    if problems:
        raise Refusal("start_invalid", field=problems[0]["field"], status=422, details=problems)
    return {
        "province": province,
        "nature": nature,
        "certificate_type": certificate_type,
        "certificate_number": number,
        "domains": names,
        "subject_name": subject_name.strip(),
    }


@transaction.atomic
def start_application(
    *,
    account,
    service_code: str,
    nature: str,
    certificate_type: str,
    certificate_number: str,
    province: str,
    domains: list[str],
    subject_name: str = "",
) -> Application:
    """Checks the values (check_start), binds the service code, decides the type and
    opens a draft order."""
    if not getattr(account, "is_applicant", False):
        # Staff and hosting owners do not file: a filing account does (least privilege).
        raise Refusal("start_applicants_only", status=403)
    values = check_start(
        province=province,
        nature=nature,
        certificate_type=certificate_type,
        certificate_number=certificate_number,
        domains=domains,
        subject_name=subject_name,
    )
    province, certificate_number = values["province"], values["certificate_number"]
    domains, subject_name = values["domains"], values["subject_name"]
    code = bind_service_code(code=service_code, account=account)
    filing_type, facts = decide_filing_type(
        account=account,
        certificate_number=certificate_number,
        domains=domains,
        certificate_type=certificate_type,
    )
    now = clock.now()
    if filing_type == FilingType.ADD_ACCESS and facts.get("where") == "here":
        return _add_access_here(account, code, facts, now)
    if filing_type == FilingType.ADD_WEBSITE_HERE:
        subject = Subject.objects.get(pk=facts["subject_id"])
        if subject.account_id != account.pk:
            raise Refusal("subject_other_account", field="certificate_number", status=403)
    else:
        subject = Subject.objects.create(
            account=account,
            nature=nature,
            name=subject_name,
            certificate_type=certificate_type,
            certificate_number=certificate_number.strip().upper(),
            province=province,
            icp_number=facts.get("subject_number")
            if filing_type == FilingType.ADD_WEBSITE_ELSEWHERE
            else None,
            filed_elsewhere=filing_type == FilingType.ADD_WEBSITE_ELSEWHERE,
        )
    website = Website.objects.create(
        subject=subject,
        name="",
        icp_number=facts.get("website_number") if filing_type == FilingType.ADD_ACCESS else None,
    )
    if website.icp_number:
        website.index = icp.website_index(website.icp_number)
        website.save(update_fields=["index"])
    for domain in domains:
        name, unicode_name = normalise_domain(domain)
        Domain.objects.get_or_create(
            website=website, name=name, defaults={"unicode_name": unicode_name}
        )
    Access.objects.create(website=website, server=code.server, ip=code.server.public_ip)
    app = Application.objects.create(
        number=new_order_number(),
        account=account,
        filing_type=filing_type,
        province=subject.province,
        service_code=code,
        subject=subject,
        created_at=now,
        expires_at=deadlines.deadline_for("order_expiry", now),
    )
    app.websites.add(website)
    audit.record(
        actor=account,
        object_type="application",
        object_id=app.pk,
        verb="created",
        to_state=app.state,
        data={"filing_type": filing_type, **{k: v for k, v in facts.items() if k != "subject_id"}},
    )
    return app


def _add_access_here(account, code, facts: dict, now) -> Application:
    """Add access for a website filed here whose access was cancelled (a shell): the
    order acts on the filed subject and website as they are (nothing to fill in again)
    and opens a new access on the code's server."""
    website = (
        Domain.objects.filter(name=facts["domain"], status=RecordStatus.FILED)
        .select_related("website__subject")
        .get()
        .website
    )
    subject = website.subject
    if subject.account_id != account.pk:
        raise Refusal("subject_other_account", field="certificate_number", status=403)
    _no_open_application(subject, [website])
    Access.objects.create(website=website, server=code.server, ip=code.server.public_ip)
    return _open_order(
        account,
        FilingType.ADD_ACCESS,
        subject,
        [website],
        code=code,
        now=now,
        remarks=website.remarks,
        facts=facts,
    )


def _open_order(
    account,
    filing_type: str,
    subject: Subject,
    websites,
    *,
    code=None,
    now,
    changes: dict | None = None,
    remarks: str = "",
    cancel_reason: str = "",
    cancel_note: str = "",
    facts: dict | None = None,
) -> Application:
    """The order on filed records (add access here, change, cancel), created and
    audited; the checks are the caller's."""
    app = Application.objects.create(
        number=new_order_number(),
        account=account,
        filing_type=filing_type,
        province=subject.province,
        service_code=code,
        subject=subject,
        changes=changes or {},
        remarks=remarks,
        cancel_reason=cancel_reason,
        cancel_note=cancel_note,
        created_at=now,
        expires_at=deadlines.deadline_for("order_expiry", now),
    )
    app.websites.set(websites)
    audit.record(
        actor=account,
        object_type="application",
        object_id=app.pk,
        verb="created",
        to_state=app.state,
        data={"filing_type": filing_type, **(facts or {})},
    )
    return app


# ---- editing a draft ------------------------------------------------------------


def _editable(app: Application, actor) -> Application:
    app = Application.objects.select_for_update().get(pk=app.pk)
    if app.account_id != actor.pk:
        raise Refusal("not_your_application", status=403)
    if app.state not in EDITABLE_STATES:
        raise Refusal(
            "transition_not_allowed",
            status=409,
            params={"event": "修改 / edit", "state": app.get_state_display()},
        )
    return app


SUBJECT_EDITABLE = {
    "name",
    "nature",
    "certificate_address",
    "city",
    "county",
    "mailing_address",
    "investor",
}
WEBSITE_EDITABLE = {"name", "home_url", "service_content", "preapprovals", "remarks", "languages"}


def _check_languages(languages) -> None:
    if not languages:
        raise Refusal("website_languages_required", field="languages")
    for value in languages:
        if value not in Language.values:
            raise Refusal("website_language_unknown", field="languages", params={"value": value})


def _principal_from(account, values: dict, existing: Principal | None) -> Principal:
    input_checks.refuse_unsafe(values, input_checks.PRINCIPAL_FIELDS, prefix="principal.")
    principal = existing or Principal(account=account)
    for key in (
        "name",
        "certificate_type",
        "certificate_number",
        "certificate_valid_from",
        "certificate_valid_to",
        "mobile",
        "emergency_phone",
        "office_phone",
        "email",
    ):
        if key in values:
            value = values[key]
            setattr(principal, key, value.strip() if isinstance(value, str) else value)
    principal.save()
    return principal


@transaction.atomic
def save_subject(app: Application, *, actor, values: dict) -> Subject:
    app = _editable(app, actor)
    input_checks.refuse_unsafe(values, input_checks.SUBJECT_FIELDS)
    subject = app.subject
    if subject.status == RecordStatus.PENDING and {"city", "county"} & values.keys():
        problem = areas.place_problem(
            subject.province,
            (values.get("city", subject.city) or "").strip(),
            (values.get("county", subject.county) or "").strip(),
        )
        if problem:
            field, code, params = problem
            raise Refusal(code, field=field, params=params)
    if subject.status == RecordStatus.PENDING:
        for key in SUBJECT_EDITABLE & values.keys():
            setattr(
                subject, key, values[key].strip() if isinstance(values[key], str) else values[key]
            )
    if "principal" in values and subject.status == RecordStatus.PENDING:
        subject.principal = _principal_from(app.account, values["principal"], subject.principal)
    subject.save()
    audit.record(
        actor=actor,
        object_type="application",
        object_id=app.pk,
        verb="subject_saved",
        data={"fields": sorted(values.keys())},
    )
    return subject


@transaction.atomic
def save_website(app: Application, *, actor, website_id: int, values: dict) -> Website:
    app = _editable(app, actor)
    input_checks.refuse_unsafe(values, input_checks.WEBSITE_FIELDS)
    website = app.websites.filter(pk=website_id).first()
    if website is None:
        raise NotFound()
    if "languages" in values:
        _check_languages(values["languages"])
    for key in WEBSITE_EDITABLE & values.keys():
        setattr(website, key, values[key].strip() if isinstance(values[key], str) else values[key])
    if "principal" in values:
        same = values["principal"] == "same_as_subject"
        website.principal = (
            app.subject.principal
            if same
            else _principal_from(
                app.account,
                values["principal"],
                None if website.principal_id == app.subject.principal_id else website.principal,
            )
        )
    if "domains" in values:
        names = {}
        for domain in values["domains"]:
            name, unicode_name = normalise_domain(domain)
            names[name] = unicode_name
        if not names:
            raise Refusal("domains_required", field="domains")
        Domain.objects.filter(website=website, status=RecordStatus.PENDING).exclude(
            name__in=names
        ).delete()
        for name, unicode_name in names.items():
            Domain.objects.get_or_create(
                website=website, name=name, defaults={"unicode_name": unicode_name}
            )
    website.save()
    audit.record(
        actor=actor,
        object_type="application",
        object_id=app.pk,
        verb="website_saved",
        data={"website": website.pk, "fields": sorted(values.keys())},
    )
    return website


def _record_number(app: Application) -> str:
    """The ICP number the filing password belongs to: the subject's, or for an
    add-access of a site filed elsewhere, the website's."""
    if app.subject.icp_number:
        return app.subject.icp_number
    website = app.websites.exclude(icp_number=None).first()
    return website.icp_number if website else ""


def _check_filing_password(record_number: str, password: str) -> None:
    """Asked of the administration before any transaction opens: no database
    transaction is held across a network call."""
    if not password.strip():
        raise Refusal("filing_password_required", field="filing_password")
    # None: no administration to ask (tests, offline) or it could not be reached; the
    # upload will be checked there.
    ok = get_lookup().check_filing_password(record_number, password.strip())
    if ok is False:
        raise Refusal("filing_password_wrong", field="filing_password")


def save_filing_password(app: Application, *, actor, password: str) -> Subject:
    """备案密码 of the filed record, for every filing but a first one; checked with
    the administration (isp_verifybamm) when one is configured, kept encrypted."""
    with transaction.atomic():
        _editable(app, actor)  # refused before the administration is asked
    if not profile(app.filing_type).filing_password:
        raise Refusal("filing_password_not_needed", field="filing_password")
    _check_filing_password(_record_number(app), password)
    return _store_filing_password(app, actor=actor, password=password)


@transaction.atomic
def _store_filing_password(app: Application, *, actor, password: str) -> Subject:
    app = _editable(app, actor)
    subject = app.subject
    subject.filing_password = password.strip()
    subject.save(update_fields=["filing_password"])
    audit.record(
        actor=actor, object_type="application", object_id=app.pk, verb="filing_password_saved"
    )
    return subject


def _resets_in_a_day(subject: Subject) -> int:
    return AuditEvent.objects.filter(
        object_type="subject",
        object_id=str(subject.pk),
        verb="filing_password_reset_requested",
        at__gte=clock.now() - dt.timedelta(hours=24),
    ).count()


def request_filing_password_reset(*, account, subject=None, application=None) -> str:
    """忘记备案密码: ask the administration to send a new filing password to the subject's
    contacts (its e-mail and the person in charge's phone); Beian never sees it except to
    relay it. For a filed subject of the account, or the record an application of the
    account acts on. At most FILING_PASSWORD_RESETS_PER_DAY in 24 hours per subject.

    Returns the ICP number the password belongs to."""
    if application is not None:
        if application.account_id != getattr(account, "pk", None):
            raise Refusal("not_your_application", status=403)  # staff who may see it
        if not profile(application.filing_type).filing_password:
            raise Refusal("filing_password_not_needed", status=409, field="filing_password")
        subject, number = application.subject, _record_number(application)
    else:
        number = subject.icp_number if subject is not None else ""
        if subject is None or subject.account_id != getattr(account, "pk", None):
            raise Refusal("filing_password_reset_wrong_subject", status=404)
    if not number or subject.status == RecordStatus.CANCELLED:
        raise Refusal("filing_password_reset_wrong_subject", status=404)
    limit = int(settings.BEIAN["FILING_PASSWORD_RESETS_PER_DAY"])
    if _resets_in_a_day(subject) >= limit:
        raise Refusal("filing_password_reset_too_many", status=429, params={"limit": limit})
    sent = get_lookup().reset_filing_password(number)
    if not sent:
        raise Refusal("filing_password_reset_unavailable", status=503)
    audit.record(
        actor=account,
        object_type="subject",
        object_id=subject.pk,
        verb="filing_password_reset_requested",
        data={"number": number, "application": getattr(application, "number", "")},
    )
    return number


@transaction.atomic
def save_remarks(app: Application, *, actor, remarks: str) -> Application:
    app = _editable(app, actor)
    app.remarks = remarks.strip()
    app.save(update_fields=["remarks"])
    return app


# ---- later filings from a filed record ----------------------------------------------


def _no_open_application(subject: Subject, websites) -> None:
    busy = Application.objects.filter(subject=subject, state__in=IN_FLIGHT)
    if websites:
        busy = busy.filter(websites__in=websites)
    first = busy.first()
    if first:
        raise Refusal("application_in_progress", status=409, params={"number": first.number})


def start_later_filing(
    *,
    account,
    filing_type: str,
    subject: Subject,
    websites=(),
    changes: dict | None = None,
    service_code: str | None = None,
    filing_password: str | None = None,
    cancel_reason: str = "",
    cancel_note: str = "",
) -> Application:
    """Change, cancel or cancel access for a filed subject/website of this account; the
    filing password is checked with the administration first. A cancellation says why
    (``cancel_reason``: a CancelReason, and optionally ``cancel_note``)."""
    if filing_type in CANCEL_TYPES and cancel_reason not in CancelReason.values:
        raise Refusal("cancel_reason_required", field="cancel_reason")
    if filing_password is not None and subject.account_id == getattr(account, "pk", None):
        _check_filing_password(subject.icp_number or "", filing_password)
    return _open_later_filing(
        account=account,
        filing_type=filing_type,
        subject=subject,
        websites=websites,
        changes=changes,
        service_code=service_code,
        filing_password=filing_password,
        cancel_reason=cancel_reason if filing_type in CANCEL_TYPES else "",
        cancel_note=(cancel_note or "").strip()[:1000] if filing_type in CANCEL_TYPES else "",
    )


CANCEL_TYPES = {FilingType.CANCEL_SUBJECT, FilingType.CANCEL_WEBSITE, FilingType.CANCEL_ACCESS}


@transaction.atomic
def _open_later_filing(
    *,
    account,
    filing_type: str,
    subject: Subject,
    websites,
    changes: dict | None,
    service_code: str | None,
    filing_password: str | None,
    cancel_reason: str = "",
    cancel_note: str = "",
) -> Application:
    if filing_type not in FilingType.values or profile(filing_type).opens_access:
        raise Refusal(
            "transition_not_allowed", status=409, params={"event": filing_type, "state": "filed"}
        )
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    if subject.account_id != account.pk:
        raise Refusal("not_your_application", status=403)
    if subject.status != RecordStatus.FILED:
        raise Refusal("record_not_filed", status=409)
    websites = list(websites)
    if any(w.subject_id != subject.pk or w.status != RecordStatus.FILED for w in websites):
        raise Refusal("record_not_filed", status=409)
    if profile(filing_type).changes_records and not changes:
        raise Refusal("nothing_changed", field="changes")
    if profile(filing_type).needs_open_access:
        for website in websites:
            if not Access.objects.filter(website=website, status=AccessStatus.OPEN).exists():
                raise Refusal("access_not_here", status=409)
    if filing_type == FilingType.CANCEL_WEBSITE:
        remaining = subject.websites.filter(status=RecordStatus.FILED).exclude(
            pk__in=[w.pk for w in websites]
        )
        if not remaining.exists():
            raise Refusal("last_website", status=409)
    if filing_type == FilingType.CANCEL_SUBJECT:
        websites = list(subject.websites.filter(status=RecordStatus.FILED))
    _no_open_application(subject, websites if filing_type != FilingType.CANCEL_SUBJECT else None)
    code = bind_service_code(code=service_code, account=account) if service_code else None
    app = _open_order(
        account,
        filing_type,
        subject,
        websites,
        code=code,
        now=clock.now(),
        changes=changes,
        cancel_reason=cancel_reason,
        cancel_note=cancel_note,
    )
    if filing_password is not None:
        Subject.objects.filter(pk=subject.pk).update(filing_password=filing_password.strip())
    return app
