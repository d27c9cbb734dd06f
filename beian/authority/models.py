"""Beian's side of the exchange with the provincial administration, and the simulator's tables.

Client side (Beian):

* :class:`DataSequence` — the ``dataSequence`` counter, one row per ISP id, moved under a row
  lock in the same transaction that marks an upload accepted.
* :class:`Upload` — every file we send, stored *before* it is sent, so a gap (code 14) or an
  unknown outcome (timeout) is repaired by re-sending exactly the same file.
* :class:`Exchange` — the log of every call: method, time, file name, hash, data sequence,
  return code, and the payload itself (kept ``AUTHORITY_EXCHANGE_RETENTION_DAYS``; the spec
  asks for at least 3 months).
* :class:`DownloadFile` — every file downloaded, processed, then acknowledged.
* :class:`SetAside` — a downloaded result (or file) that could not be applied, with its
  reason, retried with backoff and by an operator.
* :class:`AuthorityId` — the administration's ids of our domains, accesses and IPs
  (subjects and websites keep theirs in ``authority_record_id``).
* :class:`CodeTableSet` — the code tables a JCDM download brought (``codes.store_jcdm``); the
  newest row is the set in force (``codes.current()``), none: the bundled set.
* :class:`AuthorityTask` — work the administration gave the provider's staff (a change
  notice XGTZ, a verification task HSRW, a check result HCJG), with its deadline.
* :class:`ListedEntry` — the administration's lists (HMDLB blacklists, FFJRHMD illegal
  access, WBAWZLB unfiled sites), PII encrypted.
* :class:`ReceivedPart` — the parts kept for staff as they came (SJTB, IP, YM).

Simulator side (tables named ``authority_sim*``): used only by the ``authority-sim`` process,
which runs with its own database file (see docs/decisions/0003-authority-simulator.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from beian.authority.returncodes import describe
from beian.core.errors import message_for
from beian.core.fields import (
    EncryptedBinaryField,
    EncryptedJSONField,
    EncryptedTextField,
    PiiModel,
)


class DataSequence(models.Model):
    isp_id = models.BigIntegerField(unique=True)
    last_accepted = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.isp_id}: {self.last_accepted}"


class UploadStatus(models.TextChoices):
    PENDING = "pending", "待发送 / Not sent yet"
    UNKNOWN = "unknown", "结果未知，待核对 / Outcome unknown, to reconcile"
    ACCEPTED = "accepted", "管局已受理 / Accepted"
    REFUSED = "refused", "管局拒收 / Refused"


class Upload(models.Model):
    """One XML file for isp_upload. ``data_sequence`` is fixed when the file is built."""

    isp_id = models.BigIntegerField()
    data_sequence = models.BigIntegerField(db_index=True)
    application = models.ForeignKey(
        "filings.Application", null=True, on_delete=models.PROTECT, related_name="uploads"
    )
    round = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload_type = models.CharField(max_length=8)  # XZBA XZWZ XZJR BGBA ZXBA
    operation = models.PositiveSmallIntegerField()  # Czlx of the results that answer it
    result_key = models.CharField(max_length=255, blank=True)  # Bs of those results
    file_name = models.CharField(max_length=128)
    # The file holds ID numbers, phones and e-mails: encrypted at rest (the PII key).
    xml = EncryptedBinaryField()
    beian_info = EncryptedTextField()
    beian_info_hash = models.CharField(max_length=64)
    hash_algorithm = models.PositiveSmallIntegerField(default=0)
    encrypt_algorithm = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.PENDING, db_index=True
    )
    return_code = models.IntegerField(null=True, blank=True)
    return_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    workflow_done = models.BooleanField(default=False)  # submit event fired for it
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)  # the administration's decision arrived

    class Meta:
        ordering = ["data_sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["isp_id", "data_sequence"],
                condition=models.Q(status__in=["accepted", "unknown", "pending"]),
                name="upload_sequence_once",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.data_sequence} {self.upload_type} [{self.status}]"


class Exchange(models.Model):
    """One call of one method (one attempt)."""

    method = models.CharField(max_length=32, db_index=True)
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    attempt = models.PositiveSmallIntegerField(default=1)
    file_name = models.CharField(max_length=128, blank=True)
    payload_hash = models.CharField(max_length=64, blank=True)
    data_sequence = models.BigIntegerField(null=True, blank=True)
    return_code = models.IntegerField(null=True, blank=True)
    return_message = models.TextField(blank=True)
    error = models.TextField(blank=True)  # transport problem: timeout, SOAP fault, HTTP 500
    # Encrypted at rest: the parameters (a look-up's certificate number; password
    # hash and payload left out), the XML file sent or received, the return XML.
    request = EncryptedJSONField(default=dict)
    payload = EncryptedBinaryField(null=True, blank=True)
    response = EncryptedTextField(blank=True)
    upload = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.SET_NULL)
    application = models.ForeignKey(
        "filings.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    @property
    def outcome(self) -> tuple[str, str]:
        """What happened, in words (Chinese, English), for operators."""
        if self.error:
            return ("通信失败：" + self.error, "Transport failure: " + self.error)
        if self.return_code is None:
            return ("无返回", "No answer")
        return describe(self.return_code)

    def __str__(self) -> str:
        return f"{self.method} {self.started_at:%Y-%m-%d %H:%M:%S} → {self.return_code}"


class DownloadFile(models.Model):
    file_name = models.CharField(max_length=128, unique=True)
    received_at = models.DateTimeField()
    xml = EncryptedBinaryField()
    processed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=list)  # what was done, one line per result
    problems = models.JSONField(default=list)  # what needs an operator

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class SetAside(models.Model):
    """A downloaded result that could not be applied (or a whole file that could not be
    read): kept with its reason, shown to the operators, retried with backoff and on demand.
    The file itself was acknowledged (it arrived intact), so it never blocks the next ones."""

    download = models.ForeignKey(DownloadFile, on_delete=models.PROTECT, related_name="set_aside")
    # The part of the file (BAJG, ZXSJ, XGTZ, HSRW, ...) and which item of it, from 0
    # (BAJG: which Jg_xx); index None: the file could not be read at all.
    part = models.CharField(max_length=16, default="BAJG")
    index = models.PositiveIntegerField(null=True, blank=True)
    operation = models.IntegerField(null=True, blank=True)  # Czlx
    key = models.CharField(max_length=64, blank=True)  # Bs
    application = models.ForeignKey(
        "filings.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_code = models.CharField(max_length=64)  # a registered refusal code
    reason_params = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resolved_at", "next_attempt_at"], name="set_aside_due")]

    def __str__(self) -> str:
        return f"{self.download.file_name} #{self.index}"

    def reason(self, language: str | None = None) -> str:
        """The reason in the reader's language (the refusal's registered text)."""
        return message_for(self.reason_code, language, **self.reason_params)


class AuthorityId(models.Model):
    """The administration's id of one of our rows (kind: domain, access, ip)."""

    kind = models.CharField(max_length=10)
    local_id = models.BigIntegerField()
    authority_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "local_id"], name="authority_id_once")
        ]


