"""Masking of PII for lists, admin and logs."""

from __future__ import annotations

import logging
import re


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return (
        name[0] + "*" * max(1, len(name) - 1)
        if len(name) <= 3
        else name[0] + "*" * (len(name) - 2) + name[-1]
    )


def mask_certificate(number: str | None) -> str:
    if not number:
        return ""
    if len(number) <= 8:
        return number[:2] + "*" * (len(number) - 2)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return digits[:2] + "*" * max(1, len(digits) - 4) + digits[-2:]


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return "***" if email else ""
    local, _, domain = email.partition("@")
    return (local[0] if local else "") + "***@" + domain


def mask_address(address: str | None) -> str:
    if not address:
        return ""
    keep = min(6, max(1, len(address) // 3))
    return address[:keep] + "****"


# Patterns that look like PII in free text (log lines): mainland mobiles,
# resident ID numbers and e-mail addresses.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


# Patterns of secrets in text (a one-time link's path), registered by the app
# that issues them (accounts: reset and confirmation links); masked in logs and
# stored error texts like PII.
_SECRET_PATTERNS: list[re.Pattern] = []


def register_secret_pattern(pattern: str) -> None:
    """A regular expression whose group 1 is kept and the rest of the match masked."""
    compiled = re.compile(pattern)
    if compiled.pattern not in {p.pattern for p in _SECRET_PATTERNS}:
        _SECRET_PATTERNS.append(compiled)


def mask_text(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "******", text)
    text = _ID_RE.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    text = _MOBILE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _EMAIL_RE.sub(lambda m: m.group(1) + "***@" + m.group(2), text)


class MaskPiiLogFilter(logging.Filter):
    """Masks ID numbers, mobiles, e-mails and registered secrets in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
