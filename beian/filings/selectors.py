"""Every read of applications, already scoped to what the caller may see."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from beian.core.errors import NotFound, Refusal
from beian.filings import errors  # noqa: F401 - registers refusal codes
from beian.filings.models import Application, RecordStatus, Subject
from beian.filings.stages import STAGES
from beian.filings.states import ApplicationState as S
from beian.filings.states import PhotoState as P


def applications_for(user) -> QuerySet[Application]:
    """The applications `user` may see (the rule: `Application.objects.restrict`)."""
    return Application.objects.restrict(user).select_related("subject", "account")


def get_application(user, number: str) -> Application:
    """One application the user may see; the same 404 whether absent or not theirs."""
    app = applications_for(user).filter(number=number).first()
    if app is None:
        raise NotFound()
    return app


def scans_readable_by(user) -> QuerySet[Application]:
    """The applications whose scans (materials) and verification photo `user` may
    read: an applicant their own; the administration what it sees; provider staff
    those in their scope while at a stage their role works (`filings/stages.py`:
    the reviewer during initial review, the operator while ready or returned by
    the administration, ...), never before or after."""
    apps = Application.objects.restrict(user)
    if user is not None and user.is_authenticated and user.is_provider_staff:
        worked = [s.condition for s in STAGES if user.has_role(*s.roles)]
        apps = apps.filter(reduce(operator.or_, worked, Q(pk__in=[])))
    return apps


def may_read_scans(user, app: Application) -> bool:
    return scans_readable_by(user).filter(pk=app.pk).exists()


def application_for_scans(user, number: str) -> Application:
    """The application, if `user` may read its scans now: 404 when they may not see
    it at all, 403 `scans_not_at_stage` when they see it but it is not at their stage."""
    app = get_application(user, number)
    if not may_read_scans(user, app):
        raise Refusal("scans_not_at_stage", status=403)
    return app


def messages_in_scope(user, messages: QuerySet) -> QuerySet:
    """The notify scope rule (registered in FilingsConfig.ready()): staff see the
    messages about applications they may see (the context's `order_number`); staff
    scoped to provinces see no message about nothing (account mail, digests)."""
    if user is None or not user.is_authenticated or not user.is_provider_staff:
        return messages.none()
    if not user.provinces:  # an empty scope is every province (User.in_scope)
        return messages
    orders = Application.objects.restrict(user).values("number")
    return messages.alias(_order=KeyTextTransform("order_number", "context")).filter(
        _order__in=orders
    )


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


def current_reasons(app: Application) -> list:
    """The reasons of the last return that the applicant must act on now (the page's
    "退回原因" and the API's `return_reasons`)."""
    if app.state == S.RETURNED:
        return list(app.return_reasons.filter(round=app.round - 1))
    if app.photo_state == P.REJECTED:
        last = app.return_reasons.filter(source="photo").order_by("-id").first()
        return [last] if last else []
    return []