class TaskKind(models.TextChoices):
    CHANGE_NOTICE = "change_notice", "整改通知 / Change notice"
    VERIFICATION = "verification", "核实任务 / Verification task"
    CHECK_RESULT = "check_result", "核查结果 / Check result"
    CANCELLED = "cancelled", "管局注销 / Cancelled by the administration"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待处理 / Open"
    DONE = "done", "已处理 / Done"


class AuthorityTask(models.Model):
    """Work the administration handed to the provider's staff, with its deadline.

    ``data`` is the part's item as it came (a verification task carries the whole filing,
    with names, certificate numbers and phones: encrypted). ``text`` is what staff read
    (Chinese first); the subject and website are ours when the record ids matched."""

    kind = models.CharField(max_length=16, choices=TaskKind.choices)
    part = models.CharField(max_length=16)  # XGTZ, HSRW, HCJG, ZXSJ
    download = models.ForeignKey(DownloadFile, on_delete=models.PROTECT, related_name="tasks")
    index = models.PositiveIntegerField()  # the item of the part, from 0
    subject = models.ForeignKey(
        "filings.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    website = models.ForeignKey(
        "filings.Website", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    province = models.CharField(max_length=6, blank=True, db_index=True)
    record_id = models.BigIntegerField(null=True, blank=True)  # the administration's id
    number = models.CharField(max_length=44, blank=True)  # ICP number named by the part
    text = EncryptedTextField()
    data = EncryptedJSONField(default=dict)
    deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["download", "part", "index"], name="authority_task_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.part} #{self.index} ({self.download_id})"


class ListKind(models.TextChoices):
    SUBJECT_BLACKLIST = "subject_blacklist", "主体黑名单 / Subject blacklist"
    WEBSITE_BLACKLIST = "website_blacklist", "网站黑名单 / Website blacklist"
    ILLEGAL_ACCESS = "illegal_access", "非法接入黑名单 / Illegal-access blacklist"
    UNFILED = "unfiled", "未备案网站 / Unfiled website"


class ListedEntry(PiiModel):
    """One entry of a list the administration keeps (HMDLB, FFJRHMD, WBAWZLB).

    Matched by keyed hashes (a subject's certificate number, as ``Subject.certificate_hash``)
    and by the domain name (punycode, lower case); names and numbers are encrypted."""

    kind = models.CharField(max_length=20, choices=ListKind.choices, db_index=True)
    key = models.CharField(max_length=128)  # stable key within the kind (id, domain, hash)
    domain = models.CharField(max_length=253, blank=True, db_index=True)
    name = EncryptedTextField(blank=True, default="")  # Dwmc / Wzmc
    certificate_type = models.IntegerField(null=True, blank=True)  # Zjlx (code table id)
    certificate_number = EncryptedTextField(blank=True, default="")
    certificate_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.CharField(max_length=45, blank=True)
    data = EncryptedJSONField(default=dict)  # the item as it came
    active = models.BooleanField(default=True)  # Czlx 2 (删除) ends an entry
    download = models.ForeignKey(DownloadFile, on_delete=models.PROTECT, related_name="+")
    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    PII_HASHES = {"certificate_number": "certificate_hash"}

    class Meta:
        ordering = ["kind", "-updated_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="listed_entry_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.domain or self.key[:12]}"


class ReceivedPart(models.Model):
    """A part kept for staff as it came (SJTB, IP, YM), with what it means."""

    download = models.ForeignKey(DownloadFile, on_delete=models.PROTECT, related_name="parts")
    part = models.CharField(max_length=24)  # e.g. "SJTB/ICP", "IP/HCJG", "YM/BAJG"
    items = models.PositiveIntegerField(default=0)
    data = EncryptedJSONField(default=dict)  # registrants, contacts: encrypted
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-pk"]


class CodeTableSet(models.Model):
    """One set of code tables as the province sent it (JCDM), merged over the set before it.

    Written only by ``codes.store_jcdm``; read by ``codes.current()`` (the newest row). Rows
    are kept, so what was in force when an upload was built can be told afterwards."""

    tables = models.JSONField()  # CodeTables.to_dict(): {table: [{id, name, ...}, ...]}
    digest = models.CharField(max_length=64)  # SHA-256 of the tables: the readers' cache key
    source = models.CharField(max_length=128, blank=True)  # the download's file name
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.source or 'JCDM'} @ {self.stored_at:%Y-%m-%d %H:%M}"


