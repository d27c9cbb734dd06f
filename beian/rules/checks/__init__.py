"""The checks of domain.md §5–§6, one pure function per kind.

`run_check(kind, value, province=None, subject_type=None)` is what forms, the
API and the CLI call; each answers a `CheckResult`.
"""

from __future__ import annotations

from collections.abc import Callable

from beian.core.errors import Refusal
from beian.rules.checks.domain import check_domain
from beian.rules.checks.icp_number import check_icp_number
from beian.rules.checks.id_card import check_id_card
from beian.rules.checks.phone import check_phone
from beian.rules.checks.text import check_address, check_home_url, check_name
from beian.rules.checks.uscc import check_uscc
from beian.rules.checks.website_name import check_website_name
from beian.rules.provinces import SUBJECT_TYPES, ProvinceRules, rules_for
from beian.rules.result import CheckResult

__all__ = [
    "KINDS",
    "CheckResult",
    "check_address",
    "check_home_url",
    "check_name",
    "check_domain",
    "check_icp_number",
    "check_id_card",
    "check_phone",
    "check_uscc",
    "check_website_name",
    "run_check",
]

Runner = Callable[[str, ProvinceRules | None, str | None], CheckResult]

KINDS: dict[str, Runner] = {
    "id-card": lambda value, rules, subject_type: check_id_card(value, rules, subject_type),
    "uscc": lambda value, rules, subject_type: check_uscc(value),
    "phone": lambda value, rules, subject_type: check_phone(value, rules),
    "domain": lambda value, rules, subject_type: check_domain(value),
    "website-name": lambda value, rules, subject_type: check_website_name(
        value, subject_type, rules
    ),
    "icp-number": lambda value, rules, subject_type: check_icp_number(value),
}
NEEDS_SUBJECT_TYPE = {"website-name"}
# check_name, check_address and check_home_url (checks/text.py) are not kinds of
# their own: the services that save a filing refuse with them field by field.


def validate_request(
    kind: str, value: str | None, province: str | None, subject_type: str | None
) -> ProvinceRules | None:
    """Refuse a malformed request; return the province's rules (or None)."""
    if kind not in KINDS:
        raise Refusal(
            "check_unknown_kind", field="kind", params={"kind": kind, "kinds": ", ".join(KINDS)}
        )
    if value is None or not str(value).strip():
        raise Refusal("check_value_missing", field="value")
    if subject_type is not None and subject_type not in SUBJECT_TYPES:
        raise Refusal("check_subject_type_invalid", field="subject_type")
    if kind in NEEDS_SUBJECT_TYPE and subject_type is None:
        raise Refusal("check_subject_type_required", field="subject_type")
    return rules_for(province) if province else None


def run_check(
    kind: str, value: str | None, province: str | None = None, subject_type: str | None = None
) -> CheckResult:
    """Run one check; raises Refusal for a request that cannot be checked at all."""
    rules = validate_request(kind, value, province, subject_type)
    return KINDS[kind](str(value), rules, subject_type)
