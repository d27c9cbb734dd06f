"""The filing model: subject, persons in charge, websites, domains, access,
applications (orders) and the approved records with their ICP numbers.

A first filing or an add-website creates Subject/Website/Domain rows in the
`pending` status; approval files them (ICP numbers set). Changes carry their
proposed values in `Application.changes` and apply them on approval, so the
filed record stays what the administration approved until then.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction

from beian.accounts.models import Role
from beian.core import clock
from beian.core.fields import EncryptedTextField, PiiModel
from beian.core.masking import mask_name
from beian.core.storage import get_private_storage
from beian.filings.states import (
    AUTHORITY_VISIBLE,
    ApplicationState,
    FilingType,
    OriginalsState,
    PhotoMethod,
    PhotoState,
)


class SubjectNature(models.TextChoices):
    INDIVIDUAL = "individual", "个人 / Individual"
    ENTERPRISE = "enterprise", "企业 / Enterprise"
    GOVERNMENT = "government", "政府机关 / Government"
    INSTITUTION = "institution", "事业单位 / Public institution"
    SOCIAL_ORGANIZATION = "social_org", "社会团体 / Social organisation"
    MILITARY = "military", "军队 / Military"
    OTHER = "other", "其他 / Other"


STATE_NATURES = {SubjectNature.GOVERNMENT, SubjectNature.INSTITUTION, SubjectNature.MILITARY}


class CertificateType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证 / Resident ID card"
    USCC = "uscc", "统一社会信用代码 / Unified social credit code"
    PASSPORT = "passport", "护照 / Passport"
    HK_MO_PERMIT = "hk_mo_permit", "港澳居民来往内地通行证 / HK-Macao permit"
    TW_PERMIT = "tw_permit", "台湾居民来往大陆通行证 / Taiwan permit"
    OTHER = "other", "其他 / Other"


class Language(models.TextChoices):
    """A website's service language (网站语言, Yylb): the languages the code table has; its
    id comes from codes.json's ``beian`` map (``codes.choice``) when the upload is built."""

    ZH_HANS = "zh_hans", "中文简体 / Simplified Chinese"
    ZH_HANT = "zh_hant", "中文繁体 / Traditional Chinese"
    EN = "en", "英语 / English"
    JA = "ja", "日语 / Japanese"
    KO = "ko", "韩语 / Korean"
    RU = "ru", "俄语 / Russian"
    FR = "fr", "法语 / French"
    ES = "es", "西班牙语 / Spanish"
    AR = "ar", "阿拉伯语 / Arabic"
    MN = "mn", "蒙古语 / Mongolian"
    BO = "bo", "藏语 / Tibetan"
    UG = "ug", "维吾尔语 / Uyghur"


def default_languages() -> list[str]:
    return [Language.ZH_HANS.value]


class CancelReason(models.TextChoices):
    """Why a filing is cancelled (注销理由, Zxly), as the applicant says."""

    WEBSITE_CLOSED = "website_closed", "网站关闭 / Website closed"
    CHANGED_PROVIDER = "changed_provider", "更换接入服务商 / Changed hosting provider"
    SUBJECT_GONE = "subject_gone", "主体注销或变更 / Subject dissolved or changed"
    OTHER = "other", "其他 / Other"


class RecordStatus(models.TextChoices):
    PENDING = "pending", "备案中 / Pending"
    FILED = "filed", "已备案 / Filed"
    CANCELLED = "cancelled", "已注销 / Cancelled"


