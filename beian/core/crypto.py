"""PII at rest: authenticated encryption and keyed lookup hashes.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key
derived from settings.PII_KEY; equality look-ups use an HMAC-SHA256 of the
normalised value under a second derived key, so the database never holds a
certificate number, phone or e-mail in clear.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return hmac.new(settings.PII_KEY.encode(), purpose, hashlib.sha256).digest()


@functools.cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"beian-pii-encryption-v1")))


class WrongKey(ValueError):
    """A value that does not open under the configured key: the wrong key (see
    beian/core/keys.py, which stops a process with a wrong key at start), or
    tampered data."""


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key or tampered data: never hand back garbage
        raise WrongKey("PII value cannot be decrypted with the configured key") from exc


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(bytes(data))


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise WrongKey("PII value cannot be decrypted with the configured key") from exc


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised value (upper-cased, spaces removed)."""
    normalised = "".join(str(value).split()).upper()
    return hmac.new(
        _derive(b"beian-pii-lookup-v1"), normalised.encode(), hashlib.sha256
    ).hexdigest()
