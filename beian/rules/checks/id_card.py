"""Resident ID numbers (居民身份证号码, GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from beian.core import clock
from beian.core.i18n import is_english
from beian.rules import areas
from beian.rules.provinces import ProvinceRules, all_provinces
from beian.rules.result import CheckResult

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
# Older than this is almost certainly a typo, not a filer.
IMPLAUSIBLE_AGE = 120


def check_char(first17: str) -> str:
    """The check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize(value: str) -> str:
    # NFKC folds full-width digits (１２３) people type with a Chinese IME.
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_id_card(
    value: str, rules: ProvinceRules | None = None, subject_type: str | None = None
) -> CheckResult:
    number = normalize(value)
    result = CheckResult(normalized=number)
    if not PATTERN.match(number):
        return result.error("id_card_format")
    if check_char(number[:17]) != number[17]:
        return result.error("id_card_checksum")

    province_code = number[:2] + "0000"
    mainland = {p.code: p for p in all_provinces()}
    if province_code not in mainland:
        return result.error("id_card_area")
    result.facts["province"] = province_code
    result.facts["area_code"] = number[:6]
    area_name = areas.full_name(number[:6])
    result.facts["area"] = area_name
    if area_name is None:
        result.warn("id_card_area_unrecognised", area=number[:6])

    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return result.error("id_card_birth_date")
    today = clock.today()
    if birth > today:
        return result.error("id_card_birth_date_future")
    result.facts["birth_date"] = birth.isoformat()
    result.facts["sex"] = "male" if int(number[16]) % 2 else "female"
    age = age_on(birth, today)
    result.facts["age"] = age
    if age > IMPLAUSIBLE_AGE:
        result.warn("id_card_implausible_age", age=age)

    _check_age(result, age, rules)
    if rules is not None:
        _check_locality(result, province_code, rules, subject_type)
    return result


def _province_label(rules: ProvinceRules) -> str:
    return rules.province.display(english=is_english())


def _check_age(result: CheckResult, age: int, rules: ProvinceRules | None) -> None:
    min_age = rules.min_age if rules else 18
    if age >= min_age:
        return
    if rules and rules.relaxed_min_age is not None and age >= rules.relaxed_min_age:
        result.warn(
            "id_card_minor_needs_proof",
            province=_province_label(rules),
            min_age=rules.relaxed_min_age,
        )
    elif rules and rules.minors_with_guardian:
        result.warn("id_card_minor_needs_guardian", province=_province_label(rules))
    else:
        result.error("id_card_underage", min_age=min_age)


def _check_locality(
    result: CheckResult, id_province: str, rules: ProvinceRules, subject_type: str | None
) -> None:
    """Local-ID rules bind individual filers only; unknown subject type → a warning."""
    if id_province == rules.province.code or subject_type == "organization":
        return
    label = _province_label(rules)
    if rules.local_id_only:
        if subject_type == "individual":
            result.error("id_card_not_local", province=label)
        else:
            result.warn("id_card_local_only_individuals", province=label)
    elif rules.residence_permit_for_non_locals:
        result.warn("id_card_residence_permit", province=label)
