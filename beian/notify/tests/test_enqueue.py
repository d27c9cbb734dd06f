"""Writing messages: one row per channel, in the caller's transaction, once per key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from beian.notify import catalog, selectors
from beian.notify.models import Channel, Message, State
from beian.notify.services import enqueue

pytestmark = pytest.mark.django_db


def _enqueue(user, key="app:1:received", **kwargs):
    return enqueue(
        template="application_received",
        context={"order_number": "BA2026000001", "filing_type_label": "首次备案"},
        idempotency_key=key,
        user=user,
        **kwargs,
    )


def test_one_row_per_channel_with_rendered_content(notify_user):
    messages = _enqueue(notify_user)
    by_channel = {m.channel: m for m in messages}
    assert set(by_channel) == {Channel.INBOX, Channel.EMAIL, Channel.SMS}
    assert all("BA2026000001" in m.subject for m in messages)
    assert by_channel[Channel.SMS].body.startswith("【ICP备案】")
    assert "首次备案" in by_channel[Channel.EMAIL].body
    assert "<html" in by_channel[Channel.EMAIL].html
    assert by_channel[Channel.EMAIL].to_address == "zhang.wei@example.cn"
    assert by_channel[Channel.SMS].to_display == "139****0000"
    assert by_channel[Channel.EMAIL].to_display == "z***@example.cn"


def test_inbox_is_sent_at_once_and_others_wait_for_the_worker(notify_user):
    states = {m.channel: m.state for m in _enqueue(notify_user)}
    assert states == {
        Channel.INBOX: State.SENT,
        Channel.EMAIL: State.PENDING,
        Channel.SMS: State.PENDING,
    }


def test_same_key_returns_the_same_rows(notify_user):
    first = _enqueue(notify_user)
    again = _enqueue(notify_user)
    assert [m.pk for m in first] == [m.pk for m in again]
    assert Message.objects.count() == 3


def test_same_key_other_channel_adds_only_that_channel(notify_user):
    _enqueue(notify_user, channels=("email",))
    _enqueue(notify_user, channels=("email", "sms"))
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_rolled_back_state_change_leaves_no_message(notify_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(notify_user)
        raise RuntimeError("the state change failed")
    assert Message.objects.count() == 0


def test_channel_without_address_is_skipped(db):
    messages = enqueue(
        template="sms_code",
        context={"code": "123456"},
        idempotency_key="sms:1",
        phone="13962100000",
    )
    # No user: no inbox and no e-mail; the phone given gets the SMS.
    assert [m.channel for m in messages] == [Channel.SMS]
    assert "123456" not in messages[0].body  # stored redacted; the code is only for the transport


def test_explicit_addresses_replace_the_users(notify_user):
    messages = _enqueue(notify_user, phone="13800138000", email="other@example.com")
    addresses = {m.channel: m.to_address for m in messages}
    assert addresses[Channel.SMS] == "13800138000"
    assert addresses[Channel.EMAIL] == "other@example.com"


def test_language_follows_the_user(notify_user):
    notify_user.language = "en"
    messages = _enqueue(notify_user, channels=("email",))
    assert messages[0].language == "en"
    assert messages[0].subject.startswith("Filing application received")


def test_address_is_encrypted_at_rest(notify_user):
    message = _enqueue(notify_user, channels=("sms",))[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_address FROM notify_message WHERE id = %s", [message.pk.hex])
        raw = cursor.fetchone()[0]
    assert "13962100000" not in raw
    assert Message.objects.get(pk=message.pk).to_address == "13962100000"


def test_unknown_template_is_refused(notify_user):
    with pytest.raises(KeyError):
        enqueue(template="nope", context={}, idempotency_key="x", user=notify_user)


@pytest.mark.parametrize("name", sorted(catalog.TEMPLATES))
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_template_renders_without_context(name, language):
    rendered = catalog.render(name, {}, language)
    assert rendered.subject and rendered.text and rendered.sms
    assert "{{" not in rendered.text + rendered.sms


def test_context_values_are_rendered_and_escaped_in_html():
    rendered = catalog.render(
        "application_returned",
        {
            "order_number": "BA1",
            "reasons": [{"field_label": "网站名称", "text": "<b>含禁用词</b>"}],
        },
        "zh-hans",
    )
    assert "网站名称：<b>含禁用词</b>" in rendered.text
    assert "&lt;b&gt;含禁用词&lt;/b&gt;" in rendered.html


def test_inbox_for_lists_the_users_messages_newest_first(notify_user, clock):
    clock.set(2026, 9, 1, 10)
    _enqueue(notify_user, key="a")
    clock.advance(hours=1)
    enqueue(template="photo_verified", context={}, idempotency_key="b", user=notify_user)
    templates = [m.template for m in selectors.inbox_for(notify_user)]
    assert templates[:3] == ["photo_verified"] * 3
    assert len(templates) == 6


@pytest.mark.parametrize(
    "expires_at",
    [
        "2026-10-15T02:00:00+00:00",
        dt.datetime(2026, 10, 15, 2, 0, tzinfo=dt.UTC),
    ],
)
def test_datetimes_are_shown_in_china_time(expires_at):
    rendered = catalog.render("order_expiring", {"expires_at": expires_at}, "zh-hans")
    assert "2026-10-15 10:00" in rendered.text
