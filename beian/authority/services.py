"""Beian's side of the exchange: send uploads, settle their outcome, process downloads.

Sending (``send_application``):

1. the file is built and stored as an :class:`Upload` with the next free ``dataSequence``
   *before* anything goes out (one transaction, counter row locked);
2. ``isp_upload``: code 0 → accepted (counter moved, in one transaction with the row), then
   the workflow event (``submit_to_authority`` / ``resubmit_to_authority``) is fired;
   code 14 → the missing files are re-sent from the store, then this one again;
   another code → refused, shown in words; no answer (timeout, SOAP fault, HTTP 500) →
   ``unknown``, settled by ``isp_querypreviousupload`` — never sent twice.

Receiving (``sync_downloads``): ``isp_download`` until nothing is left; each file is decoded
(hash checked, unzipped), stored and processed into the model in one transaction, and
acknowledged only after that transaction committed: every part of it (results here, the
others in ``beian.authority.downloads``) applied or set aside for staff. A result that cannot be applied is set
aside with its reason (``SetAside``) and retried (``retry_due``, ``retry_set_aside``); it
never holds back the files after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from beian.authority import (
    downloads,
    errors,  # noqa: F401 - registers refusal codes
    extcodes,
)
from beian.authority.client import AuthorityClient, TransportError, setting
from beian.authority.codec import (
    CodecError,
    EncodedPayload,
    build_upload_xml,
    decode_payload,
    encode_payload,
    parse_download_xml,
    upload_file_name,
)
from beian.authority.mapping import mapped, materials_upload
from beian.authority.models import (
    AuthorityId,
    DataSequence,
    DownloadFile,
    Exchange,
    SetAside,
    Upload,
    UploadStatus,
)
from beian.authority.returncodes import APPROVED, REJECTED
from beian.core import audit, clock
from beian.core.errors import Refusal
from beian.filings import workflow
from beian.filings.models import Application, Domain, ExternalRecord, Website
from beian.filings.states import ApplicationState as S

log = logging.getLogger(__name__)

AWAITING = (S.AUTHORITY_SUBMITTED, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW)
XSD_ERROR = 5001


# ---- uploads ---------------------------------------------------------------------------------


def build_upload(app, *, client: AuthorityClient, actor=None) -> Upload:
    """Store the file of ``app`` with the next free data sequence (not sent yet)."""
    return _store(app, mapped(app), client=client, actor=actor)


def build_materials_upload(app, *, client: AuthorityClient, actor=None) -> Upload:
    """Store an ``XZHYD`` file: the verification materials of ``app`` alone, for records
    the administration holds (it asked for them again: 1055, 1061, 5010)."""
    return _store(app, materials_upload(app), client=client, actor=actor)


def _store(app, m, *, client: AuthorityClient, actor=None) -> Upload:
    """The file of ``m`` (a ``Mapped``) with the next free data sequence, stored encrypted
    (it holds ID numbers and the materials' images), not sent yet."""
    try:
        xml = build_upload_xml(m.records, requester_id=client.isp_id)
    except CodecError as exc:
        raise Refusal("authority_payload_invalid", params={"detail": str(exc)[:300]}) from exc
    with transaction.atomic():
        counter, _ = DataSequence.objects.get_or_create(isp_id=client.isp_id)
        counter = DataSequence.objects.select_for_update().get(pk=counter.pk)
        in_flight = Upload.objects.filter(
            isp_id=client.isp_id,
            status__in=[UploadStatus.PENDING, UploadStatus.UNKNOWN],
        ).aggregate(m=Max("data_sequence"))["m"]
        seq = max(counter.last_accepted, in_flight or 0) + 1
        name = upload_file_name(client.isp_id, seq, clock.now())
        payload = encode_payload(
            xml,
            name,
            encrypt_algorithm=client.encrypt_algorithm,
            key=client.key or None,
            iv=client.iv or None,
        )
        return Upload.objects.create(
            isp_id=client.isp_id,
            data_sequence=seq,
            application=app,
            round=app.round,
            submitted_by=actor,
            upload_type=m.upload_type,
            operation=m.operation,
            result_key=m.result_key or "",
            file_name=name,
            xml=xml,
            beian_info=payload.beian_info,
            beian_info_hash=payload.beian_info_hash,
            hash_algorithm=payload.hash_algorithm,
            encrypt_algorithm=payload.encrypt_algorithm,
            created_at=clock.now(),
        )


def _payload(upload: Upload):
    return EncodedPayload(
        beian_info=upload.beian_info,
        beian_info_hash=upload.beian_info_hash,
        file_name=upload.file_name,
        hash_algorithm=upload.hash_algorithm,
        encrypt_algorithm=upload.encrypt_algorithm,
    )


def _log_fields(upload: Upload) -> dict:
    return {
        "upload": upload,
        "application_id": upload.application_id,
        "file_name": upload.file_name,
        "payload_hash": upload.beian_info_hash,
        "data_sequence": upload.data_sequence,
        "payload": bytes(upload.xml),
    }


def mark_accepted(upload: Upload, code: int = 0, message: str = "") -> None:
    with transaction.atomic():
        counter = DataSequence.objects.select_for_update().get(isp_id=upload.isp_id)
        counter.last_accepted = max(counter.last_accepted, upload.data_sequence)
        counter.save(update_fields=["last_accepted"])
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.ACCEPTED,
            accepted_at=clock.now(),
            return_code=code,
            return_message=message,
        )
    upload.refresh_from_db()


