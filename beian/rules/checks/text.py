"""Free text a person types (names, addresses) and the home page URL.

What is printed on the forms, sent to MIIT and shown to staff must read the
same to everyone: no control characters (they break the XML and the logs),
no bidi overrides (U+202E turns "gpj.exe" into "exe.jpg" on screen), no
zero-width characters (two names that look the same but differ), no emoji
(neither MIIT's system nor an ID card has them). A home page URL is http(s)
with a host: `javascript:`, `data:` and friends would run when staff click.

`text_problem(value, kind)` answers the first problem as (code, params), for
services that refuse a field; `check_name`, `check_address`, `check_home_url`
answer a CheckResult like every other check.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from beian.rules.result import CheckResult

# Explicit direction marks, embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Invisible characters that join or separate without showing.
ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
# Pictographs and their modifiers. Plain symbols that Chinese addresses use
# (·, №, ℃, （）, full-width digits) are not in these ranges.
EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # mahjong … symbols and pictographs extended-A (incl. flags, skin tones)
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x2B00, 0x2BFF),  # arrows and stars (⭐ ⬛)
    (0x2300, 0x23FF),  # technical: ⌚ ⏰
    (0xFE00, 0xFE0F),  # variation selectors (emoji presentation)
    (0xE0000, 0xE007F),  # tags (subdivision flags)
    (0x20E3, 0x20E3),  # combining keycap
)


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _is_emoji(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in EMOJI_RANGES)


def text_problem(value: str, kind: str = "name") -> tuple[str, dict] | None:
    """The first reason to refuse `value` as a `kind` ("name", "address" or
    "text": free text, where line breaks and emoji may stay), or None."""
    multiline = kind == "text"
    for char in str(value or ""):
        if char in BIDI_CONTROLS:
            return "text_bidi_control", {"char": _codepoint(char)}
        if char in ZERO_WIDTH:
            return "text_zero_width", {"char": _codepoint(char)}
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and not (
            multiline and char in "\n\r\t"
        ):
            return "text_control_character", {"char": _codepoint(char)}
        if not multiline and unicodedata.category(char) == "Cf":
            return "text_control_character", {"char": _codepoint(char)}
        if not multiline and _is_emoji(char):
            return "text_emoji", {"char": char}
    return None


def url_problem(value: str) -> tuple[str, dict] | None:
    """The first reason to refuse a home page URL, or None (an empty one is not ours to refuse)."""
    text = str(value or "").strip()
    if not text:
        return None
    problem = text_problem(text, "name")
    if problem:
        return problem
    if any(char.isspace() for char in text):
        return "url_invalid", {}
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return "url_scheme_not_allowed", {"scheme": parts.scheme or "-"}
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "url_invalid", {}
    if not host or parts.username is not None or parts.password is not None:
        return "url_invalid", {}
    return None


def _result(value: str, problem: tuple[str, dict] | None) -> CheckResult:
    result = CheckResult(normalized=str(value).strip())
    if problem:
        code, params = problem
        result.error(code, **params)
        result.normalized = None
    return result


def check_name(value: str) -> CheckResult:
    return _result(value, text_problem(value, "name"))


def check_address(value: str) -> CheckResult:
    return _result(value, text_problem(value, "address"))


def check_home_url(value: str) -> CheckResult:
    return _result(value, url_problem(value))
