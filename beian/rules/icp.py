"""ICP numbers (domain.md §6): the one home of their format.

A subject number is a province abbreviation + "ICP备" + serial + "号":
苏ICP备14012345号 (old: 2-digit year + 6 digits) or 粤ICP备2023007649号 (since
about 2019: 4-digit year + 6 digits). A website number is the subject number +
"-N" for the subject's Nth website (粤ICP备2023007649号-1); apps add "A",
mini-programs "X" (沪ICP备2025152989号-1A), each kind counting on its own.

Everything that reads or writes a number goes through here: the check
(`rules.checks.icp_number`), the allocators (`filings.numbers`, the
administration simulator), the approval (`filings.approval`) and the public
query (`registry.selectors`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from beian.rules.provinces import all_provinces, province, province_of_abbreviation

SERVICE_KINDS = {None: "website", "A": "app", "X": "mini_program"}

# Anything shaped like a number, valid or not, for finding what a page shows
# (`registry.display`): a wrong number on a page is reported as shown, not missing.
LOOSE_PATTERN = re.compile(r"[\u4e00-\u9fff]ICP备\d+号(?:-\d+)?")


def _pattern() -> re.Pattern:
    letters = "".join(a for p in all_provinces() for a in p.abbreviations)
    return re.compile(
        rf"^(?P<abbr>[{letters}])ICP备(?P<serial>[0-9]{{8}}|[0-9]{{10}})号"
        r"(?:-(?P<index>[1-9][0-9]*)(?P<kind>[AX])?)?$"
    )


PATTERN = _pattern()


@dataclass(frozen=True)
class IcpNumber:
    """A parsed number. `index` and `kind` are None for a subject number."""

    abbreviation: str
    province: str  # the province's code, e.g. "320000"
    serial: str  # the digits between "ICP备" and "号"
    index: int | None = None  # the N of "-N"
    kind: str | None = None  # website | app | mini_program (with an index only)

    @property
    def year(self) -> int | None:
        # Only the 4-digit form names its year unambiguously.
        return int(self.serial[:4]) if len(self.serial) == 10 else None

    @property
    def subject_number(self) -> str:
        return f"{self.abbreviation}ICP备{self.serial}号"

    @property
    def is_subject_number(self) -> bool:
        return self.index is None

    def __str__(self) -> str:
        if self.index is None:
            return self.subject_number
        suffix = {v: k for k, v in SERVICE_KINDS.items()}[self.kind] or ""
        return f"{self.subject_number}-{self.index}{suffix}"


def normalize(value: str) -> str:
    """Fold what people paste: full-width ＩＣＰ and digits, spaces, lower-case
    "icp", and the hyphen variants."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(text.split()).replace("icp", "ICP").replace("Icp", "ICP")
    return re.sub(r"[‐‑‒–—―－]", "-", text)


def parse(value: str | None) -> IcpNumber | None:
    """The number in `value` (normalised first), or None if it is not one."""
    match = PATTERN.match(normalize(value)) if value else None
    if not match:
        return None
    has_index = match["index"] is not None
    return IcpNumber(
        abbreviation=match["abbr"],
        province=province_of_abbreviation(match["abbr"]).code,
        serial=match["serial"],
        index=int(match["index"]) if has_index else None,
        kind=SERVICE_KINDS[match["kind"]] if has_index else None,
    )


def _abbreviation(province_code: str) -> str:
    return province(province_code).abbreviations[0]


def subject_number(province_code: str, year: int, serial: int) -> str:
    """A new subject number: 苏ICP备2025000001号 for ("320000", 2025, 1)."""
    return f"{_abbreviation(province_code)}ICP备{year}{serial:06d}号"


def website_number(subject: str, index: int) -> str:
    """The subject's `index`-th website number: 苏ICP备2025000001号-1."""
    return f"{subject}-{index}"


def website_index(number: str | None) -> int | None:
    """The N of a website number; None for a subject number, an app's or a
    mini-program's number (their own sequences), or no number at all."""
    parsed = parse(number)
    if parsed is None or parsed.kind != "website":
        return None
    return parsed.index


def subject_part(number: str) -> str:
    """The subject number of a website number (a subject number stays as it is)."""
    parsed = parse(number)
    return parsed.subject_number if parsed else number
