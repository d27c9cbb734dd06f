"""GB/T 2260 administrative division codes, from the bundled table.

`divisions()` merges the revisions from 1980 to 2019: a resident ID keeps the area
code of where it was first issued, so codes abolished since must still be known.
`cities()` and `counties()` read the divisions in force (`gbt2260_current.txt`): what
a person may choose as where a subject is today. `place_problem()` is the one check
that a city lies in the province and a county in the city (page and API alike).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "gbt2260.txt"
CURRENT = Path(__file__).parent / "data" / "gbt2260_current.txt"


def _read(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            table[code] = name
    return table


@cache
def divisions() -> dict[str, str]:
    """Every code since 1980 (for reading resident IDs and USCCs)."""
    return _read(DATA)


@cache
def _current() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """(province → its cities, city → its counties), from the divisions in force."""
    table = _read(CURRENT)
    cities: dict[str, list[tuple[str, str]]] = {}
    counties: dict[str, list[tuple[str, str]]] = {}
    for code, name in sorted(table.items()):
        province = code[:2] + "0000"
        if code == province:
            continue
        if code.endswith("00"):
            cities.setdefault(province, []).append((code, name))
            continue
        city = code[:4] + "00"
        if city not in table:  # a municipality: one city, named after it, holds them all
            city = code[:2] + "0100"
            if city not in counties:
                cities.setdefault(province, []).append((city, table[province]))
        counties.setdefault(city, []).append((code, name))
    return cities, counties


def cities(province: str) -> list[tuple[str, str]]:
    """The prefecture-level divisions in force in a province, as (code, name)."""
    return list(_current()[0].get(province, []))


def counties(city: str) -> list[tuple[str, str]]:
    """The county-level divisions in force in a city, as (code, name); none for a
    city without districts (东莞市, 中山市, 儋州市, 嘉峪关市)."""
    return list(_current()[1].get(city, []))


def place_problem(
    province: str, city: str, county: str, *, complete: bool = False
) -> tuple[str, str, dict] | None:
    """(field, refusal code, params) when the city is not one of the province's or
    the county not one of the city's (both as in force today); None when they fit.
    With `complete`, a missing county of a city that has counties is a problem too
    (a missing city is the caller's to require)."""
    if city and city not in dict(cities(province)):
        return ("city", "subject_city_not_in_province", {})
    if county and not city:
        return ("county", "subject_county_needs_city", {})
    if county and county not in dict(counties(city)):
        return ("county", "subject_county_not_in_city", {"city": dict(cities(province))[city]})
    if complete and city and not county and counties(city):
        return ("county", "subject_county_required", {})
    return None


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