def _mark(upload: Upload, status: str, code=None, message: str = "") -> None:
    Upload.objects.filter(pk=upload.pk).update(
        status=status, return_code=code, return_message=message
    )
    upload.refresh_from_db()


def send(upload: Upload, client: AuthorityClient, *, repairing: bool = False) -> Upload:
    """Send one stored file and settle its status (accepted / refused / unknown)."""
    Upload.objects.filter(pk=upload.pk).update(attempts=upload.attempts + 1)
    try:
        answer = client.upload(_payload(upload), upload.data_sequence, log=_log_fields(upload))
    except TransportError as exc:
        _mark(upload, UploadStatus.UNKNOWN, message=str(exc))
        return reconcile(upload, client)
    if answer.code == 0:
        mark_accepted(upload, 0, answer.message)
    elif answer.code == 14 and not repairing:
        _mark(upload, UploadStatus.PENDING, 14, answer.message)
        repair_gap(answer.missing_sequences, client, upload.isp_id)
        return send(upload, client, repairing=True)
    else:
        _mark(upload, UploadStatus.REFUSED, answer.code, answer.message)
    return upload


def repair_gap(missing: list[int], client: AuthorityClient, isp_id: int) -> None:
    """Code 14: re-send, in order, the stored files the administration is missing."""
    for seq in sorted(missing):
        stored = (
            Upload.objects.filter(isp_id=isp_id, data_sequence=seq)
            .exclude(status=UploadStatus.REFUSED)
            .first()
        )
        if stored is None:
            raise Refusal(
                "authority_refused",
                params={
                    "code": 14,
                    "text": f"缺少第 {seq} 号数据文件，本地无存档 / file {seq} "
                    "is missing and not stored here",
                },
            )
        send(stored, client, repairing=True)
        if stored.status != UploadStatus.ACCEPTED:
            raise Refusal(
                "authority_refused",
                params={"code": stored.return_code or 14, "text": stored.return_message},
            )


def reconcile(upload: Upload, client: AuthorityClient) -> Upload:
    """Settle an upload whose answer was lost, by asking which file came last."""
    try:
        answer = client.query_previous_upload()
    except TransportError:
        return upload  # still unknown; `settle_unknown_uploads` tries again later
    if answer.code != 0:
        return upload
    last = int(answer.text("fileInfos/dataSequence") or 0)
    if last > upload.data_sequence or (
        last == upload.data_sequence
        and answer.text("fileInfos/beianInfoHash") == upload.beian_info_hash
    ):
        mark_accepted(upload, 0, "已由 isp_querypreviousupload 确认 / confirmed")
        return upload
    if last == upload.data_sequence - 1:
        # Not received: sending the same file again is safe.
        _mark(upload, UploadStatus.PENDING, message="未送达，重发 / not received; re-sending")
        return send(upload, client)
    if last < upload.data_sequence - 1:
        _mark(upload, UploadStatus.PENDING, message="序号缺口，先补发 / gap; repairing")
        repair_gap(list(range(last + 1, upload.data_sequence)), client, upload.isp_id)
        return send(upload, client, repairing=True)
    return upload


