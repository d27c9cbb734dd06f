"""The submission adapter the back office calls: ``submit(application, actor)``.

It sends the application's filing to the provincial administration (isp_upload) and, once
the administration accepted the file, fires ``submit_to_authority`` (or
``resubmit_to_authority`` after an SMS failure) as ``actor``. Nothing is sent twice: an
upload whose outcome is unknown is settled first (``isp_querypreviousupload``).

``MiitAdapter`` wraps it as the back office's submission adapter
(``BEIAN["AUTHORITY_ADAPTER"] = "miit"``, see beian/review/adapters/submission.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from beian.authority import (
    errors,  # noqa: F401 - registers refusal codes
    extcodes,
    services,
)
from beian.authority.client import AuthorityClient
from beian.authority.models import Upload, UploadStatus
from beian.core.errors import Refusal
from beian.filings import workflow
from beian.filings.states import ApplicationState as S
from beian.review.adapters.submission import Outcome, SubmissionFailed


@dataclass
class SubmissionResult:
    """What happened, for the operator (``message`` is "中文 / English")."""

    status: str  # accepted | refused | unknown
    application: object
    data_sequence: int | None = None
    file_name: str = ""
    return_code: int | None = None
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.status == UploadStatus.ACCEPTED


def _result(upload: Upload, app) -> SubmissionResult:
    if upload.status == UploadStatus.ACCEPTED:
        text = "管局已受理 / Accepted by the administration"
    elif upload.status == UploadStatus.REFUSED:
        zh, en = extcodes.describe(upload.return_code or 999)
        text = f"{zh} / {en}"
    else:
        text = (
            "结果未知，系统将自动核对，请勿重复提交 / Outcome unknown; it will be reconciled, "
            "do not submit again"
        )
    return SubmissionResult(
        status=upload.status,
        application=app,
        data_sequence=upload.data_sequence,
        file_name=upload.file_name,
        return_code=upload.return_code,
        message=text,
    )


def submit(application, actor, *, client: AuthorityClient | None = None) -> SubmissionResult:
    """Send ``application`` (READY or AUTHORITY_RETURNED) to the administration as ``actor``.

    Raises Refusal when the actor may not submit or the data cannot be mapped; returns a
    :class:`SubmissionResult` otherwise (accepted, refused with the code in words, or unknown).
    """
    client = client or AuthorityClient.from_settings()
    app = application
    event = services.submit_event(app)
    if app.state not in (S.READY, S.AUTHORITY_RETURNED) or event not in workflow.available_events(
        app, actor
    ):
        # Let the workflow explain (wrong state, role or scope).
        workflow._check_actor(app, next(r for r in workflow.TABLE if r.event == event), actor)
        raise Refusal(
            "transition_not_allowed",
            status=409,
            params={"event": event, "state": app.get_state_display()},
        )
    current = (
        Upload.objects.filter(application=app, round=app.round)
        .exclude(status=UploadStatus.REFUSED)
        .exclude(workflow_done=True)
        .order_by("-data_sequence")
        .first()
    )
    if current is not None and current.status == UploadStatus.UNKNOWN:
        services.reconcile(current, client)
        if current.status == UploadStatus.UNKNOWN:
            raise Refusal("authority_upload_pending", status=409)
    elif current is not None and current.status == UploadStatus.PENDING:
        services.send(current, client)
    elif current is None or current.status != UploadStatus.ACCEPTED:
        current = services.build_upload(app, client=client, actor=actor)
        services.send(current, client)
    if current.status == UploadStatus.ACCEPTED:
        app = services.fire_submitted(current) or app
    return _result(current, app)


class MiitAdapter:
    """The back office's submission adapter through the MIIT enterprise interface."""

    name = "miit"

    def submit(self, application, actor) -> Outcome:
        try:
            result = submit(application, actor)
        except OSError as exc:  # transport trouble the client did not turn into a result
            raise SubmissionFailed(str(exc)) from exc
        if not result.accepted:
            raise SubmissionFailed(result.message)
        return Outcome(result.application, result.message)
