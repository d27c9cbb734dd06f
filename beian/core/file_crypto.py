"""Scans and photos at rest: file contents encrypted with Fernet under their own key.

The key is derived from settings.PII_KEY exactly as beian.core.crypto derives
the PII key, with a purpose of its own, so a leaked scan key does not open the
PII columns and the other way round.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken

from beian.core.crypto import WrongKey, _derive


@functools.cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"beian-materials-files-v1")))


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:  # wrong key or tampered file: never serve garbage
        raise WrongKey("material file cannot be decrypted with the configured key") from exc
