"""Is an application complete and correct enough to submit?

The same checks as the forms and the API (beian.rules), gathered per field so
the applicant sees every problem next to its field at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from beian.core import clock
from beian.core.errors import Refusal, message_for
from beian.filings.models import Application, Principal, RecordStatus
from beian.filings.states import profile
from beian.rules import areas
from beian.rules.checks import run_check
from beian.rules.preapproval import ensure_allowed
from beian.rules.provinces import rules_for


def _problem(field: str, code: str, message: str | None = None) -> dict:
    return {"field": field, "code": code, "message": message or message_for(code)}


def _run_check(problems: list, field: str, kind: str, value: str, **options) -> None:
    if not str(value or "").strip():
        problems.append(_problem(field, "field_required"))
        return
    result = run_check(kind, value, **options)
    for error in result.errors:
        problems.append(_problem(field, error["code"], error["message"]))


def _required(problems: list, prefix: str, obj, names: tuple[str, ...]) -> None:
    for name in names:
        if not str(getattr(obj, name, "") or "").strip():
            problems.append(_problem(f"{prefix}.{name}", "field_required"))


def _place(problems: list, subject) -> None:
    """A city of the province in force today, and a county of that city (GB/T 2260)."""
    if not subject.city:
        problems.append(_problem("subject.city", "field_required"))
    problem = areas.place_problem(subject.province, subject.city, subject.county, complete=True)
    if problem:
        field, code, params = problem
        problems.append(_problem(f"subject.{field}", code, message_for(code, **params)))


OFFICE_PHONE_RE = re.compile(r"^[0-9-]{11,128}$")  # spec Fzr_dhhm: digits and "-", ≥ 11


def _principal(
    problems: list,
    prefix: str,
    principal: Principal | None,
    province: str,
    *,
    organisation: bool = False,
) -> None:
    if principal is None:
        problems.append(_problem(prefix, "field_required"))
        return
    _required(problems, prefix, principal, ("name", "certificate_number", "mobile", "email"))
    if organisation and not OFFICE_PHONE_RE.match(principal.office_phone or ""):
        problems.append(_problem(f"{prefix}.office_phone", "office_phone_required"))
    if principal.certificate_type == "resident_id" and principal.certificate_number:
        _run_check(
            problems,
            f"{prefix}.certificate_number",
            "id-card",
            principal.certificate_number,
            province=province,
        )
    if principal.mobile:
        _run_check(problems, f"{prefix}.mobile", "phone", principal.mobile, province=province)


def _province_rules(problems: list, app: Application, subject_type: str, websites: list) -> None:
    """The filing province's caps, emergency contact, ID validity and pre-approval rules."""
    rules = rules_for(app.province)
    caps = rules.caps_for(subject_type)
    domains = [[d for d in w.domains.all() if d.status != RecordStatus.CANCELLED] for w in websites]
    name = rules.province.short
    if caps.websites is not None and len(websites) > caps.websites:
        problems.append(
            _problem(
                "websites",
                "province_cap_websites",
                message_for("province_cap_websites", province=name, limit=caps.websites),
            )
        )
    if caps.domains is not None and sum(len(d) for d in domains) > caps.domains:
        problems.append(
            _problem(
                "websites.domains",
                "province_cap_domains",
                message_for("province_cap_domains", province=name, limit=caps.domains),
            )
        )
    for i, website_domains in enumerate(domains):
        if caps.domains_per_website is not None and len(website_domains) > caps.domains_per_website:
            problems.append(
                _problem(
                    f"websites.{i}.domains",
                    "province_cap_domains_per_website",
                    message_for(
                        "province_cap_domains_per_website",
                        province=name,
                        limit=caps.domains_per_website,
                    ),
                )
            )
    principals = [("subject.principal", app.subject.principal)] + [
        (f"websites.{i}.principal", w.principal) for i, w in enumerate(websites)
    ]
    checked = set()
    for prefix, principal in principals:
        if principal is None or principal.pk in checked:
            continue
        checked.add(principal.pk)
        if subject_type in rules.emergency_contact_required_for and not principal.emergency_phone:
            problems.append(
                _problem(
                    f"{prefix}.emergency_phone",
                    "province_emergency_contact",
                    message_for("province_emergency_contact", province=name),
                )
            )
        months = rules.min_id_validity_months
        valid_to = principal.certificate_valid_to
        if months and valid_to and (valid_to - clock.today()).days < months * 30:
            problems.append(
                _problem(
                    f"{prefix}.certificate_valid_to",
                    "province_id_validity",
                    message_for("province_id_validity", province=name, months=months),
                )
            )
        elif valid_to and valid_to < clock.today():
            problems.append(_problem(f"{prefix}.certificate_valid_to", "certificate_expired"))
    for i, website in enumerate(websites):
        try:
            ensure_allowed(website.service_content, subject_type)
        except Refusal as refusal:
            problems.append(
                _problem(f"websites.{i}.service_content", refusal.code, refusal.message())
            )


