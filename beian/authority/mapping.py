"""Beian's model → the upload records of the interface (``beian.authority.payloads``).

``records_for(application)`` gives the one record an application sends, chosen by its filing
type (``PROFILES[filing_type].upload_type``). Our ids (``isp_*_id``) are primary keys; the
administration's ids come from ``Subject/Website.authority_record_id`` and :class:`AuthorityId`.

A change (BGBA) sends the complete *new* state: the filed record with ``application.changes``
laid over it, without saving anything (approval applies the changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.authority import codestore
from beian.authority.codec import filing_password_digest
from beian.authority.models import AuthorityId
from beian.authority.payloads import (
    Access,
    Address,
    Cancellation,
    Certificate,
    ChangeFiling,
    Domain,
    FilingOperation,
    IpRange,
    NewAccess,
    NewFiling,
    NewWebsite,
    Principal,
    Subject,
    Website,
)
from beian.core.errors import Refusal
from beian.filings.models import AccessStatus, RecordStatus
from beian.filings.states import PROFILES, FilingType

# Beian's choices → the authority's code ids (codes.json; provisional until a JCDM refresh).
UNIT_NATURES = {
    "military": 1,
    "government": 2,
    "institution": 3,
    "enterprise": 4,
    "individual": 5,
    "social_org": 6,
}
CERTIFICATE_TYPES = {"uscc": 1, "resident_id": 2, "passport": 7, "tw_permit": 11}
SERVICE_CONTENTS = {
    "portal": 1,
    "organisation": 2,
    "company": 2,
    "search": 3,
    "blog": 4,
    "personal": 4,
    "shopping": 5,
    "navigation": 6,
    "mail": 7,
    "im": 8,
    "game": 9,
    "webdev": 10,
}
OTHER_SERVICE = 11
VIRTUAL_HOST = 3  # 接入方式: 虚拟主机 (cloud servers are filed this way)
SIMPLIFIED_CHINESE = 1
CANCEL_REASONS = {  # cancel_reasons: 1 网站关闭, 2 更换接入服务商, 3 主体注销或变更, 4 其他
    FilingType.CANCEL_SUBJECT: 3,
    FilingType.CANCEL_WEBSITE: 1,
    FilingType.CANCEL_ACCESS: 2,
}
OPERATIONS = {
    FilingType.FIRST_FILING: FilingOperation.NEW_FILING,
    FilingType.ADD_WEBSITE_HERE: FilingOperation.NEW_WEBSITE,
    FilingType.ADD_WEBSITE_ELSEWHERE: FilingOperation.NEW_WEBSITE,
    FilingType.ADD_ACCESS: FilingOperation.NEW_ACCESS,
    FilingType.CHANGE_SUBJECT: FilingOperation.CHANGE,
    FilingType.CHANGE_WEBSITE: FilingOperation.CHANGE,
    FilingType.CHANGE_ACCESS: FilingOperation.CHANGE,
    FilingType.CANCEL_SUBJECT: FilingOperation.CANCEL_SUBJECT,
    FilingType.CANCEL_WEBSITE: FilingOperation.CANCEL_WEBSITE,
    FilingType.CANCEL_ACCESS: FilingOperation.CANCEL_ACCESS,
}


@dataclass
class Mapped:
    """What an application sends, and how the administration's answers will name it."""

    upload_type: str  # XZBA XZWZ XZJR BGBA ZXBA
    records: list
    operation: int  # Czlx of the results
    result_key: str  # Bs of the results (spec: which id or number each operation uses)


def _code(table: dict, value: str, what: str) -> int:
    try:
        return table[value]
    except KeyError:
        raise Refusal("authority_code_missing", params={"what": what, "value": value}) from None


def _authority_id(kind: str, local_id: int) -> int | None:
    row = AuthorityId.objects.filter(kind=kind, local_id=local_id).first()
    return row.authority_id if row else None


def _int_or_none(value) -> int | None:
    return int(value) if value not in (None, "") else None