class ReservedIspId(models.Model):
    """An ``Isp*id`` for a record Beian does not hold yet (a domain a change adds: its row
    is made when the change is approved). ``beian.authority.ids`` gives it out; the id is
    ``RESERVED_BASE + pk``, apart from every primary key, and the same on every rebuild."""

    kind = models.CharField(max_length=10)  # domain
    application = models.ForeignKey(
        "filings.Application", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=253)  # e.g. the domain name

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "application", "key"], name="reserved_isp_id_once"
            )
        ]


# ---- the simulator -------------------------------------------------------------------------


class SimState(models.Model):
    """The simulator's settings and id counter (one row)."""

    auto_mode = models.BooleanField(default=False)
    auto_decision = models.CharField(max_length=8, default="approve")  # approve | reject
    auto_delay_working_days = models.PositiveIntegerField(default=0)
    auto_sms = models.BooleanField(default=False)  # answer the SMS codes by itself (demo)
    next_id = models.BigIntegerField(default=1000)
    last_sequence = models.BigIntegerField(default=0)  # last accepted dataSequence

    class Meta:
        db_table = "authority_sim_state"


class SimUpload(models.Model):
    isp_id = models.BigIntegerField()
    data_sequence = models.BigIntegerField()
    file_name = models.CharField(max_length=128)
    beian_info = EncryptedTextField()
    beian_info_hash = models.CharField(max_length=64)
    hash_algorithm = models.PositiveSmallIntegerField(default=0)
    encrypt_algorithm = models.PositiveSmallIntegerField(default=0)
    xml = EncryptedBinaryField()
    received_at = models.DateTimeField()

    class Meta:
        db_table = "authority_sim_upload"
        ordering = ["data_sequence"]


class SimRequestState(models.TextChoices):
    SMS = "sms", "待短信核验 / SMS verification"
    REVIEW = "review", "待审核 / Under review"
    APPROVED = "approved", "已通过 / Approved"
    REJECTED = "rejected", "已驳回 / Rejected"
    RETURNED = "returned", "短信核验失败，已退回 / SMS failed, returned"


