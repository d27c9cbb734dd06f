"""The one set of states, tracks and filing types used everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "草稿 / Draft"
    SUBMITTED = "submitted", "待初审 / Awaiting initial review"
    RETURNED = "returned", "已退回待修改 / Returned for changes"
    VERIFYING = "verifying", "资料邮寄与拍照核验中 / Originals and photo"
    READY = "ready", "待提交管局 / Ready to submit"
    AUTHORITY_SUBMITTED = "authority_submitted", "已提交管局 / Submitted to the administration"
    SMS_VERIFICATION = "sms_verification", "待工信部短信核验 / MIIT SMS verification"
    AUTHORITY_REVIEW = "authority_review", "管局审核中 / Under administration review"
    AUTHORITY_RETURNED = "authority_returned", "管局退回接入商 / Returned by the administration"
    APPROVED = "approved", "备案成功 / Approved"
    REJECTED = "rejected", "管局驳回 / Rejected"
    WITHDRAWN = "withdrawn", "已撤回 / Withdrawn"
    EXPIRED = "expired", "已过期 / Expired"


TERMINAL_STATES = {ApplicationState.APPROVED, ApplicationState.WITHDRAWN, ApplicationState.EXPIRED}
# While with the applicant or the provider, an order can expire or be withdrawn.
OPEN_STATES = {
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.VERIFYING,
    ApplicationState.READY,
}

# What the administration sees of the provider's applications: from submission on.
AUTHORITY_VISIBLE = {
    ApplicationState.AUTHORITY_SUBMITTED,
    ApplicationState.SMS_VERIFICATION,
    ApplicationState.AUTHORITY_REVIEW,
    ApplicationState.APPROVED,
    ApplicationState.REJECTED,
    ApplicationState.AUTHORITY_RETURNED,
}


class OriginalsState(models.TextChoices):
    NOT_REQUIRED = "not_required", "无需邮寄 / Not required"
    AWAITING = "awaiting", "待收件 / Awaiting originals"
    RECEIVED = "received", "已收件 / Received"
    DISCREPANCY = "discrepancy", "资料有误 / Discrepancy"


class PhotoState(models.TextChoices):
    NOT_REQUIRED = "not_required", "无需拍照 / Not required"
    NOT_STARTED = "not_started", "待选择拍照方式 / Not started"
    POINT_CHOSEN = "point_chosen", "已选核验点 / Verification point chosen"
    BACKDROP_REQUESTED = "backdrop_requested", "已申请幕布 / Backdrop requested"
    BACKDROP_SHIPPED = "backdrop_shipped", "幕布已寄出 / Backdrop shipped"
    PHOTO_UPLOADED = "photo_uploaded", "照片待审核 / Photo awaiting verification"
    VERIFIED = "verified", "照片已通过 / Photo verified"
    REJECTED = "rejected", "照片未通过 / Photo rejected"


class PhotoMethod(models.TextChoices):
    POINT = "point", "核验点拍照 / Verification point"
    BACKDROP = "backdrop", "邮寄幕布 / Backdrop by post"


class FilingType(models.TextChoices):
    FIRST_FILING = "first_filing", "首次备案 / First filing"
    ADD_WEBSITE_HERE = "add_website_here", "新增网站（有主体） / Add website (subject filed here)"
    ADD_WEBSITE_ELSEWHERE = (
        "add_website_elsewhere",
        "新增网站（无主体） / Add website (subject filed elsewhere)",
    )
    ADD_ACCESS = "add_access", "新增接入 / Add access"
    CHANGE_SUBJECT = "change_subject", "变更主体 / Change subject"
    CHANGE_WEBSITE = "change_website", "变更网站 / Change website"
    CHANGE_ACCESS = "change_access", "变更接入 / Change access"
    CANCEL_SUBJECT = "cancel_subject", "注销主体 / Cancel subject"
    CANCEL_WEBSITE = "cancel_website", "注销网站 / Cancel website"
    CANCEL_ACCESS = "cancel_access", "取消接入 / Cancel access"


@dataclass(frozen=True)
class TypeProfile:
    """What a filing type goes through, as data (domain.md §4).

    Every "which filing types do X" question is answered by a field here; code
    asks `profile(t).field` or, for a query, `types_where("field")`.
    """

    verification: bool  # originals by post + photo verification
    sms: tuple[str, ...]  # whose person in charge answers the MIIT SMS: "subject", "website"
    needs_service_code: bool  # new hosting here needs a qualifying server's code
    opens_access_on_review: bool = False  # add access: reachable once initial review passes
    upload_type: str = ""  # MIIT interface upload type
    filing_password: bool = (
        True  # 备案密码 (ICPmm) of the filed record, checked by the administration
    )
    creates_subject: bool = False  # approval files a new subject (and numbers it)
    # The filing brings websites onto this provider: the applicant fills in the
    # whole record, approval numbers the websites that have no number yet and
    # opens their access here. The other types act on records filed already.
    opens_access: bool = False
    changes_records: bool = False  # carries changes to filed records (`Application.changes`)
    needs_open_access: bool = False  # acts on a website's access that is open here


PROFILES: dict[str, TypeProfile] = {
    FilingType.FIRST_FILING: TypeProfile(
        True,
        ("subject", "website"),
        True,
        upload_type="XZBA",
        filing_password=False,
        creates_subject=True,
        opens_access=True,
    ),
    FilingType.ADD_WEBSITE_HERE: TypeProfile(
        True, ("subject", "website"), True, upload_type="XZWZ", opens_access=True
    ),
    FilingType.ADD_WEBSITE_ELSEWHERE: TypeProfile(
        True, ("subject", "website"), True, upload_type="XZWZ", opens_access=True
    ),
    FilingType.ADD_ACCESS: TypeProfile(
        True,
        ("website",),
        True,
        opens_access_on_review=True,
        upload_type="XZJR",
        opens_access=True,
    ),
    FilingType.CHANGE_SUBJECT: TypeProfile(
        False, ("subject",), False, upload_type="BGBA", changes_records=True
    ),
    FilingType.CHANGE_WEBSITE: TypeProfile(
        False, ("website",), False, upload_type="BGBA", changes_records=True
    ),
    FilingType.CHANGE_ACCESS: TypeProfile(
        False,
        ("website",),
        False,
        upload_type="BGBA",
        changes_records=True,
        needs_open_access=True,
    ),
    FilingType.CANCEL_SUBJECT: TypeProfile(False, ("subject",), False, upload_type="ZXBA"),
    FilingType.CANCEL_WEBSITE: TypeProfile(False, ("website",), False, upload_type="ZXBA"),
    FilingType.CANCEL_ACCESS: TypeProfile(
        False, (), False, upload_type="ZXBA", needs_open_access=True
    ),
}


def profile(filing_type: str) -> TypeProfile:
    return PROFILES[FilingType(filing_type)]


def types_where(flag: str, value: bool = True) -> frozenset[str]:
    """The filing types whose profile has `flag` == `value` (for queries and sets)."""
    return frozenset(t for t, p in PROFILES.items() if getattr(p, flag) == value)