def server_location(province: str) -> int:
    """``Fbdd``: the server_locations id of a province, matched by its name."""
    tables = codestore.current_tables()
    name = tables.name("regions", int(province))
    for code in tables.table("server_locations").values():
        if code.name == name:
            return code.id
    raise Refusal("authority_code_missing", params={"what": "server_location", "value": province})


def principal(p, overrides: dict | None = None, *, organisation: bool = False) -> Principal:
    values = {
        "name": p.name,
        "mobile": p.mobile,
        "email": p.email,
        "certificate_type": p.certificate_type,
        "certificate_number": p.certificate_number,
        "emergency_phone": p.emergency_phone,
    }
    values.update({k: v for k, v in (overrides or {}).items() if k in values})
    return Principal(
        name=values["name"],
        mobile=values["mobile"],
        email=values["email"],
        # Organisations must give an office phone; Beian keeps an emergency phone instead.
        office_phone=(values["emergency_phone"] or values["mobile"]) if organisation else None,
        certificate_type=CERTIFICATE_TYPES.get(values["certificate_type"]),
        certificate_number=values["certificate_number"],
    )


def subject(s, overrides: dict | None = None, *, change: bool = False) -> Subject:
    values = {
        "name": s.name,
        "certificate_address": s.certificate_address,
        "mailing_address": s.mailing_address,
        "investor": s.investor,
        "city": s.city,
        "county": s.county,
    }
    overrides = overrides or {}
    values.update({k: v for k, v in overrides.items() if k in values})
    organisation = not s.is_individual
    if s.principal is None:
        raise Refusal("authority_code_missing", params={"what": "principal", "value": s.name})
    return Subject(
        name=values["name"],
        address=Address(
            province_id=int(s.province),
            city_id=_int_or_none(values["city"]) or int(s.province),
            county_id=_int_or_none(values["county"]),
            detail=values["mailing_address"] or None,
        ),
        certificate=Certificate(
            type=_code(CERTIFICATE_TYPES, s.certificate_type, "certificate_type"),
            number=s.certificate_number,
            address=values["certificate_address"] or values["mailing_address"] or s.name,
        ),
        principal=principal(s.principal, overrides.get("principal"), organisation=organisation),
        nature=_code(UNIT_NATURES, s.nature, "unit_nature"),
        investor=values["investor"] or None,
        isp_subject_id=None if change else s.pk,
        subject_id=_int_or_none(s.authority_record_id) if change else None,
        number=s.icp_number if change else None,
    )


def _accesses(website, province: str, *, change: bool, ip_override: str | None = None):
    rows = website.accesses.exclude(status=AccessStatus.CLOSED).order_by("pk")
    out = []
    for row in rows:
        ip = ip_override or row.ip
        out.append(
            Access(
                ips=[
                    IpRange.single(
                        ip,
                        isp_ip_id=row.pk,
                        ip_id=_authority_id("ip", row.pk) if change and not ip_override else None,
                    )
                ],
                methods=[VIRTUAL_HOST],
                locations=[server_location(row.server.province or province)],
                isp_access_id=row.pk,
                access_id=_authority_id("access", row.pk) if change else None,
            )
        )
    return out


def website(w, province: str, overrides: dict | None = None, *, change: bool = False) -> Website:
    overrides = overrides or {}
    values = {
        "name": w.name,
        "home_url": w.home_url,
        "service_content": w.service_content,
        "remarks": w.remarks,
    }
    values.update({k: v for k, v in overrides.items() if k in values})
    if "domains" in overrides:
        kept = {d.name: d for d in w.domains.exclude(status=RecordStatus.CANCELLED)}
        domains = []
        for index, item in enumerate(overrides["domains"]):
            existing = kept.get(item["name"])
            local = existing.pk if existing else w.pk * 1000 + index + 1  # new: ours, unique
            domain_id = _authority_id("domain", existing.pk) if existing else None
            domains.append(Domain(item["name"], isp_domain_id=local, domain_id=domain_id))
    else:
        domains = [
            Domain(
                d.name,
                isp_domain_id=d.pk,
                domain_id=_authority_id("domain", d.pk) if change else None,
            )
            for d in w.domains.exclude(status=RecordStatus.CANCELLED).order_by("pk")
        ]
    person = w.principal or w.subject.principal
    return Website(
        name=values["name"],
        domains=domains,
        accesses=_accesses(w, province, change=change, ip_override=overrides.get("ip")),
        principal=principal(
            person, overrides.get("principal"), organisation=not w.subject.is_individual
        ),
        service_content=[SERVICE_CONTENTS.get(values["service_content"], OTHER_SERVICE)],
        languages=[SIMPLIFIED_CHINESE],
        home_url=values["home_url"] or None,
        remark=values["remarks"] or None,
        isp_website_id=None if change else w.pk,
        website_id=_int_or_none(w.authority_record_id) if change else None,
        number=w.icp_number if change else None,
    )


