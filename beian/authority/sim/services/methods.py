"""The six methods of the interface (isp_upload, isp_download, isp_downloadack,
isp_querypreviousupload, isp_querybeianstatus, isp_verifybamm) and the dispatcher."""

from __future__ import annotations

import base64
import hashlib

from django.db import transaction

from beian.authority import extcodes, soap
from beian.authority.codec import (
    CodecError,
    decode_payload,
    encode_payload,
    filing_password_digest,
)
from beian.authority.models import (
    SimDownload,
    SimState,
    SimSubject,
    SimUpload,
)
from beian.authority.sim.services.auth import _key_iv, authenticate
from beian.authority.sim.services.base import (
    Answer,
    _find_website_by_domain,
    _subject_by_number,
    state,
)
from beian.authority.sim.services.receiving import receive
from beian.authority.sim.services.timers import tick
from beian.core import clock, crypto


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
        # Nothing received yet: no fileInfos (the return schema makes its file fields
        # required, so an empty one would not be valid).
        return soap.return_xml(0, "操作成功")
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
            certificate_hash=crypto.lookup_hash(value), cancelled=False
        ).first()
        if subject is not None:
            body = head + soap.element("Ztbah", subject.number) + soap.element("Bazt", 0)
            return soap.return_xml(0, "操作成功", f"<StatusInfo>{body}</StatusInfo>")
    return soap.return_xml(
        0, "操作成功", f"<StatusInfo>{head}{soap.element('Bazt', 1)}</StatusInfo>"
    )


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
