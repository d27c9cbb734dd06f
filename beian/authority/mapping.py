"""Beian's model → the upload records of the interface (``beian.authority.payloads``).

``records_for(application)`` gives the one record an application sends, chosen by its filing
type (``PROFILES[filing_type].upload_type``). Our ids (``isp_*_id``) are primary keys; the
administration's ids come from ``Subject/Website.authority_record_id`` and :class:`AuthorityId`.

A change (BGBA) sends the complete *new* state: the filed record with ``application.changes``
laid over it, without saving anything (approval applies the changes).
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.authority import attachments, ids
from beian.authority import codes as code_tables
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
    Materials,
    NewAccess,
    NewFiling,
    NewWebsite,
    PreApproval,
    Principal,
    Subject,
    Website,
)
from beian.core.errors import Refusal
from beian.filings.models import AccessStatus, RecordStatus
from beian.filings.states import PROFILES, FilingType

# Beian's choices → the authority's code ids: codes.choice, over the tables in force
# (codes.current(): the province's JCDM download, else the bundled codes.json).
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


def _code(table: str, value: str) -> int:
    found = code_tables.choice(table, value)
    if found is None:
        raise code_tables.missing(table, value)
    return found


def _certificate_key(nature: str, certificate_type: str) -> str:
    """A person's certificate (an individual subject's, a principal's) or an organisation's,
    whose type id depends on its unit nature (codes.json certificate_types.beian)."""
    if nature == "individual":
        return f"person:{certificate_type}"
    return f"{nature}:{certificate_type}"


# What a person reads for a missing field (never the internal name).
WHAT = {
    "office_phone": ("负责人办公室电话", "the office phone of the person in charge"),
    "city": ("主体所在城市", "the subject's city"),
    "certificate_address": ("证件住所", "the address on the certificate"),
    "preapproval_number": ("前置审批文号", "the pre-approval number"),
    "preapproval_scan": ("前置审批文件扫描件", "the pre-approval document's scan"),
    "cancel_reason": ("注销理由", "the cancel reason"),
    "languages": ("网站语言", "the website language"),
    "attachments": ("真实性核验材料", "the verification materials"),
}


def _what(key: str) -> dict:
    zh, en = WHAT.get(key, (key, key))
    return {"what_zh": zh, "what_en": en}


def code_named(table: str, *names: str) -> int:
    """The id of the valid code of ``table`` named one of ``names``, in the tables in force
    (attachment purposes and formats are known by their names)."""
    entries = code_tables.current().table(table).values()
    for name in names:
        for code in entries:
            if code.name == name and code.valid:
                return code.id
    raise code_tables.missing(table, "、".join(names))


def _given(value, what: str):
    """A value the applicant must have given (the submission check asks for it first)."""
    if value in (None, "", []):
        raise Refusal("authority_field_missing", params=_what(what))
    return value


def _authority_id(kind: str, local_id: int) -> int | None:
    row = AuthorityId.objects.filter(kind=kind, local_id=local_id).first()
    return row.authority_id if row else None


def _int_or_none(value) -> int | None:
    return int(value) if value not in (None, "") else None


def server_location(province: str) -> int:
    """``Fbdd``: the server_locations id of a province, matched by its name."""
    tables = code_tables.current()
    name = tables.name("regions", int(province))
    for code in tables.table("server_locations").values():
        if code.name == name:
            return code.id
    raise code_tables.missing("server_locations", province)


def principal(p, overrides: dict | None = None, *, organisation: bool = False) -> Principal:
    values = {
        "name": p.name,
        "mobile": p.mobile,
        "email": p.email,
        "certificate_type": p.certificate_type,
        "certificate_number": p.certificate_number,
        "office_phone": p.office_phone,
    }
    values.update({k: v for k, v in (overrides or {}).items() if k in values})
    office = values["office_phone"] or None
    return Principal(
        name=values["name"],
        mobile=values["mobile"],
        email=values["email"],
        # Required of an organisation's person in charge, optional for an individual's.
        office_phone=_given(office, "office_phone") if organisation else office,
        certificate_type=code_tables.choice(
            "certificate_types", _certificate_key("individual", values["certificate_type"])
        ),
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
            city_id=int(_given(values["city"], "city")),
            county_id=_int_or_none(values["county"]),
            detail=values["mailing_address"] or None,
        ),
        certificate=Certificate(
            type=_code("certificate_types", _certificate_key(s.nature, s.certificate_type)),
            number=s.certificate_number,
            address=_given(values["certificate_address"], "certificate_address"),
        ),
        principal=principal(s.principal, overrides.get("principal"), organisation=organisation),
        nature=_code("unit_natures", s.nature),
        filed_by_provider=True,  # Beian is the provider's system: it reports (代为报备)
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
                methods=[_code("access_methods", row.server.access_method)],
                locations=[server_location(row.server.province or province)],
                isp_access_id=row.pk,
                access_id=_authority_id("access", row.pk) if change else None,
            )
        )
    return out


def _preapprovals(app, w, items) -> list[PreApproval]:
    if not items:
        return []
    scans = attachments.preapproval_scans(app, w) if app is not None else []
    out = []
    for item in items:
        kind = str(item.get("type", "")).strip()
        if kind in ("", "none"):
            continue
        out.append(
            PreApproval(
                content_type=_code("content_types", kind),
                number=_given(item.get("number"), "preapproval_number"),
                scans=_given(scans, "preapproval_scan"),
            )
        )
    return out


def website(
    w, province: str, overrides: dict | None = None, *, change: bool = False, app=None
) -> Website:
    overrides = overrides or {}
    values = {
        "name": w.name,
        "home_url": w.home_url,
        "service_content": w.service_content,
        "remarks": w.remarks,
        "languages": w.languages,
        "preapprovals": w.preapprovals,
    }
    values.update({k: v for k, v in overrides.items() if k in values})
    if "domains" in overrides:
        kept = {d.name: d for d in w.domains.exclude(status=RecordStatus.CANCELLED)}
        domains = []
        for item in overrides["domains"]:
            existing = kept.get(item["name"])
            # A domain the change adds has no row yet: a reserved id, apart from every pk.
            local = ids.of(existing) if existing else ids.reserved("domain", app, item["name"])
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
        service_content=[
            code_tables.choice("service_contents", values["service_content"])
            or _code("service_contents", "other")
        ],
        languages=[_code("languages", v) for v in _given(values["languages"], "languages")],
        pre_approvals=_preapprovals(app, w, values["preapprovals"]),
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
        websites.append(website(w, app.province, overrides, change=True, app=app))
    owners = attachments.Owners(
        subject_number=s.icp_number,
        website_numbers={w.pk: w.icp_number for w in app.websites.all() if w.icp_number},
    )
    return ChangeFiling(
        subject=subject(s, changes.get("subject"), change=True),
        websites=websites,
        attachments=attachments.attachments(
            app, owners, code_named, websites=list(app.websites.order_by("pk"))
        ),
        filing_password=_filing_password(s),
    )


def _need(value, what: str):
    if value in (None, ""):
        raise Refusal("authority_id_missing", params={"what": what})
    return value


def _cancel_reason(app) -> tuple[int, str | None]:
    reason = _code("cancel_reasons", _given(app.cancel_reason, "cancel_reason"))
    return reason, (app.cancel_note or "").strip()[:1000] or None


def mapped(app) -> Mapped:
    """The upload of ``app`` (an Application) with the key its results will carry."""
    t = FilingType(app.filing_type)
    upload_type = PROFILES[t].upload_type
    s = app.subject
    websites = list(app.websites.order_by("pk"))
    operation = int(OPERATIONS[t])
    if t == FilingType.FIRST_FILING:
        owners = attachments.Owners(
            subject_id=ids.of(s), website_ids={w.pk: ids.of(w) for w in websites}
        )
        record = NewFiling(
            subject(s),
            [website(w, app.province, app=app) for w in websites],
            attachments.attachments(app, owners, code_named, websites=websites),
        )
        key = str(s.pk)
    elif t in (FilingType.ADD_WEBSITE_HERE, FilingType.ADD_WEBSITE_ELSEWHERE):
        number = _need(s.icp_number, "subject_number")
        owners = attachments.Owners(
            subject_number=number, website_ids={w.pk: ids.of(w) for w in websites}
        )
        record = NewWebsite(
            [website(w, app.province, app=app) for w in websites],
            subject_number=number,
            attachments=attachments.attachments(app, owners, code_named, websites=websites),
            filing_password=_filing_password(s),
        )
        key = s.icp_number
    elif t == FilingType.ADD_ACCESS:
        w = websites[0]
        access = website(w, app.province, app=app).accesses[0]
        number = _need(w.icp_number, "website_number")
        owners = attachments.Owners(subject_number=s.icp_number, website_numbers={w.pk: number})
        record = NewAccess(
            isp_access_id=access.isp_access_id,
            ips=access.ips,
            methods=access.methods,
            locations=access.locations,
            filing_password=_need(_filing_password(s), "filing_password"),
            website_number=number,
            attachments=attachments.attachments(app, owners, code_named, websites=[w]),
        )
        key = w.icp_number
    elif t in (FilingType.CHANGE_SUBJECT, FilingType.CHANGE_WEBSITE, FilingType.CHANGE_ACCESS):
        record = _change(app)
        key = str(_need(s.authority_record_id, "subject_id"))
    elif t == FilingType.CANCEL_SUBJECT:
        subject_id = int(_need(s.authority_record_id, "subject_id"))
        reason, note = _cancel_reason(app)
        record = Cancellation.cancel_subject(
            subject_id, reason, _need(_filing_password(s), "filing_password"), note
        )
        key = str(subject_id)
    elif t == FilingType.CANCEL_WEBSITE:
        website_id = int(_need(websites[0].authority_record_id, "website_id"))
        reason, note = _cancel_reason(app)
        record = Cancellation.cancel_website(
            website_id, reason, note, filing_password=_filing_password(s)
        )
        key = str(website_id)
    else:  # cancel access
        row = websites[0].accesses.filter(status=AccessStatus.OPEN).order_by("pk").first()
        access_id = _need(row and _authority_id("access", row.pk), "access_id")
        reason, note = _cancel_reason(app)
        record = Cancellation.cancel_access(access_id, reason, note)
        key = str(access_id)
    return Mapped(upload_type, [record], operation, key)


def materials_upload(app) -> Mapped:
    """``XZHYD``: the verification materials of ``app`` alone, for a subject (and websites)
    the administration already holds — named by its ids (Ztid, Wzid) or, failing those,
    numbers. Sent when the administration asks again for the materials of a filing."""
    s = app.subject
    websites = list(app.websites.order_by("pk"))
    owners = attachments.Owners(
        subject_id=_int_or_none(s.authority_record_id),
        subject_number=s.icp_number,
        website_ids={w.pk: int(w.authority_record_id) for w in websites if w.authority_record_id},
        website_numbers={w.pk: w.icp_number for w in websites if w.icp_number},
    )
    found = attachments.attachments(app, owners, code_named, websites=websites)
    if not found:
        raise Refusal("authority_field_missing", params=_what("attachments"))
    key = s.icp_number or str(s.authority_record_id or "")
    return Mapped("XZHYD", [Materials(found)], int(FilingOperation.VERIFICATION_MATERIAL), key)