def _filing_password(s) -> str | None:
    return filing_password_digest(s.filing_password) if s.filing_password else None


def _change(app) -> ChangeFiling:
    s = app.subject
    changes = app.changes or {}
    websites = []
    for w in s.websites.filter(status=RecordStatus.FILED).order_by("pk"):
        overrides = dict(changes.get("websites", {}).get(str(w.pk), {}))
        access = changes.get("access", {}).get(str(w.pk), {})
        if access.get("ip"):
            overrides["ip"] = access["ip"]
        websites.append(website(w, app.province, overrides, change=True))
    return ChangeFiling(
        subject=subject(s, changes.get("subject"), change=True),
        websites=websites,
        filing_password=_filing_password(s),
    )


def _need(value, what: str):
    if value in (None, ""):
        raise Refusal("authority_id_missing", params={"what": what})
    return value


def mapped(app) -> Mapped:
    """The upload of ``app`` (an Application) with the key its results will carry."""
    t = FilingType(app.filing_type)
    upload_type = PROFILES[t].upload_type
    s = app.subject
    websites = list(app.websites.order_by("pk"))
    operation = int(OPERATIONS[t])
    if t == FilingType.FIRST_FILING:
        record = NewFiling(subject(s), [website(w, app.province) for w in websites])
        key = str(s.pk)
    elif t in (FilingType.ADD_WEBSITE_HERE, FilingType.ADD_WEBSITE_ELSEWHERE):
        record = NewWebsite(
            [website(w, app.province) for w in websites],
            subject_number=_need(s.icp_number, "subject_number"),
            filing_password=_filing_password(s),
        )
        key = s.icp_number
    elif t == FilingType.ADD_ACCESS:
        w = websites[0]
        access = website(w, app.province).accesses[0]
        record = NewAccess(
            isp_access_id=access.isp_access_id,
            ips=access.ips,
            methods=access.methods,
            locations=access.locations,
            filing_password=_need(_filing_password(s), "filing_password"),
            website_number=_need(w.icp_number, "website_number"),
        )
        key = w.icp_number
    elif t in (FilingType.CHANGE_SUBJECT, FilingType.CHANGE_WEBSITE, FilingType.CHANGE_ACCESS):
        record = _change(app)
        key = str(_need(s.authority_record_id, "subject_id"))
    elif t == FilingType.CANCEL_SUBJECT:
        subject_id = int(_need(s.authority_record_id, "subject_id"))
        record = Cancellation.cancel_subject(
            subject_id, CANCEL_REASONS[t], _need(_filing_password(s), "filing_password")
        )
        key = str(subject_id)
    elif t == FilingType.CANCEL_WEBSITE:
        website_id = int(_need(websites[0].authority_record_id, "website_id"))
        record = Cancellation.cancel_website(
            website_id, CANCEL_REASONS[t], filing_password=_filing_password(s)
        )
        key = str(website_id)
    else:  # cancel access
        row = websites[0].accesses.filter(status=AccessStatus.OPEN).order_by("pk").first()
        access_id = _need(row and _authority_id("access", row.pk), "access_id")
        record = Cancellation.cancel_access(access_id, CANCEL_REASONS[t])
        key = str(access_id)
    return Mapped(upload_type, [record], operation, key)
