"""ICP numbers: 苏ICP备14012345号 (subject) and 粤ICP备2023007649号-1 (website).

The format and its parsing live in `beian.rules.icp`; this check adds what
depends on the day: the year must not lie in the future.
"""

from __future__ import annotations

from beian.core import clock
from beian.rules import icp
from beian.rules.result import CheckResult

FIRST_YEAR = 2000  # filings began in the early 2000s


def check_icp_number(value: str) -> CheckResult:
    result = CheckResult(normalized=icp.normalize(value))
    number = icp.parse(value)
    if number is None:
        return result.error("icp_number_invalid")
    if number.year is not None and not FIRST_YEAR <= number.year <= clock.today().year:
        return result.error("icp_number_year", year=number.year)
    result.facts.update(
        province=number.province,
        abbreviation=number.abbreviation,
        serial=number.serial,
        year=number.year,
        subject_number=number.subject_number,
        website_index=number.index,
        service_kind=number.kind,
    )
    return result
