"""Receiving filings: an accepted upload becomes requests, checked and answered
('received', or a refusal) as download files."""

from __future__ import annotations

from beian.authority import extcodes
from beian.authority.codec import (
    XsdValidationError,
)
from beian.authority.codec.schemas import UPLOAD_DATA, parse_xml, validate
from beian.authority.models import (
    SimRequest,
    SimRequestState,
    SimSubject,
    SimUpload,
    SimWebsite,
)
from beian.authority.payloads import FilingOperation as Op
from beian.authority.sim import parse
from beian.authority.sim.services.base import (
    _find_website_by_domain,
    _subject_by_number,
    _website,
    _website_of_access,
    knob,
    queue_download,
)
from beian.authority.sim.services.decisions import _schedule, province_of, reject
from beian.authority.sim.services.sms import _challenge
from beian.core import clock

NOT_FOUND = 1016
PASSWORD_WRONG = 1018
DOMAIN_CONFLICT = 1005
OPERATION_OF_CANCEL = {0: Op.CANCEL_SUBJECT, 1: Op.CANCEL_WEBSITE, 2: Op.CANCEL_ACCESS}


def receive(upload: SimUpload) -> None:
    """Turn an accepted upload into requests; answer 'received' (or 5001) as downloads."""
    try:
        root = parse_xml(bytes(upload.xml), UPLOAD_DATA)
        validate(root, UPLOAD_DATA)
    except XsdValidationError:
        queue_download(
            f"upload {upload.data_sequence}: XSD",
            results=[{"codes": [5001], "operation": 1, "message": upload.file_name}],
        )
        return
    for item in parse.requests(root):
        _receive_one(upload, item)


def _targets_new(subject: dict | None, websites: list[dict]) -> list[dict]:
    out = []
    if subject:
        out.append({"role": "subject", **_person(subject["principal"], subject)})
    for w in websites:
        out.append({"role": "website", **_person(w["principal"], subject)})
    return out


def _person(p: dict, subject: dict | None) -> dict:
    number = p.get("certificate_number") or (subject or {}).get("certificate_number") or ""
    return {
        "name": p.get("name") or "",
        "phone": (p.get("mobile") or "").split(";")[0],
        "certificate_tail": number[-6:].upper(),
    }


def _receive_one(upload: SimUpload, item: dict) -> None:
    kind = item["kind"]
    refusal = None
    targets: list[dict] = []
    province = str(knob("AUTHORITY_SIM_PROVINCE", "320000"))
    if kind == "XZBA":
        s = item["subject"]
        operation, key, record_id = Op.NEW_FILING, str(s["isp_subject_id"]), s["isp_subject_id"]
        province = province_of(s)
        targets = _targets_new(s, item["websites"])
        refusal = _domain_conflict(item["websites"])
    elif kind == "XZWZ":
        operation = Op.NEW_WEBSITE
        key = item["subject_number"] or str(item["subject_id"])
        record_id = item["websites"][0]["isp_website_id"]
        subject = (
            _subject_by_number(item["subject_number"])
            or SimSubject.objects.filter(pk=item["subject_id"] or 0, cancelled=False).first()
        )
        if subject is None:
            refusal = NOT_FOUND
        else:
            province = subject.province
            targets = _targets_new(subject.data, item["websites"])
            refusal = _domain_conflict(item["websites"])
            if not _password_ok(subject, item.get("icpmm")):
                refusal = PASSWORD_WRONG
    elif kind == "XZJR":
        operation = Op.NEW_ACCESS
        key = item["website_number"] or str(item["website_id"])
        record_id = item["access"]["isp_access_id"]
        website = _website(item["website_number"], item["website_id"])
        if website is None:
            refusal = NOT_FOUND
        else:
            province = website.subject.province
            if not _password_ok(website.subject, item.get("icpmm")):
                refusal = PASSWORD_WRONG
            targets = [
                {"role": "website", **_person(website.data["principal"], website.subject.data)}
            ]
    elif kind == "BGBA":
        s = item["subject"]
        operation, key, record_id = Op.CHANGE, str(s["subject_id"]), s["subject_id"]
        subject = SimSubject.objects.filter(pk=s["subject_id"], cancelled=False).first()
        if subject is None:
            refusal = NOT_FOUND
        else:
            province = subject.province
            targets = _targets_change(subject, item)
            if not _password_ok(subject, item.get("icpmm")):
                refusal = PASSWORD_WRONG
    else:  # ZXBA
        operation = OPERATION_OF_CANCEL[item["cancel_kind"]]
        key, record_id = str(item["record_id"]), item["record_id"]
        targets, refusal, province = _cancel_targets(item, province)
    request = SimRequest.objects.create(
        upload=upload,
        operation=int(operation),
        key=key,
        record_id=record_id,
        province=province,
        data=item,
        state=SimRequestState.REVIEW,
        received_at=clock.now(),
    )
    queue_download(
        f"req {request.pk}: received",
        results=[{"codes": [extcodes.RECEIVED], "operation": int(operation), "key": key}],
    )
    if refusal:
        reject(request, [refusal], "自动校验未通过 / automatic check failed")
        return
    targets = _unique(targets)
    if targets:
        request.state = SimRequestState.SMS
        request.save(update_fields=["state"])
        for target in targets:
            _challenge(request, target)
    else:
        _schedule(request)