# Checks that apps above filings add, each a function of the application returning
# problems ({"field", "code", "message"}): materials registers the uploads still
# missing (certificate scans, signed forms, the province's extras) in its
# AppConfig.ready(), so that filings does not import the app above it.
_CHECKS: list[Callable[[Application], list[dict]]] = []


def register_check(check: Callable[[Application], list[dict]]) -> Callable:
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def _registered(problems: list, app: Application) -> None:
    for check in _CHECKS:
        problems.extend(check(app))


def validate_application(app: Application) -> list[dict]:
    """Every problem that blocks submission, as [{"field", "code", "message"}]."""
    problems: list[dict] = []
    if profile(app.filing_type).filing_password and not app.subject.filing_password:
        problems.append(_problem("filing_password", "filing_password_required"))
    if not profile(app.filing_type).opens_access:
        return problems
    subject = app.subject
    subject_type = "individual" if subject.is_individual else "organization"
    if subject.status == RecordStatus.PENDING and not subject.filed_elsewhere:
        _required(
            problems,
            "subject",
            subject,
            ("name", "certificate_number", "certificate_address", "mailing_address"),
        )
        _place(problems, subject)
        if subject.certificate_number:
            kind = "id-card" if subject.certificate_type == "resident_id" else "uscc"
            if subject.certificate_type in ("resident_id", "uscc"):
                _run_check(
                    problems,
                    "subject.certificate_number",
                    kind,
                    subject.certificate_number,
                    province=subject.province,
                )
        _principal(
            problems,
            "subject.principal",
            subject.principal,
            subject.province,
            organisation=not subject.is_individual,
        )
    principals = {}
    if subject.principal_id:
        principals[subject.principal_id] = subject.principal
    for i, website in enumerate(app.websites.all().prefetch_related("domains")):
        prefix = f"websites.{i}"
        _required(problems, prefix, website, ("name",))
        if website.name:
            _run_check(
                problems,
                f"{prefix}.name",
                "website-name",
                website.name,
                province=subject.province,
                subject_type=subject_type,
            )
        if not [d for d in website.domains.all() if d.status != RecordStatus.CANCELLED]:
            problems.append(_problem(f"{prefix}.domains", "domains_required"))
        if not website.languages:
            problems.append(_problem(f"{prefix}.languages", "website_languages_required"))
        if website.principal_id != subject.principal_id:
            _principal(
                problems,
                f"{prefix}.principal",
                website.principal,
                subject.province,
                organisation=not subject.is_individual,
            )
            if website.principal_id:
                principals[website.principal_id] = website.principal
    _province_rules(
        problems, app, subject_type, list(app.websites.all().prefetch_related("domains"))
    )
    _registered(problems, app)
    # Different persons in charge need different phones and e-mails.
    seen_mobile, seen_email = {}, {}
    for principal in principals.values():
        if principal is None:
            continue
        other = seen_mobile.get(principal.mobile_hash)
        if principal.mobile_hash and other is not None and other != principal.certificate_hash:
            problems.append(_problem("websites.principal.mobile", "principal_phone_shared"))
        seen_mobile.setdefault(principal.mobile_hash, principal.certificate_hash)
        other = seen_email.get(principal.email_hash)
        if principal.email_hash and other is not None and other != principal.certificate_hash:
            problems.append(_problem("websites.principal.email", "principal_email_shared"))
        seen_email.setdefault(principal.email_hash, principal.certificate_hash)
    return problems
