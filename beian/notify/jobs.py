"""Periodic jobs of the notify app (the worker imports every app's `jobs.py`).

Message delivery itself is not a locked periodic job: every worker delivers on
every pass, and each message row is claimed on its own (see delivery.py), so
several workers share the outbox instead of queueing behind one lock.
"""

from __future__ import annotations

from beian.notify import digest
from beian.notify.periodic import periodic


@periodic("notify.staff_digest", every=600)
def staff_digest() -> None:
    digest.send_staff_digest()
