"""Writes for filing accounts: registration, e-mail confirmation, password
reset by e-mail (through the outbox). Failed logins are throttled in
`beian.accounts.throttle`.

Filing accounts are separate from hosting accounts (domain.md §3); a person logs
in with the username, the mobile or the e-mail address.
"""

from __future__ import annotations

import logging

from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from beian.accounts.models import Role, User
from beian.core import audit, crypto
from beian.core.errors import Refusal, register
from beian.notify import catalog
from beian.notify.services import enqueue

logger = logging.getLogger("beian.accounts")

register(
    {
        "username_taken": ("该用户名已被注册。", "This username is taken."),
        "mobile_taken": ("该手机号码已注册备案账号。", "This mobile already has a filing account."),
        "email_taken": ("该邮箱已注册备案账号。", "This e-mail already has a filing account."),
        "confirmation_invalid": (
            "确认链接无效或已过期，请重新发送。",
            "The confirmation link is invalid or has expired; send a new one.",
        ),
    }
)

# The message templates of this app. The notify catalogue holds the product's
# templates; these two belong to accounts and are added to it here so the
# outbox renders and delivers them like any other message.
_TEMPLATES = {
    "account_email_confirm": {
        catalog.ZH: (
            "请确认您的备案账号邮箱",
            "您好 {{ username }}：\n\n请打开以下链接确认您的邮箱（{{ hours }} 小时内有效）：\n"
            "{{ link }}\n\n如非本人操作，请忽略本邮件。",
            "",
        ),
        catalog.EN: (
            "Confirm the e-mail of your filing account",
            "Hello {{ username }},\n\nOpen this link to confirm your e-mail "
            "(valid for {{ hours }} hours):\n{{ link }}\n\nIf this was not you, ignore this e-mail.",
            "",
        ),
    },
    "account_password_reset": {
        catalog.ZH: (
            "重置备案账号密码",
            "您好 {{ username }}：\n\n请打开以下链接设置新密码：\n{{ link }}\n\n"
            "如非本人操作，请忽略本邮件，您的密码不会改变。",
            "",
        ),
        catalog.EN: (
            "Reset the password of your filing account",
            "Hello {{ username }},\n\nOpen this link to set a new password:\n{{ link }}\n\n"
            "If this was not you, ignore this e-mail; your password stays the same.",
            "",
        ),
    },
}
for _name, _texts in _TEMPLATES.items():
    # The links carry a token that logs in (reset) or proves the address (confirm).
    catalog.add(_name, _texts, secrets=("link",))

CONFIRM_SALT = "beian.accounts.email-confirm"
CONFIRM_HOURS = 72


# ---- registration -------------------------------------------------------------


def find_user(identifier: str) -> User | None:
    """The account behind a username, a mobile or an e-mail address."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username__iexact=identifier).first()
    if user is None and "@" in identifier:
        user = User.objects.filter(email_hash=crypto.lookup_hash(identifier.lower())).first()
    if user is None:
        user = User.objects.filter(
            mobile_hash=crypto.lookup_hash(_plain_mobile(identifier))
        ).first()
    return user


def _plain_mobile(value: str) -> str:
    digits = "".join(value.split()).replace("-", "")
    return digits[3:] if digits.startswith("+86") else digits


def taken_refusals(*, username: str, mobile: str, email: str) -> list[Refusal]:
    refusals = []
    if User.objects.filter(username__iexact=username).exists():
        refusals.append(Refusal("username_taken", field="username"))
    if User.objects.filter(mobile_hash=crypto.lookup_hash(_plain_mobile(mobile))).exists():
        refusals.append(Refusal("mobile_taken", field="mobile"))
    if User.objects.filter(email_hash=crypto.lookup_hash(email.lower())).exists():
        refusals.append(Refusal("email_taken", field="email"))
    return refusals


@transaction.atomic
def register_applicant(
    *, username: str, mobile: str, email: str, password: str, language: str, base_url: str
) -> User:
    """Creates the filing account and queues the confirmation e-mail."""
    refusals = taken_refusals(username=username, mobile=mobile, email=email)
    if refusals:
        raise refusals[0]
    user = User.objects.create_user(
        username=username,
        password=password,
        role=Role.APPLICANT,
        mobile=_plain_mobile(mobile),
        email=email.lower(),
        language=language,
    )
    audit.record(actor=user, object_type="user", object_id=user.pk, verb="registered")
    send_confirmation(user, base_url=base_url)
    return user


def send_confirmation(user: User, *, base_url: str) -> None:
    token = signing.dumps({"u": user.pk, "e": user.email_hash}, salt=CONFIRM_SALT)
    # A new key per token: asking again sends a new e-mail, not the old one.
    enqueue(
        template="account_email_confirm",
        context={
            "username": user.username,
            "link": f"{base_url}/accounts/confirm/{token}/",
            "hours": CONFIRM_HOURS,
        },
        idempotency_key=f"user-{user.pk}-confirm-{crypto.lookup_hash(token)[:16]}",
        user=user,
        channels=("email",),
    )


@transaction.atomic
def confirm_email(token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_HOURS * 3600)
    except signing.BadSignature as exc:
        raise Refusal("confirmation_invalid") from exc
    user = User.objects.filter(pk=data.get("u")).first()
    # The token names the address it was sent to: a changed address needs a new one.
    if user is None or user.email_hash != data.get("e"):
        raise Refusal("confirmation_invalid")
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        audit.record(actor=user, object_type="user", object_id=user.pk, verb="email_confirmed")
    return user


# ---- password reset ---------------------------------------------------------------


def send_password_reset(identifier: str, *, base_url: str) -> None:
    """Queues a reset link when the account exists; says nothing either way."""
    user = find_user(identifier)
    if user is None or not user.is_active or not user.email:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    enqueue(
        template="account_password_reset",
        context={"username": user.username, "link": f"{base_url}/accounts/reset/{uid}/{token}/"},
        idempotency_key=f"user-{user.pk}-reset-{crypto.lookup_hash(token)[:16]}",
        user=user,
        channels=("email",),
    )
    audit.record(actor=user, object_type="user", object_id=user.pk, verb="password_reset_sent")


@transaction.atomic
def complete_password_reset(form) -> User:
    """Sets the new password from a valid SetPasswordForm and ends every other
    way in: API tokens are revoked, and sessions opened before end because the
    session's auth hash no longer matches the password (Django checks it on
    every request)."""
    user = form.save()  # User.save revokes the API tokens
    revoked = user.tokens_revoked
    audit.record(
        actor=user,
        object_type="user",
        object_id=user.pk,
        verb="password_reset",
        data={"api_tokens_revoked": revoked},
    )
    return user
