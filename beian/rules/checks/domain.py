"""Domains: normalised to the registrable domain in punycode, TLD on MIIT's list;
an IDN label that mixes Latin with Cyrillic or Greek, or spells a Latin-looking
name in them, is refused (homoglyphs)."""

from __future__ import annotations

import ipaddress
import json
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import idna
from publicsuffixlist import PublicSuffixList

from beian.rules.result import CheckResult

DATA = Path(__file__).resolve().parent.parent / "data" / "tlds.json"


@cache
def _psl() -> PublicSuffixList:
    # ICANN section only: a filing is for a domain bought from a registrar,
    # not for a name under a platform's private suffix (github.io …).
    return PublicSuffixList(only_icann=True, accept_unknown=False)


@cache
def approved_tlds() -> frozenset[str]:
    """MIIT-approved TLDs, in punycode."""
    names = json.loads(DATA.read_text(encoding="utf-8"))["approved"]
    return frozenset(idna.encode(name, uts46=True).decode("ascii") for name in names)


def _to_unicode(ascii_name: str) -> str:
    try:
        return idna.decode(ascii_name)
    except idna.IDNAError:
        return ascii_name


def _host_of(text: str, result: CheckResult) -> str:
    """Take the host out of a pasted URL (scheme, path, port)."""
    if "://" in text or "/" in text:
        parts = urlsplit(text if "://" in text else "//" + text)
        result.warn("domain_url_stripped")
        return parts.hostname or ""
    if text.count(":") == 1 and text.rsplit(":", 1)[1].isdigit():
        result.warn("domain_url_stripped")
        return text.rsplit(":", 1)[0]
    return text


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


# Scripts a label may mix, after UTS #39's "highly restrictive" profile: Latin
# with Han and the scripts written with it, never Latin with Cyrillic or Greek.
_MIXABLE = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)
# Cyrillic and Greek letters that look like Latin ones: a label made only of
# them (аррӏе) reads as a Latin name that it is not.
_LATIN_LOOKALIKES = frozenset("аеорсухіјѕԁԛԝӏһԍқмнтвкᴦοαερτυνικμχ")


def _script(char: str) -> str | None:
    if char.isdigit() or char == "-":
        return None  # common to every script
    name = unicodedata.name(char, "")
    if name.startswith("CJK ") or name.startswith("IDEOGRAPHIC"):
        return "HAN"
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _homoglyph_problem(ascii_host: str) -> tuple[str, dict] | None:
    for label in ascii_host.split("."):
        if not label.startswith("xn--"):
            continue
        text = _to_unicode(label)
        scripts = {s for s in map(_script, text) if s}
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in _MIXABLE):
            return "domain_mixed_script", {"label": text, "scripts": ", ".join(sorted(scripts))}
        if scripts & {"CYRILLIC", "GREEK"} and all(
            c in _LATIN_LOOKALIKES or _script(c) is None for c in text
        ):
            return "domain_confusable", {"label": text}
    return None


def check_domain(value: str) -> CheckResult:
    result = CheckResult(normalized=None)
    text = "".join(str(value).split()).lower()
    host = _host_of(text, result).rstrip(".")
    if not host:
        return result.error("domain_invalid", detail=value or "")
    if _is_ip(host):
        return result.error("domain_ip_literal")
    try:
        ascii_host = idna.encode(host, uts46=True, std3_rules=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        return result.error("domain_invalid", detail=str(exc))
    homoglyph = _homoglyph_problem(ascii_host)
    if homoglyph:
        code, params = homoglyph
        return result.error(code, **params)
    if "." not in ascii_host:
        if ascii_host in approved_tlds() or _psl().is_public(ascii_host):
            return result.error("domain_is_public_suffix", domain=_to_unicode(ascii_host))
        return result.error("domain_invalid", detail=_to_unicode(ascii_host))

    tld = ascii_host.rsplit(".", 1)[1]
    result.facts["tld"] = _to_unicode(tld)
    if _psl().publicsuffix(tld) is None:
        return result.error("domain_tld_unknown", tld=_to_unicode(tld))
    if tld not in approved_tlds():
        return result.error("domain_tld_not_approved", tld=_to_unicode(tld))

    registrable = _psl().privatesuffix(ascii_host)
    if registrable is None:
        return result.error("domain_is_public_suffix", domain=_to_unicode(ascii_host))
    result.normalized = registrable
    result.facts["registrable_domain"] = _to_unicode(registrable)
    result.facts["punycode"] = registrable
    result.facts["public_suffix"] = _to_unicode(_psl().publicsuffix(ascii_host))
    if ascii_host != registrable:
        result.facts["host"] = ascii_host
        result.warn("domain_subdomain_normalized", domain=_to_unicode(registrable))
    return result
