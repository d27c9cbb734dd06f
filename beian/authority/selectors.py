"""Reads of the exchange with the administration, scoped to what the caller may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from beian.accounts.models import Role
from beian.authority.models import SetAside
from beian.core.i18n import t
from beian.filings.models import Application


def set_aside_for(user, *, open_only: bool = True) -> QuerySet[SetAside]:
    """The set-aside downloads an operator (or admin) may see: those of applications in
    their scope, and those matched to no application (a file name and a reason, no
    personal data). Nobody else sees any."""
    if user is None or not user.is_authenticated or not user.has_role(Role.OPERATOR):
        return SetAside.objects.none()
    visible = Application.objects.restrict(user)
    rows = SetAside.objects.filter(Q(application=None) | Q(application__in=visible))
    if open_only:
        rows = rows.filter(resolved_at=None)
    return rows.select_related("download", "application", "resolved_by")


def dashboard_notices(user, application=None) -> list[dict]:
    """The back office's lines about set-aside downloads (review's hook): a count on the
    dashboard; on an application's page, each of its own with the reason."""
    rows = set_aside_for(user)
    if application is not None:
        return [
            {
                "text": t("管局结果未能处理：", "A result of the administration is set aside: ")
                + item.reason(),
                "url": "/authority/downloads/",
                "key": "set_aside",
            }
            for item in rows.filter(application=application)
        ]
    count = rows.count()
    if not count:
        return []
    return [
        {
            "text": t(
                f"{count} 条管局下载结果未能处理，已搁置待重试",
                f"{count} result(s) downloaded from the administration could not be applied "
                "and are set aside for retry",
            ),
            "url": "/authority/downloads/",
            "key": "set_aside",
        }
    ]
