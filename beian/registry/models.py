"""Registry data: the display check's finding per filed website."""

from __future__ import annotations

from django.db import models


class DisplayOutcome(models.TextChoices):
    OK = "ok", "正确 / Correct"
    MISSING = "missing", "未展示备案号 / Number not shown"
    WRONG = "wrong", "备案号错误 / Wrong number"
    NOT_LINKED = "not_linked", "未链接至工信部 / Not linked to beian.miit.gov.cn"
    UNREACHABLE = "unreachable", "首页无法访问 / Home page unreachable"


class DisplayFindingQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> DisplayFindingQuerySet:
        """The findings provider staff `user` may see: their provinces' websites."""
        if user is None or not getattr(user, "is_provider_staff", False):
            return self.none()
        return user.restrict_to_scope(self, "website__subject__province")


class DisplayFinding(models.Model):
    """The latest display check of one website's home page.

    A failure opens a finding with a deadline (kept while it stays unfixed);
    a later correct check resolves it.
    """

    objects = DisplayFindingQuerySet.as_manager()

    website = models.OneToOneField(
        "filings.Website", on_delete=models.CASCADE, related_name="display_finding"
    )
    url = models.CharField(max_length=300)
    expected_number = models.CharField(max_length=44)
    outcome = models.CharField(max_length=12, choices=DisplayOutcome.choices, db_index=True)
    shown = models.CharField(max_length=200, blank=True, help_text="numbers found on the page")
    detail = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(db_index=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.website_id} {self.outcome}"

    @property
    def is_open(self) -> bool:
        return self.outcome != DisplayOutcome.OK
