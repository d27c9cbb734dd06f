"""Decisions: approve (numbers from a per-province, per-year counter) or reject a
request, the automatic schedule, and seeding filings made elsewhere."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from beian.authority.codec import (
    filing_password_digest,
)
from beian.authority.codec.schemas import UPLOAD_DATA, parse_xml, validate
from beian.authority.models import (
    SimRequest,
    SimRequestState,
    SimSerialCounter,
    SimSubject,
    SimWebsite,
)
from beian.authority.payloads import FilingOperation as Op
from beian.authority.returncodes import APPROVED, REJECTED
from beian.authority.sim import parse
from beian.authority.sim.services.base import (
    _subject_by_number,
    _website,
    _website_of_access,
    _when,
    new_id,
    queue_download,
    state,
)
from beian.authority.sim.services.passwords import issue_password
from beian.core import calendar, clock, crypto
from beian.rules import icp


def _schedule(request: SimRequest) -> None:
    st = state()
    if not st.auto_mode:
        return
    day = calendar.add_working_days(clock.today(), st.auto_delay_working_days)
    at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=clock.CHINA)
    request.decide_at = max(at, clock.now())
    request.save(update_fields=["decide_at"])


def next_number(province: str) -> str:
    year = clock.today().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                SimSerialCounter.objects.get_or_create(province=province, year=year)
        except IntegrityError:
            pass
        counter = SimSerialCounter.objects.select_for_update().get(province=province, year=year)
        # Continue from what exists: a number this administration holds is never issued
        # again, even if its counter was lost (a counter row deleted or restored older).
        while True:
            counter.last += 1
            number = icp.subject_number(province, year, counter.last)
            if not SimSubject.objects.filter(number=number).exists():
                break
        counter.save(update_fields=["last"])
        return number


def _with_ids(website: dict, isp_id: int, old: dict | None = None) -> dict:
    """Give a website's domains, accesses and IPs the administration's ids."""
    w = dict(website)
    old_domains = {d["name"]: d for d in (old or {}).get("domains", [])}
    for d in w["domains"]:
        d["domain_id"] = (
            d.get("domain_id") or old_domains.get(d["name"], {}).get("domain_id") or new_id()
        )
    old_access = {a["access_id"]: a for a in (old or {}).get("accesses", [])}
    for a in w["accesses"]:
        previous = old_access.get(a.get("access_id")) or {}
        a["access_id"] = a.get("access_id") or new_id()
        a["ispid"] = previous.get("ispid") or isp_id
        for ip in a["ips"]:
            ip["ip_id"] = ip.get("ip_id") or new_id()
    return w


def approve(request: SimRequest, opinion: str = "", reviewer: str = "") -> None:
    with transaction.atomic():
        request = SimRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != SimRequestState.REVIEW:
            return
        isp_id = request.upload.isp_id
        item = request.data
        filings, cancellations = [], []
        op = request.operation
        if op == Op.NEW_FILING:
            subject = _file_subject(item, request.province, isp_id)
            # The administration gives a new subject its filing password (备案密码).
            issue_password(subject)
            filings.append(subject)
        elif op == Op.NEW_WEBSITE:
            subject = _subject_by_number(item["subject_number"]) or SimSubject.objects.get(
                pk=item["subject_id"]
            )
            _add_websites(subject, item["websites"], isp_id)
            filings.append(subject)
        elif op == Op.NEW_ACCESS:
            website = _website(item["website_number"], item["website_id"])
            website.data["accesses"].append(
                _with_ids({"domains": [], "accesses": [item["access"]]}, isp_id)["accesses"][0]
            )
            website.save(update_fields=["data"])
            filings.append(website.subject)
        elif op == Op.CHANGE:
            subject = SimSubject.objects.get(pk=item["subject"]["subject_id"])
            s = dict(item["subject"])
            s["first_filed"] = subject.data.get("first_filed")
            s["isp_subject_id"] = subject.data.get("isp_subject_id")
            subject.data = s
            subject.save(update_fields=["data"])
            for w in item["websites"]:
                row = SimWebsite.objects.get(pk=w["website_id"], subject=subject)
                new = _with_ids(w, isp_id, row.data)
                new["isp_website_id"] = row.data.get("isp_website_id")
                row.data = new
                row.save(update_fields=["data"])
            filings.append(subject)
        elif op == Op.CANCEL_SUBJECT:
            SimSubject.objects.filter(pk=item["record_id"]).update(cancelled=True)
            SimWebsite.objects.filter(subject_id=item["record_id"]).update(cancelled=True)
            cancellations.append((0, item["record_id"]))
        elif op == Op.CANCEL_WEBSITE:
            SimWebsite.objects.filter(pk=item["record_id"]).update(cancelled=True)
            cancellations.append((1, item["record_id"]))
        else:  # cancel access: the number stays (a shell if no access is left)
            website = _website_of_access(item["record_id"])
            website.data["accesses"] = [
                a for a in website.data["accesses"] if a["access_id"] != item["record_id"]
            ]
            website.save(update_fields=["data"])
        _decide(request, SimRequestState.APPROVED, [], opinion)
        queue_download(
            f"req {request.pk}: approved",
            filings=[(s, list(s.websites.filter(cancelled=False).order_by("pk"))) for s in filings],
            cancellations=cancellations,
            results=[{"codes": [APPROVED], "operation": op, "key": request.key}],
            reviews=[
                {
                    "approved": True,
                    "opinion": opinion or None,
                    "operation": op,
                    "record_id": request.record_id,
                    "reviewer": reviewer or None,
                }
            ],
        )


def _file_subject(item: dict, province: str, isp_id: int) -> SimSubject:
    """A first filing approved: the subject with the next number, and its websites."""
    s = item["subject"]
    s["first_filed"] = _when()
    subject = SimSubject.objects.create(
        isp_id=isp_id,
        number=next_number(province),
        province=province,
        certificate_hash=crypto.lookup_hash(s["certificate_number"] or ""),
        certificate_type=s["certificate_type"],
        data=s,
    )
    _add_websites(subject, item["websites"], isp_id)
    return subject


def province_of(subject: dict) -> str:
    """The province (GB/T 2260, ``320000``) of a parsed subject, from its ``province_id``."""
    return str(subject["province_id"] // 10000 * 10000)


def file_existing(xml: bytes, isp_id: int) -> list[dict]:
    """Record filings the administration approved before (the demo's records): each first
    filing (``XZBA``) or new website (``XZWZ``, of a subject filed here) in `xml` — an
    upload file as Beian builds it — is filed at once with the next numbers of this
    administration's counters, so that no later approval can issue them again. Nothing is
    queued for download: the caller applies the answer itself.

    Returns, per request, the subject's number and id (and our id of it, for a first
    filing) and its new websites' numbers and ids by our ids."""
    root = parse_xml(xml, UPLOAD_DATA)
    validate(root, UPLOAD_DATA)
    out = []
    with transaction.atomic():
        for item in parse.requests(root):
            if item["kind"] == "XZBA":
                subject = _file_subject(item, province_of(item["subject"]), isp_id)
                new = list(subject.websites.order_by("pk"))
                ours = item["subject"]["isp_subject_id"]
            elif item["kind"] == "XZWZ":
                subject = _subject_by_number(item["subject_number"])
                if subject is None:
                    raise ValueError(f"no subject {item['subject_number']} filed here")
                before = set(subject.websites.values_list("pk", flat=True))
                _add_websites(subject, item["websites"], isp_id)
                new = list(subject.websites.exclude(pk__in=before).order_by("pk"))
                ours = None
            else:
                raise ValueError(f"only new filings can be filed as existing, not {item['kind']}")
            out.append(
                {
                    "isp_subject_id": ours,
                    "subject_number": subject.number,
                    "subject_id": subject.pk,
                    "websites": [
                        {
                            "isp_website_id": w.data.get("isp_website_id"),
                            "number": w.number,
                            "website_id": w.pk,
                        }
                        for w in new
                    ],
                }
            )
    return out


