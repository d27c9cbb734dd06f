"""THE workflow: one transition table, the single source of truth.

Each row: the event, the track it moves (main, originals, photo), from which
states to which, who may fire it, a routing condition on the filing type,
guards that explain a refusal, and effects (deadlines, records, notifications).
`workflow.fire()` is the only writer of states; `docs/workflow.md` is generated
from this table (`beian workflow-diagram`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from beian.filings import effects as fx
from beian.filings.states import ApplicationState as S
from beian.filings.states import OriginalsState as O
from beian.filings.states import PhotoState as P

APPLICANT = "applicant"
REVIEWER = "reviewer"
MAILROOM = "mailroom"
PHOTO_VERIFIER = "photo_verifier"
OPERATOR = "operator"
AUTHORITY = "authority"
SYSTEM = "system"  # the workflow itself, the worker, the authority adapter


@dataclass(frozen=True)
class Transition:
    event: str
    track: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: tuple[str, str]
    when: Callable | None = None
    guards: tuple[Callable, ...] = field(default=())
    effects: tuple[Callable, ...] = field(default=())
    auto: bool = False  # fired by the workflow itself when its guards pass
    # The one service that fires this event ("" = any caller, the generic API
    # events endpoint included). The generic door refuses an event that has its
    # own: that service does work the table cannot (reason templates, uploads).
    door: str = ""


def _t(event, track, sources, target, roles, label, **kw) -> Transition:
    return Transition(event, track, tuple(sources), target, frozenset(roles), label, **kw)


# Doors (Transition.door): the services that own their events.
REVIEW_DOOR = "review"  # beian.review.services: initial review, mailroom, photos
SUBMISSION_DOOR = "submission"  # beian.review.services.submit → the submission adapter
GENERIC_DOOR = "generic"  # the API's events endpoint (filings/api.py): events without a door

PRE_AUTHORITY = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFYING, S.READY)

TABLE: tuple[Transition, ...] = (
    # ---- the applicant fills in and submits; initial review -------------------
    _t(
        "submit",
        "main",
        [S.DRAFT],
        S.SUBMITTED,
        [APPLICANT],
        ("提交初审", "Submit"),
        guards=(fx.guard_not_expired, fx.guard_complete),
        effects=(fx.on_submitted,),
    ),
    _t(
        "resubmit",
        "main",
        [S.RETURNED],
        S.SUBMITTED,
        [APPLICANT],
        ("修改后重新提交", "Resubmit"),
        guards=(fx.guard_not_expired, fx.guard_complete),
        effects=(fx.on_submitted,),
    ),
    _t(
        "return_to_applicant",
        "main",
        [S.SUBMITTED],
        S.RETURNED,
        [REVIEWER],
        ("初审退回", "Return with reasons"),
        guards=(fx.guard_reasons,),
        effects=(fx.on_returned, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    _t(
        "approve_initial_review",
        "main",
        [S.SUBMITTED],
        S.VERIFYING,
        [REVIEWER],
        ("初审通过", "Pass initial review"),
        when=fx.needs_verification,
        effects=(fx.on_initial_review_passed, fx.start_tracks, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    _t(
        "approve_initial_review",
        "main",
        [S.SUBMITTED],
        S.READY,
        [REVIEWER],
        ("初审通过", "Pass initial review"),
        when=fx.skips_verification,
        effects=(fx.on_initial_review_passed, fx.deadline_submission, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    # ---- originals by post (parallel track) ----------------------------------
    _t(
        "receive_originals",
        "originals",
        [O.AWAITING, O.DISCREPANCY],
        O.RECEIVED,
        [MAILROOM],
        ("原件已收到", "Originals received"),
        guards=(fx.guard_originals_counted,),
        effects=(fx.on_originals_received,),
        door=REVIEW_DOOR,
    ),
    _t(
        "record_originals_discrepancy",
        "originals",
        [O.AWAITING, O.DISCREPANCY, O.RECEIVED],
        O.DISCREPANCY,
        [MAILROOM],
        ("原件有误", "Discrepancy in originals"),
        guards=(fx.guard_reason_text,),
        effects=(fx.on_originals_discrepancy,),
        door=REVIEW_DOOR,
    ),
    # ---- photo verification (parallel track) ----------------------------------
    _t(
        "choose_verification_point",
        "photo",
        [P.NOT_STARTED, P.REJECTED, P.BACKDROP_REQUESTED],
        P.POINT_CHOSEN,
        [APPLICANT],
        ("选择核验点", "Choose a verification point"),
        guards=(fx.guard_point,),
        effects=(fx.on_point_chosen,),
    ),
    _t(
        "request_backdrop",
        "photo",
        [P.NOT_STARTED, P.REJECTED, P.POINT_CHOSEN],
        P.BACKDROP_REQUESTED,
        [APPLICANT],
        ("申请邮寄幕布", "Request a backdrop"),
        guards=(fx.guard_shipping_address,),
        effects=(fx.on_backdrop_requested,),
    ),
    _t(
        "ship_backdrop",
        "photo",
        [P.BACKDROP_REQUESTED],
        P.BACKDROP_SHIPPED,
        [MAILROOM, PHOTO_VERIFIER],
        ("幕布已寄出", "Backdrop shipped"),
        guards=(fx.guard_courier,),
        effects=(fx.on_backdrop_shipped,),
        door=REVIEW_DOOR,
    ),
    _t(
        "upload_photo",
        "photo",
        [P.BACKDROP_SHIPPED, P.REJECTED],
        P.PHOTO_UPLOADED,
        [APPLICANT],
        ("上传幕布照片", "Upload the backdrop photo"),
        guards=(fx.guard_photo,),
        effects=(fx.on_photo_uploaded,),
    ),
    _t(
        "take_point_photo",
        "photo",
        [P.POINT_CHOSEN, P.REJECTED],
        P.PHOTO_UPLOADED,
        [PHOTO_VERIFIER],
        ("核验点拍照", "Photo taken at the point"),
        guards=(fx.guard_photo,),
        effects=(fx.on_photo_uploaded,),
        door=REVIEW_DOOR,
    ),
    _t(
        "verify_photo",
        "photo",
        [P.PHOTO_UPLOADED],
        P.VERIFIED,
        [PHOTO_VERIFIER],
        ("照片核验通过", "Verify the photo"),
        effects=(fx.on_photo_verified, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    _t(
        "reject_photo",
        "photo",
        [P.PHOTO_UPLOADED],
        P.REJECTED,
        [PHOTO_VERIFIER],
        ("照片不合格", "Reject the photo"),
        guards=(fx.guard_reasons,),
        effects=(fx.on_photo_rejected, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    # ---- the tracks join --------------------------------------------------------
    _t(
        "mark_ready",
        "main",
        [S.VERIFYING],
        S.READY,
        [SYSTEM],
        ("核验完成，待提交管局", "Ready to submit"),
        guards=(fx.guard_tracks_verified,),
        effects=(fx.deadline_submission,),
        auto=True,
    ),
    # ---- the administration -----------------------------------------------------
    _t(
        "submit_to_authority",
        "main",
        [S.READY],
        S.AUTHORITY_SUBMITTED,
        [OPERATOR],
        ("提交管局", "Submit to the administration"),
        effects=(fx.on_submitted_to_authority, fx.release_claim),
        door=SUBMISSION_DOOR,
    ),
    _t(
        "authority_received",
        "main",
        [S.AUTHORITY_SUBMITTED],
        S.SMS_VERIFICATION,
        [AUTHORITY, SYSTEM],
        ("管局已接收，待短信核验", "Received; SMS verification"),
        when=fx.needs_sms,
        effects=(fx.deadline_sms,),
    ),
    _t(
        "authority_received",
        "main",
        [S.AUTHORITY_SUBMITTED],
        S.AUTHORITY_REVIEW,
        [AUTHORITY, SYSTEM],
        ("管局已接收", "Received by the administration"),
        when=fx.skips_sms,
        effects=(fx.deadline_authority,),
    ),
    _t(
        "sms_verified",
        "main",
        [S.SMS_VERIFICATION],
        S.AUTHORITY_REVIEW,
        [AUTHORITY, SYSTEM],
        ("短信核验完成", "SMS verification done"),
        effects=(fx.deadline_authority,),
    ),
    _t(
        "sms_failed",
        "main",
        [S.SMS_VERIFICATION],
        S.AUTHORITY_RETURNED,
        [AUTHORITY, SYSTEM],
        ("短信核验未完成，退回接入商", "SMS verification failed; returned to the provider"),
        effects=(fx.deadline_submission, fx.on_authority_returned),
    ),
    _t(
        "resubmit_to_authority",
        "main",
        [S.AUTHORITY_RETURNED],
        S.AUTHORITY_SUBMITTED,
        [OPERATOR],
        ("重新提交管局", "Resubmit to the administration"),
        effects=(fx.on_submitted_to_authority, fx.release_claim),
        door=SUBMISSION_DOOR,
    ),
    _t(
        "return_after_authority",
        "main",
        [S.AUTHORITY_RETURNED],
        S.RETURNED,
        [OPERATOR],
        ("退回申请人修改", "Return to the applicant"),
        guards=(fx.guard_reasons,),
        effects=(fx.on_returned, fx.release_claim),
        door=REVIEW_DOOR,
    ),
    _t(
        "authority_approve",
        "main",
        [S.AUTHORITY_REVIEW],
        S.APPROVED,
        [AUTHORITY, SYSTEM],
        ("管局审核通过", "Approved by the administration"),
        guards=(fx.guard_numbers,),
        effects=(fx.on_approved,),
    ),
    _t(
        "authority_reject",
        "main",
        # The administration may reject on its automatic checks before any review.
        [S.AUTHORITY_SUBMITTED, S.SMS_VERIFICATION, S.AUTHORITY_REVIEW],
        S.REJECTED,
        [AUTHORITY, SYSTEM],
        ("管局驳回", "Rejected by the administration"),
        guards=(fx.guard_reasons,),
        effects=(fx.on_rejected,),
    ),
    _t(
        "reopen",
        "main",
        [S.REJECTED],
        S.RETURNED,
        [APPLICANT],
        ("驳回后修改", "Fix after rejection"),
        guards=(fx.guard_not_expired,),
        effects=(fx.on_reopened,),
    ),
    # ---- the order's end without approval ----------------------------------------
    _t(
        "withdraw",
        "main",
        [*PRE_AUTHORITY, S.REJECTED],
        S.WITHDRAWN,
        [APPLICANT],
        ("撤回订单", "Withdraw"),
        effects=(fx.on_closed,),
    ),
    _t(
        "expire",
        "main",
        [*PRE_AUTHORITY, S.REJECTED],
        S.EXPIRED,
        [SYSTEM],
        ("订单过期", "Order expired"),
        guards=(fx.guard_expired,),
        effects=(fx.on_closed,),
    ),
)

TRACK_FIELDS = {"main": "state", "originals": "originals_state", "photo": "photo_state"}
EVENTS = sorted({t.event for t in TABLE})