class Principal(PiiModel):
    """负责人: the person in charge of a subject or of a website."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=50)
    certificate_type = models.CharField(
        max_length=20, choices=CertificateType.choices, default=CertificateType.RESIDENT_ID
    )
    certificate_number = EncryptedTextField()
    certificate_hash = models.CharField(max_length=64, db_index=True)
    certificate_valid_from = models.DateField(null=True, blank=True)
    certificate_valid_to = models.DateField(
        null=True, blank=True, help_text="empty = long-term (长期)"
    )
    mobile = EncryptedTextField()
    mobile_hash = models.CharField(max_length=64, db_index=True)
    emergency_phone = EncryptedTextField(blank=True, default="")
    # 办公室电话: an organisation's person in charge must give one (Fzr_dhhm).
    office_phone = EncryptedTextField(blank=True, default="")
    email = EncryptedTextField()
    email_hash = models.CharField(max_length=64, db_index=True)

    PII_HASHES = {
        "certificate_number": "certificate_hash",
        "mobile": "mobile_hash",
        "email": "email_hash",
    }

    def __str__(self) -> str:
        return mask_name(self.name)


class Subject(PiiModel):
    """主体: the filer, a person or an organisation."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="subjects"
    )
    nature = models.CharField(max_length=20, choices=SubjectNature.choices)
    name = models.CharField(max_length=100, db_index=True)
    certificate_type = models.CharField(max_length=20, choices=CertificateType.choices)
    certificate_number = EncryptedTextField()
    certificate_hash = models.CharField(max_length=64, db_index=True)
    certificate_address = EncryptedTextField(blank=True, default="")
    province = models.CharField(max_length=6, db_index=True, help_text="GB/T 2260 code")
    city = models.CharField(max_length=6, blank=True)
    county = models.CharField(max_length=6, blank=True)
    mailing_address = EncryptedTextField(blank=True, default="")
    investor = models.CharField(max_length=100, blank=True)
    principal = models.ForeignKey(
        Principal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=RecordStatus.choices, default=RecordStatus.PENDING, db_index=True
    )
    icp_number = models.CharField(max_length=40, null=True, blank=True, db_index=True)
    authority_record_id = models.CharField(max_length=40, blank=True)
    filing_password = EncryptedTextField(blank=True, default="")
    filed_at = models.DateTimeField(null=True, blank=True)
    # Numbered by another provider (无主体新增网站): the number is known, the record lives elsewhere.
    filed_elsewhere = models.BooleanField(default=False)

    PII_HASHES = {"certificate_number": "certificate_hash"}

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["icp_number"],
                condition=models.Q(status="filed"),
                name="subject_number_once",
            ),
        ]

    @property
    def is_individual(self) -> bool:
        return self.nature == SubjectNature.INDIVIDUAL

    def __str__(self) -> str:
        return f"{self.name} {self.icp_number or ''}".strip()


class Website(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="websites")
    name = models.CharField(max_length=100, db_index=True)
    home_url = models.CharField(max_length=255, blank=True)
    service_content = models.CharField(max_length=40, blank=True)
    preapprovals = models.JSONField(
        default=list, blank=True, help_text='[{"type": ..., "number": ...}]'
    )
    remarks = models.TextField(blank=True)
    # Service languages (Language values), at least one; the form offers 中文简体 ticked.
    languages = models.JSONField(default=default_languages, blank=True)
    principal = models.ForeignKey(
        Principal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=RecordStatus.choices, default=RecordStatus.PENDING, db_index=True
    )
    icp_number = models.CharField(max_length=44, null=True, blank=True, db_index=True)
    index = models.PositiveIntegerField(
        null=True, blank=True, help_text="N of the website number's -N"
    )
    authority_record_id = models.CharField(max_length=40, blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["icp_number"],
                condition=models.Q(status="filed"),
                name="website_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.icp_number or ''}".strip()


class Domain(models.Model):
    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(max_length=253, db_index=True, help_text="registrable domain, punycode")
    unicode_name = models.CharField(max_length=253, blank=True)
    status = models.CharField(
        max_length=12, choices=RecordStatus.choices, default=RecordStatus.PENDING, db_index=True
    )

    class Meta:
        constraints = [
            # A domain is filed by one website at a time.
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(status="filed"), name="domain_filed_once"
            ),
        ]

    def __str__(self) -> str:
        return self.unicode_name or self.name


class AccessStatus(models.TextChoices):
    PENDING = "pending", "待接入 / Pending"
    OPEN = "open", "已接入 / Open"
    CLOSED = "closed", "已取消接入 / Closed"


