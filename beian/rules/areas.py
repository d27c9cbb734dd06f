"""GB/T 2260 administrative division codes, from the bundled table.

The table merges the revisions from 1980 to 2019: a resident ID keeps the area
code of where it was first issued, so codes abolished since must still be known.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "gbt2260.txt"


@cache
def divisions() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            table[code] = name
    return table


def name_of(code: str) -> str | None:
    return divisions().get(code)


def full_name(code: str) -> str | None:
    """Province + prefecture + county names for a 6-digit code, e.g. 北京市朝阳区."""
    table = divisions()
    if code not in table:
        return None
    parts = []
    for prefix in (code[:2] + "0000", code[:4] + "00", code):
        name = table.get(prefix)
        if name and name not in parts and not name.endswith("辖区") and "直辖" not in name:
            parts.append(name)
    return "".join(parts)
