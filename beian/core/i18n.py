"""The user's language, and text written in both languages in place.

Chinese is the default; English when the active language is English (Django's
`LocaleMiddleware`: session, cookie, `Accept-Language`). See
docs/decisions/0002-bilingual-text-inline.md for why text is written inline
instead of in gettext catalogues. `t` is the one helper: the `{% t %}` template
tag, views, forms (`lazy_t`) and checks all call it.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import lazy


def is_english(language: str | None = None) -> bool:
    """Whether `language` (default: the active one) is English."""
    language = language or translation.get_language() or "zh-hans"
    return language.lower().startswith("en")


def t(zh: str, en: str) -> str:
    """The text of the active language: `en` in English, else `zh`."""
    return en if is_english() else zh


# For texts fixed at import time (form labels): picked when rendered.
lazy_t = lazy(t, str)


def one_side(text: str) -> str:
    """The reader's half of a text Beian wrote as "中文 / English" (a choice label, a
    reason the system gave); other text as it is."""
    zh, sep, en = str(text).partition(" / ")
    return t(zh, en) if sep else text
