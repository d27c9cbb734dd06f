"""Users of Beian and their roles.

Filing accounts (applicants) are separate from hosting owners: an applicant
binds a filing service code issued for somebody's server. Staff roles can be
scoped to provinces (GB/T 2260 codes); an empty scope means every province.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import DatabaseError, models, transaction

from beian.core import clock
from beian.core.fields import EncryptedTextField, PiiModel

logger = logging.getLogger("beian.accounts")


class Role(models.TextChoices):
    APPLICANT = "applicant", "备案申请人 / Applicant"
    HOSTING_OWNER = "hosting_owner", "云服务器用户 / Hosting owner"
    REVIEWER = "reviewer", "初审员 / Reviewer"
    MAILROOM = "mailroom", "收件员 / Mailroom clerk"
    PHOTO_VERIFIER = "photo_verifier", "拍照核验员 / Photo verifier"
    OPERATOR = "operator", "接入商操作员 / Operator"
    ADMIN = "admin", "管理员 / Admin"
    AUTHORITY = "authority", "管局 / Administration"


STAFF_ROLES = {Role.REVIEWER, Role.MAILROOM, Role.PHOTO_VERIFIER, Role.OPERATOR, Role.ADMIN}


class BeianUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra):
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(PiiModel, AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.APPLICANT)
    # Province scope for staff: list of 6-digit GB/T 2260 codes; empty = all.
    provinces = models.JSONField(default=list, blank=True)
    # Contact details are PII: encrypted, found through keyed hashes.
    email = EncryptedTextField(blank=True, default="")
    email_hash = models.CharField(max_length=64, blank=True, db_index=True)
    mobile = EncryptedTextField(blank=True, default="")
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email_confirmed = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="zh-hans")

    PII_HASHES = {"email": "email_hash", "mobile": "mobile_hash"}

    objects = BeianUserManager()

    def save(self, *args, **kwargs):
        # A new password (set_password: a reset, the admin's change form,
        # `changepassword`) ends every other way in: the API tokens issued under
        # the old one stop working. Sessions end by themselves (Django checks the
        # session's password hash on each request).
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        self.tokens_revoked = 0
        if password_changed:
            self.tokens_revoked = ApiToken.objects.filter(user=self, revoked=False).update(
                revoked=True
            )

    @property
    def is_applicant(self) -> bool:
        return self.role == Role.APPLICANT

    @property
    def is_provider_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or (
            self.role == Role.ADMIN and any(r in STAFF_ROLES for r in roles)
        )

    # The province scope, in its two forms side by side: the predicate for one
    # value and the filter for a queryset. Querysets are scoped through their
    # `restrict(user)` (e.g. filings.models.ApplicationQuerySet), which call this.

    def in_scope(self, province: str | None) -> bool:
        """Whether a staff member's province scope covers `province`."""
        return not self.provinces or (province in self.provinces)

    def restrict_to_scope(self, queryset, field: str = "province"):
        """The rows of `queryset` whose `field` (a province code) is in scope."""
        return queryset.filter(**{f"{field}__in": self.provinces}) if self.provinces else queryset


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        key = "bk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:8],
            created_at=clock.now(),
        )
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        digest = hashlib.sha256(key.encode()).hexdigest()
        token = cls.objects.select_related("user").filter(key_hash=digest, revoked=False).first()
        if token is None or not token.user.is_active:
            return None
        token.touch()
        return token.user

    def touch(self) -> None:
        """Note the use, at most once every API_TOKEN_TOUCH_SECONDS: a request is not a
        write. A database that refuses the write (read-only, a standby) does not refuse
        the request: the stamp waits for the next use (docs/operations.md)."""
        now = clock.now()
        every = dt.timedelta(seconds=settings.BEIAN["API_TOKEN_TOUCH_SECONDS"])
        if self.last_used_at is not None and now - self.last_used_at < every:
            return
        try:
            with transaction.atomic():  # a savepoint inside a caller's transaction
                ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
        except DatabaseError as exc:
            logger.warning("API token %s: last use not recorded (%s)", self.prefix, exc)
