"""Every read of applications, already scoped to what the caller may see."""

from __future__ import annotations

from django.db.models import QuerySet

from beian.accounts.models import Role
from beian.core.errors import NotFound
from beian.filings.models import Application, RecordStatus, Subject
from beian.filings.states import ApplicationState as S

AUTHORITY_VISIBLE = {
    S.AUTHORITY_SUBMITTED,
    S.SMS_VERIFICATION,
    S.AUTHORITY_REVIEW,
    S.APPROVED,
    S.REJECTED,
    S.AUTHORITY_RETURNED,
}


def applications_for(user) -> QuerySet[Application]:
    base = Application.objects.select_related("subject", "account")
    if user is None or not user.is_authenticated:
        return base.none()
    if user.role == Role.APPLICANT:
        return base.filter(account=user)
    if user.is_provider_staff:
        return base.filter(province__in=user.provinces) if user.provinces else base
    if user.role == Role.AUTHORITY:
        qs = base.filter(state__in=AUTHORITY_VISIBLE)
        return qs.filter(province__in=user.provinces) if user.provinces else qs
    return base.none()


def get_application(user, number: str) -> Application:
    """One application the user may see; the same 404 whether absent or not theirs."""
    app = applications_for(user).filter(number=number).first()
    if app is None:
        raise NotFound()
    return app


def filed_subjects_for(user) -> QuerySet[Subject]:
    """The filed subjects an applicant manages (for later filings)."""
    if user is None or not user.is_authenticated:
        return Subject.objects.none()
    return Subject.objects.filter(account=user, status=RecordStatus.FILED)


def filed_subject(user, subject_id: int) -> Subject:
    subject = filed_subjects_for(user).filter(pk=subject_id).first()
    if subject is None:
        raise NotFound()
    return subject
