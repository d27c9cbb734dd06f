"""ICP numbers: 苏ICP备14012345号 (subject) and 粤ICP备2023007649号-1 (website)."""

from __future__ import annotations

import re
import unicodedata

from beian.core import clock
from beian.rules.provinces import all_provinces, province_of_abbreviation
from beian.rules.result import CheckResult

FIRST_YEAR = 2000  # filings began in the early 2000s


def _pattern() -> re.Pattern:
    letters = "".join(a for p in all_provinces() for a in p.abbreviations)
    # Serial: 2-digit year + 6 digits (old) or 4-digit year + 6 digits (since about 2019).
    # Suffix: -N for the subject's Nth website; apps add A, mini-programs X.
    return re.compile(
        rf"^(?P<abbr>[{letters}])ICP备(?P<serial>[0-9]{{8}}|[0-9]{{10}})号"
        r"(?:-(?P<index>[1-9][0-9]*)(?P<kind>[AX])?)?$"
    )


PATTERN = _pattern()
SERVICE_KINDS = {None: "website", "A": "app", "X": "mini_program"}


def normalize(value: str) -> str:
    # NFKC folds full-width ＩＣＰ, digits and the hyphen variants people paste.
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split()).replace("icp", "ICP").replace("Icp", "ICP")
    return re.sub(r"[‐‑‒–—―－]", "-", text)


def check_icp_number(value: str) -> CheckResult:
    number = normalize(value)
    result = CheckResult(normalized=number)
    match = PATTERN.match(number)
    if not match:
        return result.error("icp_number_invalid")
    province = province_of_abbreviation(match["abbr"])
    serial = match["serial"]
    # Only the 4-digit form names its year unambiguously.
    year = int(serial[:4]) if len(serial) == 10 else None
    if year is not None and not FIRST_YEAR <= year <= clock.today().year:
        return result.error("icp_number_year", year=year)
    subject_number = f"{match['abbr']}ICP备{serial}号"
    result.facts.update(
        province=province.code,
        abbreviation=match["abbr"],
        serial=serial,
        year=year,
        subject_number=subject_number,
        website_index=int(match["index"]) if match["index"] else None,
        service_kind=SERVICE_KINDS[match["kind"]] if match["index"] else None,
    )
    return result
