"""Authentication of a call: ISP id, user, password hash over the random value."""

from __future__ import annotations

import hmac

from beian.authority.client import setting
from beian.authority.codec import (
    pwd_hash,
)
from beian.authority.sim.services.base import Answer


def authenticate(params: dict) -> None:
    try:
        isp_id = int(params.get("ispId") or 0)
        hash_algorithm = int(params.get("hashAlgorithm") or 0)
    except ValueError:
        raise Answer(12) from None
    if isp_id != int(setting("AUTHORITY_ISP_ID")):
        raise Answer(13)
    if params.get("userName") != setting("AUTHORITY_USER"):
        raise Answer(4)
    rand_val = params.get("randVal") or ""
    if len(rand_val) < 20:
        raise Answer(16)
    if hash_algorithm not in (0, 1):
        raise Answer(10)
    expected = pwd_hash(setting("AUTHORITY_PASSWORD"), rand_val, hash_algorithm)
    if not hmac.compare_digest(expected, params.get("pwdHash") or ""):
        raise Answer(5)


def _key_iv():
    return (setting("AUTHORITY_AES_KEY") or None, setting("AUTHORITY_AES_IV") or None)
