"""Which messages a member of staff may see: those about what their scope covers.

A message is about an application when its context names the order
(`order_number`); which orders a user may see is the filings app's knowledge,
which sits above notify. It registers the rule in its AppConfig.ready():

    from beian.notify.scope import register_scope

    register_scope(lambda user, messages: messages.filter(...))

With no rule registered, staff see no message (least privilege, never all).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

_RULES: list[Callable] = []


def register_scope(rule: Callable) -> Callable:
    """`rule(user, messages)` returns the rows of `messages` in the user's scope."""
    if rule not in _RULES:
        _RULES.append(rule)
    return rule


def in_scope(user, messages: QuerySet) -> QuerySet:
    if not _RULES:
        return messages.none()
    for rule in _RULES:
        messages = rule(user, messages)
    return messages
