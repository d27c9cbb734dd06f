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
        "notify_secret_not_resendable": (
            "该消息含一次性链接或验证码，发送失败后已销毁，不能重新发送；请用户重新申请。",
            "This message carried a one-time link or code, destroyed when it failed; "
            "it cannot be resent. Ask the person to request a new one.",
        ),
    }
)
