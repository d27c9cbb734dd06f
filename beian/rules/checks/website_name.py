"""Website names (网站名称), by the national rules and the province's word lists."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from beian.core.i18n import is_english
from beian.rules.provinces import ProvinceRules
from beian.rules.result import CheckResult

DATA = Path(__file__).resolve().parent.parent / "data" / "website_names.json"
MIN_LENGTH = 3
LATIN_ONLY = re.compile(r"^[A-Za-z0-9 ]+$")
LOOKS_LIKE_DOMAIN = re.compile(r"^(?:[\w-]+\.)+[A-Za-z\u4e00-\u9fff-]{2,}$")
# Letters, digits, CJK and a space are fine; so are a few marks names really use.
ALLOWED_PUNCTUATION = set(" -·")


@cache
def word_lists() -> dict[str, tuple[str, ...]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {key: tuple(value) for key, value in data.items() if not key.startswith("_")}


def _first_word(name: str, words) -> str | None:
    upper = name.upper()
    return next((w for w in words if w.upper() in upper), None)


def check_website_name(
    value: str,
    subject_type: str,
    rules: ProvinceRules | None = None,
    state_body: bool = False,
) -> CheckResult:
    """`subject_type` is "individual" or "organization"; `state_body` allows 中国/国家 …"""
    name = unicodedata.normalize("NFKC", str(value)).strip()
    name = re.sub(r"\s+", " ", name)
    result = CheckResult(normalized=name)
    result.facts["length"] = len(name)

    if len(name) < MIN_LENGTH:
        result.error("website_name_too_short")
    if name.replace(" ", "").isdigit():
        result.error("website_name_digits_only")
    elif LATIN_ONLY.match(name):
        result.error("website_name_latin_only")
    if LOOKS_LIKE_DOMAIN.match(name):
        result.error("website_name_is_domain")
    else:
        symbols = sorted({ch for ch in name if not ch.isalnum() and ch not in ALLOWED_PUNCTUATION})
        if symbols:
            result.error("website_name_symbols", symbols=" ".join(symbols))

    lists = word_lists()
    if not state_body and (word := _first_word(name, lists["state_words"])):
        result.error("website_name_state_word", word=word)
    if subject_type == "individual":
        if word := _first_word(name, lists["enterprise_words"]):
            result.error("website_name_enterprise_word", word=word)
        if word := _first_word(name, lists["preapproval_words"]):
            result.error("website_name_preapproval_word", word=word)
        if word := _first_word(name, lists["discouraged_words_individual"]):
            result.warn("website_name_discouraged_word", word=word)
    if rules is not None and (word := _first_word(name, rules.banned_words_for(subject_type))):
        result.error(
            "website_name_banned_word",
            province=rules.province.display(is_english()),
            word=word,
        )
    return result