def settle_unknown_uploads(client: AuthorityClient | None = None) -> int:
    """Periodic: settle uploads still unknown and fire the workflow of accepted ones."""
    client = client or AuthorityClient.from_settings()
    count = 0
    for upload in Upload.objects.filter(status=UploadStatus.UNKNOWN).order_by("data_sequence"):
        reconcile(upload, client)
        count += 1
    for upload in Upload.objects.filter(status=UploadStatus.ACCEPTED, workflow_done=False):
        fire_submitted(upload)
    return count


def submit_event(app) -> str:
    return "resubmit_to_authority" if app.state == S.AUTHORITY_RETURNED else "submit_to_authority"


def fire_submitted(upload: Upload):
    """After acceptance: move the application to 'submitted to the administration'."""
    if upload.application_id is None or upload.workflow_done:
        return None
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=upload.application_id)
        if app.state in (S.READY, S.AUTHORITY_RETURNED):
            app = workflow.fire(
                app,
                submit_event(app),
                actor=upload.submitted_by,
                reason=f"dataSequence {upload.data_sequence}, {upload.file_name}",
            )
        Upload.objects.filter(pk=upload.pk).update(workflow_done=True)
    upload.refresh_from_db()
    return app


# ---- downloads -------------------------------------------------------------------------------


@dataclass
class SyncResult:
    files: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sync_downloads(client: AuthorityClient | None = None, limit: int = 100) -> SyncResult:
    """Download, process and acknowledge every file the administration has for us."""
    client = client or AuthorityClient.from_settings()
    result = SyncResult()
    for _ in range(limit):
        try:
            answer = client.download()
        except TransportError as exc:
            result.problems.append(f"isp_download: {exc}")
            break
        if answer.code == 2:  # nothing to download
            break
        if answer.code not in (0, 1, 3):
            zh, en = extcodes.describe(answer.code)
            result.problems.append(f"isp_download {answer.code}: {zh} / {en}")
            break
        name = answer.text("fileInfos/return_FileName") or ""
        stored = DownloadFile.objects.filter(file_name=name).first()
        if stored is None:
            try:
                _zip_name, xml = decode_payload(
                    answer.text("fileInfos/beianInfo") or "",
                    answer.text("fileInfos/beianInfoHash") or "",
                    hash_algorithm=int(answer.text("fileInfos/hashAlgorithm") or 0),
                    encrypt_algorithm=int(answer.text("fileInfos/encryptAlgorithm") or 0),
                    compression_format=int(answer.text("fileInfos/compressionFormat") or 0),
                    key=client.key or None,
                    iv=client.iv or None,
                )
            except CodecError as exc:
                # Not acknowledged: only a file that passed the integrity check and unzipped
                # is (spec 3-3-2); the administration sends it again next time.
                zh, en = extcodes.describe(exc.code or 999)
                result.problems.append(f"{name}: {zh} / {en} ({exc})")
                _note_exchange(answer, f"{type(exc).__name__}: {exc}")
                break
            stored = receive_download(name, xml)
        result.files.append(name)
        result.summary += stored.summary
        result.problems += stored.problems
        try:
            ack = client.download_ack(name)
        except TransportError as exc:
            result.problems.append(f"isp_downloadack {name}: {exc}")
            break
        if ack.code == 0:
            DownloadFile.objects.filter(pk=stored.pk).update(acknowledged_at=clock.now())
        if answer.code == 1:
            break
    return result


def _note_exchange(answer, error: str) -> None:
    if answer.exchange_id:
        Exchange.objects.filter(pk=answer.exchange_id).update(error=error)


