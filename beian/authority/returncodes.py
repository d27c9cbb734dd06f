"""Return codes of MIIT's enterprise interface 3.0, with Chinese text and English translation.

Two families share one number space without overlap:

* method return codes (``msg_code`` of isp_upload / isp_download / ...): 0-22, 901, 902, 999;
* data processing codes (``Jgdm`` in downloaded results): ICP 1001-1999, IP 2001-2999,
  domain 3001-3999, general 5001-5999.

The table is data: ``beian/authority/data/returncodes.json`` (one code a line;
the Chinese text is the specification's, ``return-codes.md``, kept verbatim).
This module loads it once at import and answers look-ups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class ReturnCode:
    code: int
    category: str  # method | icp | ip | domain | general
    zh: str
    en: str

    @property
    def is_method_code(self) -> bool:
        return self.category == "method"


def _load() -> dict:
    data = resources.files("beian.authority.data").joinpath("returncodes.json")
    return json.loads(data.read_text(encoding="utf-8"))


_DATA = _load()

# Categories: method / icp / ip / domain / general -> (Chinese, English)
CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    name: (text["zh"], text["en"]) for name, text in _DATA["categories"].items()
}
CODES: dict[int, ReturnCode] = {row["code"]: ReturnCode(**row) for row in _DATA["codes"]}
del _DATA

# Method return codes that mean "the call worked".
METHOD_SUCCESS = frozenset({0, 1, 2, 3})
APPROVED = 1001
REJECTED = 1002


def get(code: int) -> ReturnCode | None:
    return CODES.get(int(code))


def describe(code: int) -> tuple[str, str]:
    """(Chinese, English) text of a method return code or data processing code."""
    found = CODES.get(int(code))
    if found is None:
        return (f"未知代码 {code}", f"Unknown code {code}")
    return (found.zh, found.en)
