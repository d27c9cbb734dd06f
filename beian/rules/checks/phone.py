"""Mainland mobile numbers and the province they are registered in.

The home region comes from `phonenumbers.geocoder` (public prefix data); its
Chinese description starts with the province's short name (江苏省常州市, 北京市,
广西南宁市 …), which we map to the GB/T 2260 code.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberType, carrier, geocoder

from beian.core.i18n import is_english
from beian.rules.provinces import Province, ProvinceRules, all_provinces
from beian.rules.result import CheckResult

MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def province_of_region(description: str) -> Province | None:
    """The province whose short name starts a geocoder description (longest wins)."""
    matches = [p for p in all_provinces() if description.startswith(p.short)]
    return max(matches, key=lambda p: len(p.short)) if matches else None


def check_phone(value: str, rules: ProvinceRules | None = None) -> CheckResult:
    raw = "".join(ch for ch in str(value) if not ch.isspace() and ch not in "-()")
    result = CheckResult(normalized=None)
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return result.error("phone_invalid")
    if number.country_code != 86:
        return result.error("phone_not_mainland")
    if not phonenumbers.is_valid_number(number):
        return result.error("phone_invalid")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return result.error("phone_not_mobile")

    result.normalized = str(number.national_number)
    result.facts["e164"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region = geocoder.description_for_number(number, "zh")
    home = province_of_region(region)
    result.facts["region"] = region or None
    result.facts["province"] = home.code if home else None
    result.facts["carrier"] = carrier.name_for_number(number, "zh") or None

    if rules is not None:
        _check_local(result, home, rules)
    return result


def _check_local(result: CheckResult, home: Province | None, rules: ProvinceRules) -> None:
    english = is_english()
    label = rules.province.display(english)
    if home is None:
        if rules.phone_must_be_local:
            result.warn("phone_region_unknown", province=label)
        return
    if home.code == rules.province.code:
        return
    if rules.phone_must_be_local:
        result.error("phone_not_local", province=label, phone_province=home.display(english))
    else:
        result.warn("phone_other_province", province=label, phone_province=home.display(english))