def receive_download(name: str, xml: bytes) -> DownloadFile:
    """Store a file that arrived intact and apply what can be applied, in one transaction.

    Each result is applied in its own savepoint: one that cannot be applied (no upload
    awaits it, a number already held, a refused transition, an unexpected error) leaves
    nothing half-written and is set aside with its reason (:class:`SetAside`), to be retried;
    the others are applied. A file that cannot be read at all is set aside whole. Either way
    the file is stored, so the caller acknowledges it and the next files come."""
    with transaction.atomic():
        stored = DownloadFile.objects.create(
            file_name=name, received_at=clock.now(), xml=xml, summary=[], problems=[]
        )
        try:
            data = parse_download_xml(xml, file_name=name)
        except CodecError as exc:
            _set_aside(stored, None, None, "authority_download_unreadable", _detail(exc))
        else:
            _apply_file(stored, data)
        stored.save(update_fields=["processed_at", "summary", "problems"])
    return stored


def _detail(exc: Exception) -> dict:
    return {"detail": str(exc)[:300] or type(exc).__name__}


def _apply_file(stored: DownloadFile, data) -> None:
    """The BAJG results first (they move applications), then every item of the other parts
    (``beian.authority.downloads``); each applied or set aside with its reason."""
    issued = _store_ids(data.filings)
    if data.filings:
        stored.summary.append(
            f"BASJ: {len(data.filings)} 条备案数据，已记录管局标识 / "
            f"{len(data.filings)} filing(s), the administration's ids recorded"
        )
    for index, result in enumerate(data.results):
        outcome = _apply_one(result, data, issued)
        if isinstance(outcome, tuple):
            _set_aside(stored, index, result, *outcome)
        elif outcome:
            stored.summary.append(outcome)
    for part, index, item in downloads.items_of(data):
        outcome = _apply_part(stored, part, index, item)
        if isinstance(outcome, tuple):
            _set_aside(stored, index, None, *outcome, part=part)
        else:
            stored.summary.append(outcome)
    stored.processed_at = clock.now()


def _apply_part(stored, part: str, index: int, item):
    """The summary line of an applied item, or (reason code, params) of one set aside."""
    try:
        with transaction.atomic():  # a savepoint: a failure here writes nothing
            return downloads.apply_item(stored, part, index, item)
    except Refusal as exc:
        return exc.code, json.loads(json.dumps(exc.params or {}, default=str))
    except Exception as exc:  # set aside, never stop the other items or the sync
        log.exception("download part %s #%s not applied", part, index)
        return "authority_result_failed", {"error": type(exc).__name__}


def _apply_one(result, data, issued):
    """The summary line of an applied result, or (reason code, params) of one set aside."""
    try:
        with transaction.atomic():  # a savepoint: a failure here writes nothing
            return _apply_result(result, data, issued)
    except Refusal as exc:
        return exc.code, json.loads(json.dumps(exc.params or {}, default=str))
    except Exception as exc:  # set aside, never stop the other results or the sync
        log.exception("download result Czlx %s Bs %s not applied", result.operation, result.key)
        return "authority_result_failed", {"error": type(exc).__name__}


def _set_aside(
    stored, index, result, code: str, params: dict, item=None, part: str = "BAJG"
) -> SetAside:
    now = clock.now()
    upload = _find_upload(result) if result is not None else None
    if item is None:
        item = SetAside(
            download=stored,
            part=part,
            index=index,
            operation=getattr(result, "operation", None),
            key=(getattr(result, "key", "") or "")[:64],
            created_at=now,
            attempts=0,
        )
    item.application = upload.application if upload else item.application
    item.reason_code, item.reason_params = code, params
    item.attempts += 1
    item.last_attempt_at = now
    item.next_attempt_at = now + dt.timedelta(seconds=retry_delay(item.attempts))
    item.save()
    stored.problems.append(
        f"{stored.file_name} {item.part} #{index if index is not None else '-'}: "
        f"{item.reason('zh-hans')} / {item.reason('en')}"
    )
    return item


def retry_delay(attempts: int) -> float:
    """Seconds before the next automatic try after `attempts` tries: doubling, capped."""
    base = settings.BEIAN["AUTHORITY_SET_ASIDE_RETRY_BASE_SECONDS"]
    cap = settings.BEIAN["AUTHORITY_SET_ASIDE_RETRY_MAX_SECONDS"]
    return min(cap, base * 2 ** max(0, attempts - 1))