def _add_websites(subject: SimSubject, websites: list[dict], isp_id: int) -> None:
    for w in websites:
        index = subject.next_index
        subject.next_index += 1
        SimWebsite.objects.create(
            subject=subject,
            number=icp.website_number(subject.number, index),
            data=_with_ids(w, isp_id),
        )
    subject.save(update_fields=["next_index"])


def _decide(request: SimRequest, new_state: str, reasons: list[int], opinion: str) -> None:
    request.state = new_state
    request.reasons = reasons
    request.opinion = opinion
    request.decided_at = clock.now()
    request.save(update_fields=["state", "reasons", "opinion", "decided_at"])


def reject(request: SimRequest, reasons: list[int], opinion: str = "", reviewer: str = "") -> None:
    with transaction.atomic():
        request = SimRequest.objects.select_for_update().get(pk=request.pk)
        if request.state in (SimRequestState.APPROVED, SimRequestState.REJECTED):
            return
        codes = [REJECTED, *[c for c in reasons if c not in (APPROVED, REJECTED)]]
        _decide(request, SimRequestState.REJECTED, codes[1:], opinion)
        queue_download(
            f"req {request.pk}: rejected",
            results=[{"codes": codes, "operation": request.operation, "key": request.key}],
            reviews=[
                {
                    "approved": False,
                    "opinion": opinion or None,
                    "operation": request.operation,
                    "record_id": request.record_id,
                    "reviewer": reviewer or None,
                }
            ],
        )


def record_phone_check(request: SimRequest, phone: str, result: str, note: str = "") -> None:
    request.phone_checks = [
        *request.phone_checks,
        {"at": _when(), "phone": phone, "result": result, "note": note},
    ]
    request.save(update_fields=["phone_checks"])


def seed_external_filing(
    *,
    province: str,
    subject_name: str,
    certificate_type: int,
    certificate_number: str,
    domains: list[str],
    website_name: str,
    principal: dict,
    filing_password: str = "",
    isp_id: int = 9999,
    ip: int = 3405803777,
) -> SimWebsite:
    """A filing made through another provider (for add-access and 'filed elsewhere' demos)."""
    subject = SimSubject.objects.create(
        isp_id=isp_id,
        number=next_number(province),
        province=province,
        certificate_hash=crypto.lookup_hash(certificate_number),
        certificate_type=certificate_type,
        filing_password_md5=filing_password_digest(filing_password) if filing_password else "",
        data={
            "name": subject_name,
            "nature": 5,
            "province_id": int(province),
            "city_id": int(province) + 100,
            "certificate_type": certificate_type,
            "certificate_number": certificate_number,
            "certificate_address": "-",
            "principal": principal,
            "first_filed": _when(),
        },
    )
    website = {
        "name": website_name,
        "services": [4],
        "languages": [1],
        "domains": [{"name": d} for d in domains],
        "accesses": [{"locations": [1], "methods": [3], "ips": [{"start": ip, "end": ip}]}],
        "principal": principal,
    }
    _add_websites(subject, [website], isp_id)
    return subject.websites.get()
