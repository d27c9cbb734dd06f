"""E-mail through Django's mail backend (SMTP in production), text + HTML."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from beian.notify.models import Message


def message_id_for(message: Message) -> str:
    """The RFC 5322 Message-ID, derived from the message's UUID: every
    delivery attempt of one message carries the same Message-ID."""
    domain = getattr(settings, "BEIAN", {}).get("MESSAGE_ID_DOMAIN") or (
        settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "beian.invalid"
    )
    return f"<{message.pk}@{domain}>"


def build(message: Message) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={
            "Message-ID": message_id_for(message),
            "X-Beian-Message-Id": str(message.pk),
            "Content-Language": "en" if message.language == "en" else "zh-Hans",
        },
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    return mail


class EmailBackend:
    def send(self, message: Message) -> str:
        connection = get_connection(fail_silently=False)
        sent = connection.send_messages([build(message)])
        if not sent:
            raise RuntimeError("the mail backend accepted no message")
        return message_id_for(message)