def retry_set_aside(item: SetAside, *, actor=None) -> SetAside:
    """Try a set-aside result (or file) again from the stored copy: resolved when it
    applies now, else its reason is updated and the next try pushed back."""
    with transaction.atomic():
        item = SetAside.objects.select_for_update().select_related("download").get(pk=item.pk)
        if item.resolved_at is not None:
            return item
        stored = item.download
        if actor is not None:
            audit.record(
                actor=actor,
                object_type="download_set_aside",
                object_id=item.pk,
                verb="retry",
                data={"file": stored.file_name, "index": item.index},
            )
        try:
            data = parse_download_xml(bytes(stored.xml), file_name=stored.file_name)
        except CodecError as exc:
            _set_aside(
                stored, item.index, None, "authority_download_unreadable", _detail(exc), item
            )
            stored.save(update_fields=["problems"])
            return item
        if item.index is None:  # the file is readable now: apply it as on arrival
            _resolve(item, actor)
            _apply_file(stored, data)
        elif item.part != "BAJG":
            try:
                part_item = downloads.item_at(data, item.part, item.index)
            except Refusal as exc:
                outcome = (exc.code, exc.params or {})
            else:
                outcome = _apply_part(stored, item.part, item.index, part_item)
            if isinstance(outcome, tuple):
                _set_aside(stored, item.index, None, *outcome, item=item)
            else:
                _resolve(item, actor)
                stored.summary.append(outcome)
        else:
            result = data.results[item.index]
            outcome = _apply_one(result, data, _store_ids(data.filings))
            if isinstance(outcome, tuple):
                _set_aside(stored, item.index, result, *outcome, item=item)
            else:
                _resolve(item, actor)
                if outcome:
                    stored.summary.append(outcome)
        stored.save(update_fields=["processed_at", "summary", "problems"])
    return item


def _resolve(item: SetAside, actor) -> None:
    item.resolved_at, item.next_attempt_at = clock.now(), None
    item.resolved_by = actor if getattr(actor, "pk", None) else None
    item.save(update_fields=["resolved_at", "next_attempt_at", "resolved_by"])


def retry_due() -> int:
    """Periodic: retry every set-aside result whose next try is due; how many applied."""
    due = SetAside.objects.filter(resolved_at=None, next_attempt_at__lte=clock.now())
    applied = 0
    for item in due.order_by("created_at", "pk"):
        if retry_set_aside(item).resolved_at is not None:
            applied += 1
    return applied


def _store_ids(filings) -> dict:
    """Remember the administration's ids of our domains, accesses and IPs."""
    issued = {}
    for filing in filings:
        issued[("subject", filing.isp_subject_id)] = filing
        issued[("number", filing.subject_number)] = filing
        for w in filing.websites:
            for d in w.domains:
                local = (
                    Domain.objects.filter(website_id=w.isp_website_id or 0, name=d.domain).first()
                    if w.isp_website_id
                    else None
                )
                if local is None and d.isp_domain_id:
                    local = Domain.objects.filter(pk=d.isp_domain_id, name=d.domain).first()
                if local is not None:
                    _remember("domain", local.pk, d.domain_id)
            for a in w.accesses:
                if a.isp_access_id:
                    _remember("access", a.isp_access_id, a.access_id)
                for ip in a.ips:
                    if ip.isp_ip_id:
                        _remember("ip", ip.isp_ip_id, ip.ip_id)
    return issued


def _remember(kind: str, local_id: int, authority_id: int) -> None:
    AuthorityId.objects.update_or_create(
        kind=kind, local_id=local_id, defaults={"authority_id": authority_id}
    )


def _find_upload(result) -> Upload | None:
    return (
        Upload.objects.filter(
            status=UploadStatus.ACCEPTED,
            answered=False,
            operation=result.operation,
            result_key=result.key or "",
            application__state__in=AWAITING,
        )
        .select_related("application")
        .order_by("data_sequence")
        .first()
    )


def _fire(app, event: str, *, reason: str = "", data: dict | None = None):
    return workflow.fire(app, event, actor=None, reason=reason, data=data or {})


