"""E-mail delivery to a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt

import pytest

from beian.notify import delivery
from beian.notify.models import Message, State
from beian.notify.services import enqueue
from beian.notify.tests.conftest import MailSink, SmtpServer

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def _mail(notify_user, key="app:1:approved"):
    return enqueue(
        template="application_approved",
        context={
            "order_number": "BA2026000001",
            "subject_number": "苏ICP备2026000001号",
            "website_numbers": ["苏ICP备2026000001号-1"],
        },
        idempotency_key=key,
        user=notify_user,
        channels=("email",),
    )[0]


def test_email_arrives_with_text_html_and_its_uuid(use_smtp, smtp_server, notify_user):
    message = _mail(notify_user)
    assert delivery.deliver_due("test") == 1

    [received] = smtp_server.sink.received
    assert received["To"] == "zhang.wei@example.cn"
    assert received["Message-ID"] == f"<{message.pk}@beian.test>"
    assert received["X-Beian-Message-Id"] == str(message.pk)
    assert (
        "苏ICP备2026000001号" in received["Subject"] + received.get_body(("plain",)).get_content()
    )
    assert "苏ICP备2026000001号-1" in received.get_body(("html",)).get_content()
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.sent_at is not None
    assert message.attempts == 1


def test_smtp_down_messages_wait_and_go_out_when_it_is_back(
    use_smtp, smtp_port, notify_user, clock
):
    clock.set(2026, 9, 1, 10)
    messages = [_mail(notify_user, key=f"k{i}") for i in range(3)]

    # Nothing listens on the port: every attempt fails, every message waits.
    assert delivery.deliver_due("test") == 3
    for message in messages:
        message.refresh_from_db()
        assert message.state == State.PENDING
        assert message.attempts == 1
        assert message.next_attempt_at > clock.now()
        assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    # Not due yet: the backoff holds them back.
    assert delivery.deliver_due("test") == 0

    server = SmtpServer(smtp_port, MailSink()).start()
    try:
        clock.advance(minutes=5)
        assert delivery.deliver_due("test") == 3
    finally:
        server.stop()
    assert sorted(m["Message-ID"] for m in server.sink.received) == sorted(
        f"<{m.pk}@beian.test>" for m in messages
    )
    assert set(Message.objects.values_list("state", flat=True)) == {State.SENT}


def test_backoff_doubles_then_the_message_fails(use_smtp, notify_user, clock, settings):
    settings.BEIAN = {**settings.BEIAN, "NOTIFY_MAX_ATTEMPTS": 3, "NOTIFY_RETRY_BASE_SECONDS": 10}
    clock.set(2026, 9, 1, 10)
    message = _mail(notify_user)
    delays = []
    for _ in range(3):
        before = clock.now()
        delivery.deliver_due("test")
        message.refresh_from_db()
        if message.state == State.PENDING:
            delays.append(message.next_attempt_at - before)
            clock.set(message.next_attempt_at)
    assert delays == [dt.timedelta(seconds=10), dt.timedelta(seconds=20)]
    assert message.state == State.FAILED
    assert message.attempts == 3
    assert message.last_error


def test_a_lease_that_runs_out_makes_the_message_due_again(
    use_smtp, smtp_server, notify_user, clock
):
    clock.set(2026, 9, 1, 10)
    message = _mail(notify_user)
    # A worker claims it and dies without finishing.
    assert [m.pk for m in delivery.claim_due("dead-worker")] == [message.pk]
    assert delivery.claim_due("other") == []  # leased: nobody else may take it
    clock.advance(seconds=delivery.lease().total_seconds() + 1)
    assert delivery.deliver_due("other") == 1
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 2
    assert smtp_server.sink.message_ids() == [f"<{message.pk}@beian.test>"]


def test_only_one_claim_wins(use_smtp, notify_user):
    _mail(notify_user)
    first = delivery.claim_due("a")
    second = delivery.claim_due("b")
    assert len(first) == 1 and second == []