class SimRequest(models.Model):
    """One request of an upload (a Baxx, Xzxx, Bgxx or Zx_xx), as the administration sees it."""

    upload = models.ForeignKey(SimUpload, on_delete=models.CASCADE, related_name="requests")
    operation = models.PositiveSmallIntegerField()  # Czlx 1..7
    key = models.CharField(max_length=255)  # Bs of the results
    record_id = models.BigIntegerField(null=True)  # Jlid of GJSHS
    province = models.CharField(max_length=6)
    data = EncryptedJSONField(default=dict)  # normalised subject/websites/cancellation
    state = models.CharField(max_length=10, choices=SimRequestState.choices)
    received_at = models.DateTimeField()
    decide_at = models.DateTimeField(null=True, blank=True)  # automatic mode
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.JSONField(default=list)  # [code, ...]
    opinion = models.TextField(blank=True)
    phone_checks = EncryptedJSONField(default=list)  # [{"at", "phone", "result", "note"}]

    class Meta:
        db_table = "authority_sim_request"
        ordering = ["-received_at", "-pk"]


class SimSubject(models.Model):
    """A filed subject at the administration (Ztid = pk)."""

    isp_id = models.BigIntegerField(null=True)
    number = models.CharField(max_length=40, unique=True)
    province = models.CharField(max_length=6)
    # The keyed hash of the certificate number (crypto.lookup_hash): the number
    # itself is only in the encrypted `data`.
    certificate_hash = models.CharField(max_length=64, db_index=True)
    certificate_type = models.PositiveIntegerField()
    data = EncryptedJSONField(default=dict)
    filing_password_md5 = models.CharField(max_length=32, blank=True)
    cancelled = models.BooleanField(default=False)
    next_index = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "authority_sim_subject"


class SimWebsite(models.Model):
    """A filed website (Wzid = pk); ``data`` holds domains and accesses with their ids."""

    subject = models.ForeignKey(SimSubject, on_delete=models.CASCADE, related_name="websites")
    number = models.CharField(max_length=44, unique=True)
    data = EncryptedJSONField(default=dict)
    cancelled = models.BooleanField(default=False)

    class Meta:
        db_table = "authority_sim_website"


class SimSmsChallenge(PiiModel):
    request = models.ForeignKey(SimRequest, on_delete=models.CASCADE, related_name="challenges")
    role = models.CharField(max_length=10)  # subject | website
    name = models.CharField(max_length=128, blank=True)
    phone = EncryptedTextField()
    phone_hash = models.CharField(max_length=64, db_index=True, default="")
    certificate_tail = models.CharField(max_length=6)
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sends = models.PositiveIntegerField(default=1)
    wrong_tries = models.PositiveIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)

    PII_HASHES = {"phone": "phone_hash"}

    class Meta:
        db_table = "authority_sim_sms"


class SimOutbox(models.Model):
    """SMS the simulator still has to hand to Beian's SMS channel (after commit)."""

    phone = EncryptedTextField()
    context = EncryptedJSONField(default=dict)
    key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "authority_sim_outbox"


class SimDownload(models.Model):
    """A file waiting to be downloaded by the ISP; acknowledged files stay for the console."""

    file_name = models.CharField(max_length=128, unique=True)
    xml = EncryptedBinaryField()
    summary = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "authority_sim_download"
        ordering = ["pk"]


class SimSerialCounter(models.Model):
    province = models.CharField(max_length=6)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "authority_sim_serial"
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="sim_serial_unique")
        ]


class SimFault(models.Model):
    """A fault to inject into the next ``remaining`` calls of ``method`` ("*" = any)."""

    KINDS = [
        ("slow", "慢响应 / Slow answer"),
        ("soap_fault", "SOAP Fault"),
        ("server_error", "HTTP 500"),
        ("wrong_hash", "下载哈希错误 / Wrong download hash"),
        ("gap", "丢失上一次上报 / Lose the last upload (sequence gap)"),
    ]
    kind = models.CharField(max_length=16, choices=KINDS)
    method = models.CharField(max_length=32, default="*")
    remaining = models.PositiveIntegerField(default=1)
    seconds = models.FloatField(default=2.0)  # for "slow"
    created_at = models.DateTimeField()
    log = models.JSONField(default=list)  # when it fired

    class Meta:
        db_table = "authority_sim_fault"