def _catch_up(app, final: bool):
    """Bring the application to 'under review' when the province skipped telling us."""
    if app.state == S.AUTHORITY_SUBMITTED:
        app = _fire(app, "authority_received", reason="随结果一并确认 / implied by the result")
    if final and app.state == S.SMS_VERIFICATION:
        app = _fire(app, "sms_verified", reason="随结果一并确认 / implied by the result")
    return app


def _apply_result(result, data, issued) -> str | None:
    codes = [c.code for c in result.codes]
    if XSD_ERROR in codes:
        return _xsd_error(result)
    upload = _find_upload(result)
    if upload is None:
        raise Refusal("authority_result_unmatched", status=409)
    app = upload.application
    zh, en = extcodes.describe(codes[0])
    if extcodes.RECEIVED in codes:
        if app.state == S.AUTHORITY_SUBMITTED:
            _fire(app, "authority_received", reason=zh)
        return f"{app.number}: {zh} / {en}"
    if extcodes.SMS_VERIFIED in codes:
        app = _catch_up(app, final=False)
        if app.state == S.SMS_VERIFICATION:
            _fire(app, "sms_verified", reason=zh)
        return f"{app.number}: {zh} / {en}"
    if extcodes.SMS_FAILED in codes:
        app = _catch_up(app, final=False)
        if app.state == S.SMS_VERIFICATION:
            _fire(app, "sms_failed", reason=zh)
        Upload.objects.filter(pk=upload.pk).update(answered=True)
        return f"{app.number}: {zh} / {en}"
    app = _catch_up(app, final=True)
    if APPROVED in codes:
        _fire(app, "authority_approve", data=_approval_data(app, issued), reason=zh)
    else:
        _fire(app, "authority_reject", data={"reasons": _reasons(result, data)}, reason=zh)
    Upload.objects.filter(pk=upload.pk).update(answered=True)
    return f"{app.number}: {zh} / {en}"


def _reasons(result, data) -> list[dict]:
    reasons = [{"field": "", "text": f"{c.zh}（{c.en}；代码 {c.code}）"} for c in result.reasons]
    for review in data.reviews:
        if review.opinion and review.operation in (None, result.operation):
            reasons.append({"field": "", "text": f"管局审核意见 / Opinion: {review.opinion}"})
    if not reasons:
        zh, en = extcodes.describe(REJECTED)
        reasons.append({"field": "", "text": f"{zh}（{en}）"})
    return reasons


def _approval_data(app, issued) -> dict:
    """Numbers and record ids for ``authority_approve`` from the BASJ part of the file."""
    subject = app.subject
    filing = issued.get(("subject", subject.pk)) or issued.get(("number", subject.icp_number))
    data: dict = {"website_numbers": {}, "website_record_ids": {}}
    if filing is None:
        return data
    if filing.subject_number and not subject.icp_number:
        data["subject_number"] = filing.subject_number
    data["subject_record_id"] = filing.subject_id
    mine = {w.pk: w for w in app.websites.all()}
    for w in filing.websites:
        local = mine.get(w.isp_website_id) or next(
            (x for x in mine.values() if x.icp_number and x.icp_number == w.number), None
        )
        if local is None:
            continue
        if w.number and not local.icp_number:
            data["website_numbers"][str(local.pk)] = w.number
        data["website_record_ids"][str(local.pk)] = w.website_id
    if app.filing_type in ("change_subject", "change_website", "change_access"):
        _subject_record_ids(subject, filing)
    return data


def _subject_record_ids(subject, filing) -> None:
    for w in filing.websites:
        Website.objects.filter(subject=subject, icp_number=w.number).update(
            authority_record_id=str(w.website_id)
        )


def _xsd_error(result) -> str:
    """5001: the file did not match the XSD; Dmms names the file. Give the application back."""
    names = [c.message for c in result.codes if c.message]
    upload = Upload.objects.filter(file_name__in=names).select_related("application").first()
    if upload is None or upload.application is None:
        raise Refusal("authority_payload_invalid", params={"detail": ", ".join(names)})
    app = _catch_up(upload.application, final=True)
    zh, en = extcodes.describe(XSD_ERROR)
    _fire(app, "authority_reject", data={"reasons": [{"field": "", "text": f"{zh}（{en}）"}]})
    Upload.objects.filter(pk=upload.pk).update(answered=True)
    return f"{app.number}: {zh} / {en}"