def _unique(targets: list[dict]) -> list[dict]:
    seen, out = set(), []
    for t in targets:
        if t["phone"] and t["phone"] not in seen:
            seen.add(t["phone"])
            out.append(t)
    return out


def _domain_conflict(websites: list[dict]) -> int | None:
    for w in websites:
        for d in w["domains"]:
            if _find_website_by_domain(d["name"]) is not None:
                return DOMAIN_CONFLICT
    return None


def _password_ok(subject: SimSubject, icpmm: str | None) -> bool:
    """ICPmm of the later filings (add website or access, change, cancel) against the
    hash of the password the administration issued; a subject it knows no password of
    (seeded without one) is not checked."""
    return not subject.filing_password_md5 or (icpmm or "").lower() == subject.filing_password_md5


def _comparable(d: dict) -> dict:
    drop = {"isp_subject_id", "subject_id", "number", "isp_website_id", "website_id", "accesses"}
    return {k: v for k, v in d.items() if k not in drop}


def _targets_change(subject: SimSubject, item: dict) -> list[dict]:
    """Whoever's part changed answers the SMS (domain.md §4)."""
    targets = []
    if _comparable(subject.data) != _comparable(item["subject"]):
        targets.append(
            {"role": "subject", **_person(item["subject"]["principal"], item["subject"])}
        )
    for w in item["websites"]:
        row = SimWebsite.objects.filter(pk=w["website_id"] or 0).first()
        old = row.data if row else {}
        new_domains = {d["name"] for d in w["domains"]}
        old_domains = {d["name"] for d in old.get("domains", [])}
        website_changed = {k: v for k, v in _comparable(old).items() if k != "domains"} != {
            k: v for k, v in _comparable(w).items() if k != "domains"
        }
        access_changed = _ips(old) != _ips(w)
        if website_changed or new_domains != old_domains or access_changed:
            targets.append({"role": "website", **_person(w["principal"], item["subject"])})
    return targets


def _ips(w: dict) -> list:
    return sorted((ip["start"], ip["end"]) for a in w.get("accesses", []) for ip in a["ips"])


def _cancel_targets(item: dict, province: str):
    kind, record_id = item["cancel_kind"], item["record_id"]
    if kind == 0:
        subject = SimSubject.objects.filter(pk=record_id, cancelled=False).first()
        if subject is None:
            return [], NOT_FOUND, province
        if not _password_ok(subject, item.get("icpmm")):
            return [], PASSWORD_WRONG, subject.province
        return (
            [{"role": "subject", **_person(subject.data["principal"], subject.data)}],
            None,
            (subject.province),
        )
    if kind == 1:
        website = SimWebsite.objects.filter(pk=record_id, cancelled=False).first()
        if website is None:
            return [], NOT_FOUND, province
        if not _password_ok(website.subject, item.get("icpmm")):
            return [], PASSWORD_WRONG, website.subject.province
        person = _person(website.data["principal"], website.subject.data)
        return [{"role": "website", **person}], None, website.subject.province
    # Cancel access is the provider's own act (no ICPmm in Beian's upload): not checked.
    found = _website_of_access(record_id)
    if found is None:
        return [], NOT_FOUND, province
    return [], None, found.subject.province