# Called with the ids of websites whose access changed, once that change is
# committed (transaction.on_commit), by the one place that makes it (below).
# The registry fills this in (its change feed to the edge, docs/gate.md).
_access_listeners: list[Callable[[list[int]], None]] = []


def on_access_change(listener: Callable[[list[int]], None]) -> None:
    """Register `listener(website_ids)`, run after each committed access change."""
    if listener not in _access_listeners:
        _access_listeners.append(listener)


def _access_changed(website_ids) -> None:
    # Outside a transaction on_commit runs at once: call this after the write.
    ids = sorted(set(website_ids))
    if not ids or not _access_listeners:
        return
    for listener in _access_listeners:
        transaction.on_commit(lambda listener=listener: listener(ids))


class AccessQuerySet(models.QuerySet):
    """Every change the edge gate must see goes through these, which stamp
    `changed_at` and tell the access listeners once committed: the gate's
    freshness (registry.selectors) reads that stamp and its change feed
    (registry.feed) listens, so no writer may change an access without it."""

    def _changing(self) -> list[int]:
        """The websites these accesses belong to, read before they change."""
        return list(self.values_list("website_id", flat=True)) if _access_listeners else []

    def open(self) -> int:
        now = clock.now()
        websites = self._changing()
        count = self.update(status=AccessStatus.OPEN, opened_at=now, changed_at=now)
        _access_changed(websites)
        return count

    def close(self) -> int:
        now = clock.now()
        websites = self._changing()
        count = self.update(status=AccessStatus.CLOSED, closed_at=now, changed_at=now)
        _access_changed(websites)
        return count

    def touch(self) -> int:
        """What the gate serves for these accesses changed (e.g. their domains)."""
        websites = self._changing()
        count = self.update(changed_at=clock.now())
        _access_changed(websites)
        return count


class Access(models.Model):
    """接入: a website hosted on a server here. Only OPEN access is served at the edge.

    Open, close and change it through `Access.objects.filter(...).open()` /
    `.close()` / `.touch()` and `move_to()`, which own the `changed_at` stamp.
    """

    website = models.ForeignKey(Website, on_delete=models.PROTECT, related_name="accesses")
    server = models.ForeignKey("hosting.Server", on_delete=models.PROTECT, related_name="accesses")
    ip = models.GenericIPAddressField()
    status = models.CharField(
        max_length=12, choices=AccessStatus.choices, default=AccessStatus.PENDING, db_index=True
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = AccessQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.website_id}@{self.ip} [{self.status}]"

    def move_to(self, *, server=None, ip: str = "") -> None:
        """Hosted on another server and/or IP here (a change of access)."""
        if server is not None:
            self.server = server
        if ip:
            self.ip = ip
        self.changed_at = clock.now()
        self.save()
        _access_changed([self.website_id])


class ExternalRecord(models.Model):
    """What the administration told us about filings at other providers
    (isp_querybeianstatus): a subject by certificate, or a domain by name."""

    kind = models.CharField(max_length=10, choices=[("subject", "subject"), ("domain", "domain")])
    key_hash = models.CharField(
        max_length=64, db_index=True, help_text="certificate hash or domain name"
    )
    icp_number = models.CharField(max_length=44)
    subject_name = models.CharField(max_length=100, blank=True)
    learned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} {self.icp_number}"


class ApplicationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> ApplicationQuerySet:
        """The applications `user` may see (as NetBox's RestrictedQuerySet): the
        one scoping rule, used by every read (filings.selectors) and, for one
        row, by `Application.in_scope_of`. `action` is "view" only for now."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.role == Role.APPLICANT:
            return self.filter(account=user)
        if user.is_provider_staff:
            return user.restrict_to_scope(self)
        if user.role == Role.AUTHORITY:
            return user.restrict_to_scope(self.filter(state__in=AUTHORITY_VISIBLE))
        return self.none()


class Application(models.Model):
    """备案订单: one filing of one type, from draft to its outcome."""

    objects = ApplicationQuerySet.as_manager()

    number = models.CharField(
        max_length=20, unique=True, help_text="order number, printed on the forms"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    filing_type = models.CharField(max_length=24, choices=FilingType.choices, db_index=True)
    state = models.CharField(
        max_length=24,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    originals_state = models.CharField(
        max_length=16, choices=OriginalsState.choices, default=OriginalsState.NOT_REQUIRED
    )
    photo_state = models.CharField(
        max_length=20, choices=PhotoState.choices, default=PhotoState.NOT_REQUIRED
    )
    province = models.CharField(
        max_length=6, db_index=True, help_text="filing province, GB/T 2260 code"
    )
    service_code = models.ForeignKey(
        "hosting.FilingServiceCode",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="applications")
    websites = models.ManyToManyField(Website, blank=True, related_name="applications")
    # Proposed values of a change: {"subject": {...}, "websites": {"<id>": {...}}, "access": {"<id>": {...}}}.
    changes = models.JSONField(default=dict, blank=True)
    # A cancellation's reason (Zxly) and the applicant's words about it (Zxlybz).
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(max_length=1000, blank=True)
    remarks = models.TextField(blank=True)
    # The deadline of the current step, and which one it is.
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    deadline_kind = models.CharField(max_length=24, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_applications",
    )
    round = models.PositiveIntegerField(
        default=1, help_text="1 + number of returns to the applicant"
    )

    class Meta:
        indexes = [
            # The queues' keyset order (deadline, pk) within a state, whole or per
            # province (beian/review/selectors.py::queue).
            models.Index(fields=["state", "deadline", "id"], name="filings_app_queue_idx"),
            models.Index(
                fields=["province", "state", "deadline", "id"], name="filings_app_prov_queue_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.filing_type} [{self.state}]"

    def in_scope_of(self, user) -> bool:
        """Whether provider staff `user` may work on this application: the one-row
        form of `ApplicationQuerySet.restrict` for staff (the same User scope)."""
        return bool(user is not None and user.is_provider_staff and user.in_scope(self.province))


class ReturnReason(models.Model):
    """A reason against a field, from initial review or the administration."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="return_reasons"
    )
    round = models.PositiveIntegerField()
    source = models.CharField(
        max_length=16, default="provider"
    )  # provider | authority | photo | mailroom
    field = models.CharField(
        max_length=80, blank=True, help_text='e.g. "subject.name", "websites.0.name"'
    )
    template = models.CharField(max_length=60, blank=True)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "id"]


class OriginalsReceipt(models.Model):
    """Signed originals that arrived by post, logged by the mailroom."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="originals_receipts"
    )
    documents = models.JSONField(help_text='{"verification_form": 3, "security_agreement": 3}')
    courier = models.CharField(max_length=40, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    discrepancy = models.TextField(blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()


class PhotoVerification(models.Model):
    """The photo track of an application: a verification point or a backdrop by post."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="photo")
    method = models.CharField(max_length=12, choices=PhotoMethod.choices, blank=True)
    verification_point = models.CharField(max_length=100, blank=True)
    shipping_address = EncryptedTextField(blank=True, default="")
    courier = models.CharField(max_length=40, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    # The photo is PII: encrypted, in the private store, served only through access checks.
    photo = models.FileField(upload_to="photos/%Y/%m/", blank=True, storage=get_private_storage)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)


class StageCount(models.Model):
    """How many applications wait in a back-office stage, per province, filing type
    and deadline day (China date; `NO_DEADLINE` for none). Written only by
    `filings/counts.py`, inside the workflow's transaction (`workflow.fire`), so the
    dashboard and the queues read counts without scanning applications."""

    stage = models.CharField(max_length=24)
    province = models.CharField(max_length=6)
    filing_type = models.CharField(max_length=24)
    day = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "province", "filing_type", "day"], name="filings_stagecount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.province} {self.filing_type} {self.day}: {self.n}"