# ---- queries for the portal ------------------------------------------------------------------

CONDITION_DOMAIN = 0
CERTIFICATE_CONDITIONS = {"uscc": 1, "resident_id": 2, "passport": 7, "tw_permit": 11}


@dataclass
class FilingStatus:
    filed: bool
    subject_number: str | None = None
    website_number: str | None = None
    website_name: str | None = None


def query_status(
    *,
    domain: str | None = None,
    certificate_type: str | None = None,
    certificate_number: str | None = None,
    client=None,
) -> FilingStatus:
    """isp_querybeianstatus: is this domain (or subject certificate) filed anywhere?"""
    client = client or AuthorityClient.from_settings()
    if domain:
        answer = client.query_beian_status(CONDITION_DOMAIN, domain)
    else:
        kind = CERTIFICATE_CONDITIONS.get(certificate_type or "")
        if kind is None:
            raise Refusal(
                "authority_code_missing",
                params={"what": "queryConditionType", "value": certificate_type},
            )
        answer = client.query_beian_status(kind, certificate_number or "")
    if answer.code != 0:
        zh, _en = extcodes.describe(answer.code)
        raise Refusal("authority_refused", params={"code": answer.code, "text": zh})
    return FilingStatus(
        filed=answer.text("StatusInfo/Bazt") == "0",
        subject_number=answer.text("StatusInfo/Ztbah"),
        website_number=answer.text("StatusInfo/Wzbah"),
        website_name=answer.text("StatusInfo/Wzmc"),
    )


def learn_external(kind: str, key_hash: str, status: FilingStatus):
    """Keep what isp_querybeianstatus said as an ExternalRecord (for decide_filing_type)."""
    number = status.website_number if kind == "domain" else status.subject_number
    if not status.filed or not number:
        return None
    record, _ = ExternalRecord.objects.update_or_create(
        kind=kind,
        key_hash=key_hash,
        defaults={"icp_number": number, "learned_at": clock.now()},
    )
    return record


def verify_filing_password(number: str, filing_password: str, client=None) -> bool:
    """isp_verifybamm: is this the filing password of this ICP number?"""
    client = client or AuthorityClient.from_settings()
    answer = client.verify_bamm(number, filing_password)
    if answer.code != 0:
        zh, _en = extcodes.describe(answer.code)
        raise Refusal("authority_refused", params={"code": answer.code, "text": zh})
    return answer.text("VerifyRes") == "0"


# The path of the simulator's extension (not in interface 3.0): see reset_filing_password.
PASSWORD_RESET_PATH = "/bamm/reset"


def reset_filing_password(number: str) -> bool:
    """Ask the administration to reset the filing password of this ICP number and send
    the new one to the subject's contacts (忘记备案密码). Interface 3.0 has no such
    method (a filer resets on MIIT's own site); the simulator offers it at
    ``AUTHORITY_URL`` + ``/bamm/reset``, signed with the relays' secret.

    True when sent; a Refusal with the administration's reason when refused;
    TransportError when it cannot be reached or does not offer the extension."""
    body = json.dumps({"number": number}).encode()
    signature = hmac.new(
        str(setting("AUTHORITY_SMS_RELAY_SECRET") or "").encode(), body, hashlib.sha256
    ).hexdigest()
    request = urllib.request.Request(
        str(setting("AUTHORITY_URL")).rstrip("/") + PASSWORD_RESET_PATH,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Authority-Signature": signature},
    )
    try:
        with urllib.request.urlopen(
            request, timeout=float(setting("AUTHORITY_TIMEOUT_SECONDS"))
        ) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read() or b"{}")
        except ValueError:
            answer = {}
        code = answer.get("code")
        if code in ("filing_password_reset_wrong_subject", "filing_password_reset_too_many"):
            raise Refusal(code, status=exc.code) from None
        raise TransportError(f"password reset: HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise TransportError(f"password reset: {exc}") from None
    return bool(answer.get("ok"))
