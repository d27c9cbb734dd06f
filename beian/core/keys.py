"""Which PII key the data were written under, and a clear stop when it is not ours.

Every encrypted column, every keyed look-up hash, the scans' file encryption
and the audit chain derive from settings.PII_KEY (`var/pii_key`, or
BEIAN_PII_KEY). A lost key file is generated again by settings.py on the next
start, and a wrong key (another machine's, an old backup's) looks just like
it; either way nothing can be read, and before this check every log-in and
public query was a 500.

So the database keeps the key's fingerprint (`KeyFingerprint`, one row,
recorded by migration core 0004 on a fresh or upgraded database): an HMAC of
a fixed text under the key, which tells keys apart without revealing them.
At start the fingerprints are compared — by `beian serve`, `beian worker` and
`beian/wsgi.py` (a web server started on its own), and as the database system
check `beian.E001` (`beian migrate`, `beian check --database default`) —
and a mismatch stops the process with a message telling the operator what to
do (docs/operations.md, "The PII key").
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from beian.core.models import KeyFingerprint

FINGERPRINT_PURPOSE = b"beian-pii-key-fingerprint-v1"


def fingerprint(key: str | None = None) -> str:
    """The fingerprint of `key` (the configured key by default): 32 hex digits."""
    key = settings.PII_KEY if key is None else key
    return hmac.new(key.encode(), FINGERPRINT_PURPOSE, hashlib.sha256).hexdigest()[:32]


def key_problem() -> str | None:
    """What is wrong with the configured key for this database, in words; None when
    it is the data's key, nothing is recorded yet, or the database cannot say."""
    try:
        recorded = KeyFingerprint.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    except DatabaseError:  # not migrated yet, or unreachable: /readyz says which
        return None
    ours = fingerprint()
    if recorded is None or hmac.compare_digest(recorded, ours):
        return None
    where = (
        "BEIAN_PII_KEY"
        if getattr(settings, "PII_KEY_FROM_ENV", False)
        else str(settings.PII_KEY_FILE)
    )
    new = " It was missing and has just been generated." if settings.PII_KEY_GENERATED else ""
    return (
        f"数据密钥不符 / Wrong PII key: the data in this database were encrypted under the "
        f"key with fingerprint {recorded[:12]}…, but the configured key ({where}) has "
        f"fingerprint {ours[:12]}….{new} Nothing can be read or written with it. "
        f"Restore the key from your backup into {where} (or set BEIAN_PII_KEY), keep the "
        f"file mode 0600, and start again; `beian check` confirms. Do not delete data "
        f"or the fingerprint to get past this: the data stay unreadable without their key."
    )


def refuse_wrong_key(error: type[Exception] = ImproperlyConfigured) -> None:
    """Stop a starting process whose key is not the data's: raise `error` (a command
    passes CommandError, which prints the message alone, without a traceback)."""
    if problem := key_problem():
        raise error(problem)


# A database check: run by `beian migrate` and `beian check --database default`
# (Django runs such checks only where a database is named); `beian serve`,
# `beian worker` and beian/wsgi.py call refuse_wrong_key themselves.
@checks.register(checks.Tags.database)
def check_pii_key(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    problem = key_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint="docs/operations.md, 'The PII key'",
            id="beian.E001",
        )
    ]
