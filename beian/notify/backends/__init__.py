"""Delivery backends: how a message leaves the system.

A backend's `send(message)` either returns (delivered; optionally a provider
reference), or raises:
- `Deferred(until, reason)`: not now, not a failure (a rate limit): try again at `until`;
- `PermanentFailure(reason)`: retrying cannot help (the gateway refused the request);
- anything else: a temporary failure, retried with backoff.

Every backend sends the message's UUID along (e-mail Message-ID, SMS request id)
so that a repeat after a crash carries the same identity.
"""

from __future__ import annotations

import datetime as dt


class Deferred(Exception):
    def __init__(self, until: dt.datetime, reason: str):
        super().__init__(reason)
        self.until = until
        self.reason = reason


class PermanentFailure(Exception):
    pass
