"""Secret messages (catalog.SECRETS): a reset link, a confirmation link or an SMS
code reaches the transport and nothing else — not the stored row, the admin,
the API or the logs — and is destroyed once the message is sent or failed."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from beian.accounts.models import ApiToken, Role
from beian.notify import catalog, delivery
from beian.notify.models import RecordedSms, State
from beian.notify.services import enqueue, resend
from testing import make_user

pytestmark = pytest.mark.django_db

CODE = "482913"
LINK = "http://testserver/accounts/reset/MQ/c5k2x1-0a1b2c3d4e5f60718293a4b5c6d7e8f9/"


class QuotingBackend:
    """An SMS backend that fails quoting what it was given (as some gateways do)."""

    def send(self, message):
        raise RuntimeError(f"gateway choked on {message.body!r}")


def _raw_rows(table: str) -> str:
    """Every column of every row as the database holds it (no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name
        return repr(cursor.fetchall())


def _reset(user, link=LINK):
    return enqueue(
        template="account_password_reset",
        context={"username": user.username, "link": link},
        idempotency_key="reset-1",
        user=user,
        channels=("email", "inbox"),
    )


def _code(phone="13962100000", code=CODE, key="sms-1"):
    return enqueue(
        template="sms_code",
        context={"code": code, "order_number": "BA1"},
        idempotency_key=key,
        phone=phone,
        channels=("sms",),
    )[0]


def test_every_secret_template_says_which_keys_are_secret():
    # The ones the product sends today; a new secret-bearing template adds itself.
    assert catalog.secret_keys("sms_code") == ("code",)
    assert catalog.secret_keys("account_password_reset") == ("link",)
    assert catalog.secret_keys("account_email_confirm") == ("link",)
    assert catalog.secret_keys("application_approved") == ()


def test_reset_link_reaches_the_mail_and_no_stored_column():
    user = make_user("zhangwei", email="zhang.wei@example.cn")
    email_row, inbox_row = _reset(user)
    for row in (email_row, inbox_row):
        row.refresh_from_db()
        assert LINK not in row.body + row.html + row.subject + json.dumps(row.context)
        assert row.context["link"] == catalog.REDACTED
        assert catalog.REDACTED in row.body
    assert inbox_row.secret == ""  # the inbox has no transport: nothing to keep
    assert email_row.secret  # until sent, encrypted
    assert LINK not in _raw_rows("notify_message")

    assert delivery.deliver_due("test") == 1
    [sent] = mail.outbox
    assert LINK in sent.body
    assert LINK in sent.alternatives[0][0]  # the HTML part too
    email_row.refresh_from_db()
    assert email_row.state == State.SENT
    assert email_row.secret == ""  # destroyed once sent
    assert "/accounts/reset/" not in _raw_rows("notify_message")


def test_sms_code_reaches_the_phone_and_no_stored_column_nor_staff():
    message = _code()
    delivery.deliver_due("test")
    [record] = RecordedSms.objects.all()
    assert CODE in record.text  # what the phone shows (the recording backend is the phone)
    message.refresh_from_db()
    assert message.state == State.SENT and message.secret == ""
    assert CODE not in _raw_rows("notify_message")
    assert CODE not in _raw_rows("notify_recordedsms")  # the phone's copy is encrypted
    assert record.shown_text == "【工信部】您的备案短信核验码为******，24小时内有效。"


def test_the_admin_shows_no_secret():
    admin = make_user("root", Role.ADMIN)
    user = make_user("zhangwei", email="zhang.wei@example.cn")
    [email_row, _] = _reset(user)
    sms = _code()
    delivery.deliver_due("test")
    client = Client()
    client.force_login(admin)
    pages = [
        "/admin/notify/message/",
        f"/admin/notify/message/{email_row.pk}/change/",
        f"/admin/notify/message/{sms.pk}/change/",
        "/admin/notify/recordedsms/",
        f"/admin/notify/recordedsms/{RecordedSms.objects.get().pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert CODE not in page and "/accounts/reset/" not in page, url


def test_the_inbox_api_shows_no_secret():
    user = make_user("zhangwei", email="zhang.wei@example.cn")
    _reset(user)
    _, key = ApiToken.issue(user, "script")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    before = api.get("/api/v1/notify/inbox")
    delivery.deliver_due("test")
    after = api.get("/api/v1/notify/inbox")
    for response in (before, after):
        assert response.status_code == 200
        assert len(response.json()) == 2
        assert "/accounts/reset/" not in response.content.decode()


def test_a_temporary_failure_keeps_the_secret_for_the_retry(settings):
    settings.BEIAN = {**settings.BEIAN, "SMS_BACKEND": f"{__name__}.QuotingBackend"}
    message = _code()
    delivery.deliver_due("test")
    message.refresh_from_db()
    assert message.state == State.PENDING and json.loads(message.secret) == {"code": CODE}
    # The error quoted the text: stored with the code redacted.
    assert CODE not in message.last_error and catalog.REDACTED in message.last_error


def test_a_failed_secret_message_is_destroyed_and_cannot_be_resent(settings, caplog):
    settings.BEIAN = {
        **settings.BEIAN,
        "SMS_BACKEND": f"{__name__}.QuotingBackend",
        "NOTIFY_MAX_ATTEMPTS": 1,
    }
    operator = make_user("op", Role.OPERATOR)
    message = _code()
    with caplog.at_level(logging.DEBUG):
        delivery.deliver_due("test")
    message.refresh_from_db()
    assert message.state == State.FAILED and message.secret == ""
    assert CODE not in message.last_error
    assert CODE not in caplog.text
    with pytest.raises(Exception) as refused:
        resend(message.pk, actor=operator)
    assert refused.value.code == "notify_secret_not_resendable"
    assert refused.value.status == 409
    # In the user's language, no internal value.
    assert "不能重新发送" in refused.value.message()


def test_a_retried_mail_carries_the_same_link(settings):
    user = make_user("zhangwei", email="zhang.wei@example.cn")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_PORT = 1  # nothing listens: a temporary failure
    settings.EMAIL_TIMEOUT = 1
    settings.BEIAN = {**settings.BEIAN, "NOTIFY_RETRY_BASE_SECONDS": 0}
    [email_row, _] = _reset(user)
    delivery.deliver_due("test", limit=1)
    email_row.refresh_from_db()
    assert email_row.state == State.PENDING and email_row.secret
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery.deliver_due("test")
    [sent] = mail.outbox
    assert re.search(re.escape(LINK), sent.body)
    email_row.refresh_from_db()
    assert email_row.state == State.SENT and email_row.secret == ""
