"""The simulated provincial system: what it does with each call, decision and SMS answer.

It authenticates the caller, decodes and checks the upload (hash, decryption, zip, XSD),
enforces ``dataSequence`` (code 14 lists the gaps), keeps the filings it approved (numbers
from a per-province, per-year counter), runs MIIT's SMS verification, and leaves its answers
as download files. Everything here runs in the simulator's own process and database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction

from beian.authority import extcodes, soap
from beian.authority.client import setting
from beian.authority.codec import (
    CodecError,
    XsdValidationError,
    decode_payload,
    encode_payload,
    filing_password_digest,
    pwd_hash,
)
from beian.authority.codec.schemas import UPLOAD_DATA, parse_xml, validate
from beian.authority.models import (
    SimDownload,
    SimFault,
    SimOutbox,
    SimRequest,
    SimRequestState,
    SimSerialCounter,
    SimSmsChallenge,
    SimState,
    SimSubject,
    SimUpload,
    SimWebsite,
)
from beian.authority.payloads import FilingOperation as Op
from beian.authority.returncodes import APPROVED, REJECTED
from beian.authority.sim import parse
from beian.authority.sim.build import download_xml
from beian.core import calendar, clock
from beian.rules import hosts, icp

log = logging.getLogger(__name__)

SMS_CODE_HOURS = 24
MAX_WRONG_TRIES = 5
MAX_SENDS = 3
NOT_FOUND = 1016
PASSWORD_WRONG = 1018
DOMAIN_CONFLICT = 1005


def knob(name: str, default):
    return getattr(settings, "BEIAN", {}).get(name, default)


def state() -> SimState:
    row, _ = SimState.objects.get_or_create(pk=1)
    return row


def new_id() -> int:
    with transaction.atomic():
        row = SimState.objects.select_for_update().get(pk=state().pk)
        row.next_id += 1
        row.save(update_fields=["next_id"])
        return row.next_id


class Answer(Exception):
    """A method-level answer other than success (raised to leave the handler early)."""

    def __init__(self, code: int, message: str | None = None):
        self.code = code
        self.message = message or extcodes.describe(code)[0]
        super().__init__(self.message)


# ---- authentication --------------------------------------------------------------------------


def authenticate(params: dict) -> None:
    try:
        isp_id = int(params.get("ispId") or 0)
        hash_algorithm = int(params.get("hashAlgorithm") or 0)
    except ValueError:
        raise Answer(12) from None
    if isp_id != int(setting("AUTHORITY_ISP_ID")):
        raise Answer(13)
    if params.get("userName") != setting("AUTHORITY_USER"):
        raise Answer(4)
    rand_val = params.get("randVal") or ""
    if len(rand_val) < 20:
        raise Answer(16)
    if hash_algorithm not in (0, 1):
        raise Answer(10)
    expected = pwd_hash(setting("AUTHORITY_PASSWORD"), rand_val, hash_algorithm)
    if not hmac.compare_digest(expected, params.get("pwdHash") or ""):
        raise Answer(5)


def _key_iv():
    return (setting("AUTHORITY_AES_KEY") or None, setting("AUTHORITY_AES_IV") or None)


# ---- the six methods -------------------------------------------------------------------------


def handle(method: str, params: dict, faults: dict) -> str:
    """The ``return`` XML string of one call."""
    try:
        authenticate(params)
        body = HANDLERS[method](params, faults)
    except Answer as answer:
        children = []
        if answer.code == 14:
            missing = getattr(answer, "missing", [])
            children.append(
                "<dataSequences>"
                + "".join(soap.element("dataSequence", s) for s in missing)
                + "</dataSequences>"
            )
        return soap.return_xml(answer.code, answer.message, *children)
    return body


def isp_upload(params: dict, faults: dict) -> str:
    try:
        seq = int(params["dataSequence"])
        encrypt = int(params.get("encryptAlgorithm") or 0)
        hash_algorithm = int(params.get("hashAlgorithm") or 0)
        compression = int(params.get("compressionFormat") or 0)
    except (KeyError, ValueError):
        raise Answer(999, "参数错误 / bad parameters") from None
    key, iv = _key_iv()
    try:
        name, xml = decode_payload(
            params.get("beianInfo") or "",
            params.get("beianInfoHash") or "",
            hash_algorithm=hash_algorithm,
            encrypt_algorithm=encrypt,
            compression_format=compression,
            key=key,
            iv=iv,
        )
    except CodecError as exc:
        raise Answer(exc.code or 999) from exc
    with transaction.atomic():
        st = SimState.objects.select_for_update().get(pk=state().pk)
        if faults.get("gap"):
            _forget_last_upload(st)
        expected = st.last_sequence + 1
        if seq > expected:
            answer = Answer(14)
            answer.missing = list(range(expected, seq))
            raise answer
        if seq < expected:
            previous = SimUpload.objects.filter(data_sequence=seq).first()
            if previous and previous.beian_info_hash == params.get("beianInfoHash"):
                return soap.return_xml(0, "操作成功（重复上报，已忽略）")
            raise Answer(999, f"数据编号 {seq} 已使用 / data sequence {seq} already used")
        upload = SimUpload.objects.create(
            isp_id=int(params["ispId"]),
            data_sequence=seq,
            file_name=name,
            beian_info=params["beianInfo"],
            beian_info_hash=params["beianInfoHash"],
            hash_algorithm=hash_algorithm,
            encrypt_algorithm=encrypt,
            xml=xml,
            received_at=clock.now(),
        )
        st.last_sequence = seq
        st.save(update_fields=["last_sequence"])
        receive(upload)
    return soap.return_xml(0, "操作成功")


def _forget_last_upload(st: SimState) -> None:
    """Fault 'gap': lose the last accepted upload as if it never arrived."""
    last = SimUpload.objects.filter(data_sequence=st.last_sequence).first()
    if last is not None:
        for request in last.requests.all():
            SimDownload.objects.filter(
                acknowledged_at=None, summary__startswith=f"req {request.pk}:"
            ).delete()
        last.delete()
    st.last_sequence = max(0, st.last_sequence - 1)


def isp_download(params: dict, faults: dict) -> str:
    tick()
    pending = SimDownload.objects.filter(acknowledged_at=None).order_by("pk")
    first = pending.first()
    if first is None:
        raise Answer(2)
    key, iv = _key_iv()
    payload = encode_payload(
        bytes(first.xml), first.file_name, encrypt_algorithm=1 if key else 0, key=key, iv=iv
    )
    info_hash = payload.beian_info_hash
    if faults.get("wrong_hash"):
        info_hash = base64.b64encode(hashlib.md5(b"not the data").digest()).decode()
    code = 3 if pending.count() > 1 else 0
    return soap.return_xml(
        code,
        extcodes.describe(code)[0],
        "<fileInfos>"
        + soap.element("hashAlgorithm", payload.hash_algorithm)
        + soap.element("compressionFormat", payload.compression_format)
        + soap.element("encryptAlgorithm", payload.encrypt_algorithm)
        + soap.element("return_FileName", first.file_name)
        + soap.element("beianInfo", payload.beian_info)
        + soap.element("beianInfoHash", info_hash)
        + "</fileInfos>",
    )


def isp_downloadack(params: dict, faults: dict) -> str:
    name = params.get("fileName") or ""
    if not name:
        raise Answer(21)
    SimDownload.objects.filter(file_name=name, acknowledged_at=None).update(
        acknowledged_at=clock.now()
    )
    return soap.return_xml(0, "操作成功")


def isp_querypreviousupload(params: dict, faults: dict) -> str:
    last = SimUpload.objects.order_by("-data_sequence").first()
    if last is None:
        info = (
            soap.element("hashAlgorithm", 0)
            + soap.element("compressionFormat", 0)
            + soap.element("encryptAlgorithm", 0)
            + soap.element("dataSequence", 0)
        )
    else:
        info = (
            soap.element("hashAlgorithm", last.hash_algorithm)
            + soap.element("compressionFormat", 0)
            + soap.element("encryptAlgorithm", last.encrypt_algorithm)
            + soap.element("dataSequence", last.data_sequence)
            + soap.element("return_FileName", last.file_name)
            + soap.element("beianInfo", last.beian_info)
            + soap.element("beianInfoHash", last.beian_info_hash)
        )
    return soap.return_xml(0, "操作成功", f"<fileInfos>{info}</fileInfos>")


def _find_website_by_domain(domain: str) -> SimWebsite | None:
    domain = domain.strip().lower()
    for row in SimWebsite.objects.filter(cancelled=False).select_related("subject"):
        names = {d["name"] for d in row.data.get("domains", [])}
        if hosts.covered(domain, names):
            return row
    return None


def isp_querybeianstatus(params: dict, faults: dict) -> str:
    kind = int(params.get("queryConditionType") or 0)
    value = params.get("queryCondition") or ""
    head = soap.element("Cxtjlx", kind) + soap.element("Cxtj", value)
    if kind == 0:
        row = _find_website_by_domain(value)
        if row is not None:
            body = (
                head
                + soap.element("Wzmc", row.data.get("name", ""))
                + soap.element("Ztbah", row.subject.number)
                + soap.element("Wzbah", row.number)
                + soap.element("Bazt", 0)
            )
            return soap.return_xml(0, "操作成功", f"<StatusInfo>{body}</StatusInfo>")
    else:
        subject = SimSubject.objects.filter(
            certificate_number=value.strip().upper(), cancelled=False
        ).first()
        if subject is not None:
            body = head + soap.element("Ztbah", subject.number) + soap.element("Bazt", 0)
            return soap.return_xml(0, "操作成功", f"<StatusInfo>{body}</StatusInfo>")
    return soap.return_xml(
        0, "操作成功", f"<StatusInfo>{head}{soap.element('Bazt', 1)}</StatusInfo>"
    )


def _subject_by_number(number: str | None) -> SimSubject | None:
    if not number:
        return None
    return SimSubject.objects.filter(number=icp.subject_part(number), cancelled=False).first()


def isp_verifybamm(params: dict, faults: dict) -> str:
    subject = _subject_by_number(params.get("baxh"))
    given = params.get("bamm") or ""
    ok = bool(
        subject
        and subject.filing_password_md5
        and subject.filing_password_md5 in (given.lower(), filing_password_digest(given))
    )
    return soap.return_xml(0, "操作成功", soap.element("VerifyRes", 0 if ok else 1))


HANDLERS = {
    "isp_upload": isp_upload,
    "isp_download": isp_download,
    "isp_downloadack": isp_downloadack,
    "isp_querypreviousupload": isp_querypreviousupload,
    "isp_querybeianstatus": isp_querybeianstatus,
    "isp_verifybamm": isp_verifybamm,
}


# ---- receiving filings -----------------------------------------------------------------------

OPERATION_OF_CANCEL = {0: Op.CANCEL_SUBJECT, 1: Op.CANCEL_WEBSITE, 2: Op.CANCEL_ACCESS}


def _when() -> str:
    return clock.now().astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M:%S")


def queue_download(summary: str, **parts) -> SimDownload:
    xml = download_xml(when=_when(), **parts)
    name = f"D{int(setting('AUTHORITY_ISP_ID'))}{clock.now():%Y%m%d%H%M%S}{new_id()}.xml"
    return SimDownload.objects.create(
        file_name=name, xml=xml, summary=summary[:255], created_at=clock.now()
    )


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
        province = str(s["province_id"] // 10000 * 10000)
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


def _website(number: str | None, website_id: int | None) -> SimWebsite | None:
    qs = SimWebsite.objects.filter(cancelled=False).select_related("subject")
    if number:
        return qs.filter(number=number).first()
    return qs.filter(pk=website_id or 0).first()


def _password_ok(subject: SimSubject, icpmm: str | None) -> bool:
    """Checked only where the administration knows the filing password."""
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
        if subject.filing_password_md5 and not _password_ok(subject, item.get("icpmm")):
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
        person = _person(website.data["principal"], website.subject.data)
        return [{"role": "website", **person}], None, website.subject.province
    found = _website_of_access(record_id)
    return [], (None if found else NOT_FOUND), province


def _website_of_access(access_id: int) -> SimWebsite | None:
    for row in SimWebsite.objects.filter(cancelled=False):
        if any(a["access_id"] == access_id for a in row.data.get("accesses", [])):
            return row
    return None


# ---- SMS verification ------------------------------------------------------------------------


def _code_hash(challenge_id: int, code: str) -> str:
    return hashlib.sha256(f"{challenge_id}:{code}".encode()).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _challenge(request: SimRequest, target: dict) -> SimSmsChallenge:
    now = clock.now()
    challenge = SimSmsChallenge.objects.create(
        request=request,
        role=target["role"],
        name=target["name"],
        phone=target["phone"],
        certificate_tail=target["certificate_tail"],
        code_hash="",
        sent_at=now,
        expires_at=now + dt.timedelta(hours=knob("SMS_CODE_HOURS", SMS_CODE_HOURS)),
    )
    _send_code(challenge)
    return challenge


def _send_code(challenge: SimSmsChallenge) -> None:
    code = _new_code()
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.save(update_fields=["code_hash", "sends", "sent_at"])
    SimOutbox.objects.create(
        phone=challenge.phone,
        context={
            "code": code,
            "expires_at": challenge.expires_at.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M"),
        },
        key=f"sim-sms-{challenge.pk}-{challenge.sends}",
        created_at=clock.now(),
    )


class SmsRefusal(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def _pending_challenge(phone: str, tail: str) -> SimSmsChallenge:
    challenge = (
        SimSmsChallenge.objects.filter(
            phone=phone.strip(),
            certificate_tail=tail.strip().upper(),
            verified_at=None,
            failed=False,
            request__state=SimRequestState.SMS,
        )
        .order_by("-sent_at")
        .first()
    )
    if challenge is None:
        raise SmsRefusal(
            "没有待核验的备案，请核对手机号和证件号码后6位",
            "No filing awaits verification for this phone and certificate",
        )
    return challenge


def verify_sms(phone: str, certificate_tail: str, code: str) -> SimSmsChallenge:
    """The public verification page: code + phone + last 6 characters of the certificate.

    A wrong try is counted (and a failure recorded) even though the caller gets a refusal:
    the refusal is raised after the transaction committed."""
    with transaction.atomic():
        challenge = _pending_challenge(phone, certificate_tail)
        refusal = _check_code(challenge, code)
        if refusal is None:
            _verified(challenge)
    if refusal is not None:
        raise refusal
    return challenge


def _check_code(challenge: SimSmsChallenge, code: str) -> SmsRefusal | None:
    if challenge.expires_at <= clock.now():
        _fail_request(challenge, "验证码已过期 / code expired")
        return SmsRefusal(
            "验证码已过期，备案已退回接入商", "The code expired; the filing went back"
        )
    if hmac.compare_digest(challenge.code_hash, _code_hash(challenge.pk, code.strip())):
        return None
    challenge.wrong_tries += 1
    challenge.save(update_fields=["wrong_tries"])
    if challenge.wrong_tries >= MAX_WRONG_TRIES:
        _fail_request(challenge, "验证码错误次数过多 / too many wrong codes")
        return SmsRefusal(
            "验证码错误次数过多，备案已退回接入商",
            "Too many wrong codes; the filing went back to the provider",
        )
    left = MAX_WRONG_TRIES - challenge.wrong_tries
    return SmsRefusal(f"验证码错误，还可尝试 {left} 次", f"Wrong code; {left} tries left")


def _verified(challenge: SimSmsChallenge) -> None:
    challenge.verified_at = clock.now()
    challenge.save(update_fields=["verified_at"])
    request = challenge.request
    if not request.challenges.filter(verified_at=None).exists():
        request.state = SimRequestState.REVIEW
        request.save(update_fields=["state"])
        queue_download(
            f"req {request.pk}: sms verified",
            results=[
                {
                    "codes": [extcodes.SMS_VERIFIED],
                    "operation": request.operation,
                    "key": request.key,
                }
            ],
        )
        _schedule(request)


def resend_sms(phone: str, certificate_tail: str) -> SimSmsChallenge:
    with transaction.atomic():
        challenge = _pending_challenge(phone, certificate_tail)
        if challenge.sends >= knob("AUTHORITY_SIM_SMS_MAX_SENDS", MAX_SENDS):
            raise SmsRefusal("重发次数已达上限", "No more resends allowed")
        challenge.sends += 1
        challenge.sent_at = clock.now()
        _send_code(challenge)
    return challenge


def _fail_request(challenge: SimSmsChallenge, why: str) -> None:
    SimSmsChallenge.objects.filter(pk=challenge.pk).update(failed=True)
    request = challenge.request
    request.state = SimRequestState.RETURNED
    request.opinion = why
    request.decided_at = clock.now()
    request.save(update_fields=["state", "opinion", "decided_at"])
    queue_download(
        f"req {request.pk}: sms failed",
        results=[
            {"codes": [extcodes.SMS_FAILED], "operation": request.operation, "key": request.key}
        ],
    )


# ---- decisions -------------------------------------------------------------------------------


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
        counter.last += 1
        counter.save(update_fields=["last"])
        return icp.subject_number(province, year, counter.last)


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
            s = item["subject"]
            s["first_filed"] = _when()
            subject = SimSubject.objects.create(
                isp_id=isp_id,
                number=next_number(request.province),
                province=request.province,
                certificate_number=(s["certificate_number"] or "").upper(),
                certificate_type=s["certificate_type"],
                data=s,
            )
            _add_websites(subject, item["websites"], isp_id)
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
        certificate_number=certificate_number.upper(),
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


# ---- the clock: expiry, automatic decisions, SMS delivery ------------------------------------


def tick() -> None:
    now = clock.now()
    for challenge in SimSmsChallenge.objects.filter(
        verified_at=None, failed=False, expires_at__lte=now, request__state=SimRequestState.SMS
    ):
        with transaction.atomic():
            _fail_request(challenge, "24小时内未完成短信核验 / not verified within 24 hours")
    st = state()
    due = SimRequest.objects.filter(state=SimRequestState.REVIEW, decide_at__lte=now)
    for request in due:
        if st.auto_decision == "reject":
            reject(request, [1020], "自动模式：驳回 / automatic mode: rejected")
        else:
            approve(request, "自动模式：通过 / automatic mode: approved")
    deliver_sms()


def sign(body: bytes) -> str:
    return hmac.new(setting("AUTHORITY_PASSWORD").encode(), body, hashlib.sha256).hexdigest()


def deliver_sms() -> int:
    """Hand the codes to Beian's SMS channel (one-machine mode), after commit."""
    url = knob("AUTHORITY_SIM_SMS_RELAY_URL", "http://127.0.0.1:8000/api/v1/authority/sms-relay")
    sent = 0
    for row in SimOutbox.objects.filter(sent_at=None).order_by("pk")[:50]:
        body = json.dumps({"phone": row.phone, "key": row.key, **row.context}).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Authority-Signature": sign(body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
        except OSError as exc:
            SimOutbox.objects.filter(pk=row.pk).update(error=str(exc)[:500])
            log.warning("SMS relay to %s failed: %s", url, exc)
            break
        SimOutbox.objects.filter(pk=row.pk).update(sent_at=clock.now(), error="")
        sent += 1
    return sent


# ---- faults ----------------------------------------------------------------------------------


def inject_fault(kind: str, method: str = "*", remaining: int = 1, seconds: float = 2.0):
    return SimFault.objects.create(
        kind=kind, method=method, remaining=remaining, seconds=seconds, created_at=clock.now()
    )


def take_faults(method: str) -> dict:
    """The faults that apply to this call (each used once per call)."""
    found = {}
    for fault in SimFault.objects.filter(remaining__gt=0).order_by("pk"):
        if fault.method not in ("*", method) or fault.kind in found:
            continue
        if fault.kind == "wrong_hash" and method != "isp_download":
            continue
        if fault.kind == "gap" and method != "isp_upload":
            continue
        fault.remaining -= 1
        fault.log = [*fault.log, {"at": _when(), "method": method}]
        fault.save(update_fields=["remaining", "log"])
        found[fault.kind] = fault
    return found
