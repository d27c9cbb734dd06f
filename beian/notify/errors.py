"""Refusal codes of the notify app."""

from beian.core.errors import register

register(
    {
        "notify_message_not_failed": (
            "只有发送失败的消息可以重新发送。",
            "Only a failed message can be resent.",
        ),
        "notify_inbox_not_resendable": (
            "站内信无需重新发送。",
            "In-portal messages are not resent.",
        ),
    }
)
