"""Code tables of the interface (基础代码, ``JCDM``): the integer ids the upload carries.

A bundled starting set lives in ``beian/authority/data/`` (``codes.json``, ``regions.json``).
Most ids there are *provisional* (the spec publishes the structure of the tables, not their
content); the authority sends the real tables as a ``JCDM`` download, and
:func:`refresh_from_jcdm` turns that into a new :class:`CodeTables` the client can store.

Tables (attribute → JCDM element → where the upload uses it):

==================== ============ =================================================
unit_natures         Dwxz_xx      Zt_xx/Dwxz (主体性质)
unit_classes         Dwfl_xx      (organisation / individual)
certificate_types    Zjlx_xx      Zj/Zjlx, Fzr_zjlx
regions              Qy_xx        Txdz/Shengid, Shiid, Xianid (GB/T 2260 codes)
service_contents     Wzfwlx_xx    Fwnr/Fwnr_id (网站服务内容)
content_types        Wzjylx_xx    Nrlx_xx/Nrlx_id (前置审批 content types)
access_methods       Wzjrfs_xx    Wzjrfs/Jrfs (接入方式)
server_locations     (none)       Wzfb/Fbdd (not downloadable; bundled only)
cancel_reasons       Zxly_xx      Zx_xx/Zxly
languages            Yylb         Yylb/Yylb_id
attachment_formats   Fjwjgs       Fjxx/Fjwjgs
attachment_purposes  Fjzjlx       Fjxx/Fjyt
authorities          Gj_dm_xx     (provincial administrations)
reporting_units      Bbdw         (filing units, e.g. providers)
==================== ============ =================================================
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from .codec.schemas import DOWNLOAD_DATA, parse_xml


@dataclass(frozen=True)
class Code:
    id: int
    name: str  # Chinese name as the authority sends it (Mc / Nr / Dwmc / Ztmc)
    name_en: str = ""
    valid: bool = True  # Sfyx
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Region(Code):
    level: int = 1  # Lx: 1 province, 2 city, 3 county/district

    @property
    def province_id(self) -> int:
        return self.id // 10000 * 10000

    @property
    def city_id(self) -> int | None:
        return self.id // 100 * 100 if self.level >= 2 else None


CodeTable = dict[int, Code]

# JCDM element → (table name, container, item element, name element, {extra key: element})
JCDM_TABLES = [
    ("unit_classes", "Jcdm_xx/Dwfl_dms", "Dwfl_xx", "Mc", {}),
    ("unit_natures", "Jcdm_xx/Dwxz_dms", "Dwxz_xx", "Mc", {}),
    ("regions", "Jcdm_xx/Qy_dms", "Qy_xx", "Mc", {"level": "Lx"}),
    ("feedback_categories", "Jcdm_xx/Yjfk_Wtfls", "Yjfk_Wtfl_xx", "Fl1", {"sub": "Fl2"}),
    (
        "authorities",
        "Jcdm_xx/Gj_dms",
        "Gj_dm_xx",
        "Mc",
        {"province_id": "Shengid", "abbr": "Shengjc"},
    ),
    ("industries", "Jcdm_xx/Hyfl_dms", "Hyfl_xx", "Mc", {"code": "Bm"}),
    ("administrative_levels", "Jcdm_xx/Xzjb_dms", "Xzjb_xx", "Mc", {}),
    ("certificate_types", "Jcdm_xx/Zjlx_dms", "Zjlx_xx", "Mc", {"unit_class": "Dwflid"}),
    ("content_types", "Jcdm_xx/Wzjylx_dms", "Wzjylx_xx", "Mc", {"needs_pre_approval": "Sfqzsp"}),
    ("service_contents", "Jcdm_xx/Wzfwlx_dms", "Wzfwlx_xx", "Mc", {}),
    ("access_methods", "Jcdm_xx/Wzjrfs_dms", "Wzjrfs_xx", "Mc", {}),
    ("cancel_reasons", "Jcdm_xx/Zxly_dms", "Zxly_xx", "Nr", {}),
    ("unfiled_handling", "Jcdm_xx/Wbacl_dms", "Wbacl_xx", "Ztmc", {}),
    ("verification_opinions", "Jcdm_xx/Hsyj_dms", "Hsyj", "Mc", {}),
    ("domain_types", "Jcdm_xx/Ymlx_dms", "Ymlx", "Mc", {}),
    ("attachment_formats", "Jcdm_xx/Fjwjgs_dms", "Fjwjgs", "Mc", {}),
    ("attachment_purposes", "Jcdm_xx/Fjytlx_dms", "Fjzjlx", "Mc", {"owner": "Ssdxlx"}),
    ("languages", "Jcdm_xx/Yylb_dms", "Yylb", "Mc", {}),
    ("reporting_units", "Bbdwlb", "Bbdw", "Dwmc", {"province_id": "Shengid"}),
]
INT_EXTRAS = {"level", "unit_class", "owner", "province_id"}


@dataclass(frozen=True)
class CodeTables:
    """All code tables; each is ``{id: Code}``. Immutable: a refresh returns a new one."""

    tables: dict[str, CodeTable]

    def table(self, name: str) -> CodeTable:
        return self.tables.get(name, {})

    def __getattr__(self, name: str) -> CodeTable:
        # unit_natures, certificate_types, regions, ... as attributes
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def name(self, table: str, code_id: int) -> str | None:
        found = self.table(table).get(int(code_id))
        return found.name if found else None

    def is_valid(self, table: str, code_id: int) -> bool:
        found = self.table(table).get(int(code_id))
        return bool(found and found.valid)

    # --- regions -------------------------------------------------------------------------

    def provinces(self) -> list[Region]:
        return [r for r in self.table("regions").values() if r.level == 1]

    def cities(self, province_id: int) -> list[Region]:
        return [
            r
            for r in self.table("regions").values()
            if r.level == 2 and r.province_id == province_id
        ]

    def counties(self, city_id: int) -> list[Region]:
        return [r for r in self.table("regions").values() if r.level == 3 and r.city_id == city_id]

    def region_path(self, region_id: int) -> list[Region]:
        """[province, city, county] (as far as known) for a region id."""
        regions = self.table("regions")
        region = regions.get(region_id)
        if region is None:
            return []
        path = [regions.get(region.province_id)]
        if region.level >= 2:
            path.append(regions.get(region.city_id))
        if region.level == 3:
            path.append(region)
        return [r for r in path if r is not None]

    def to_dict(self) -> dict[str, list[dict]]:
        """Plain data, e.g. to store a refreshed set as JSON."""
        out = {}
        for name, table in self.tables.items():
            rows = []
            for c in table.values():
                row = {"id": c.id, "name": c.name, "name_en": c.name_en, "valid": c.valid}
                row.update(c.extra)
                if isinstance(c, Region):
                    row["level"] = c.level
                rows.append(row)
            out[name] = rows
        return out

    @classmethod
    def from_dict(cls, data: dict[str, list[dict]]) -> CodeTables:
        return cls({name: _table(name, rows) for name, rows in data.items()})


def _code(table: str, row: dict) -> Code:
    row = dict(row)
    base = {
        "id": int(row.pop("id")),
        "name": row.pop("name"),
        "name_en": row.pop("name_en", "") or "",
        "valid": bool(row.pop("valid", True)),
    }
    if table == "regions":
        level = int(row.pop("level", 0) or 0) or _level_from_id(base["id"])
        return Region(**base, level=level, extra=row)
    return Code(**base, extra=row)


def _level_from_id(region_id: int) -> int:
    if region_id % 10000 == 0:
        return 1
    return 2 if region_id % 100 == 0 else 3


def _table(name: str, rows: list[dict]) -> CodeTable:
    return {c.id: c for c in (_code(name, r) for r in rows)}


@functools.cache
def load_bundled() -> CodeTables:
    """The starting set shipped in ``beian/authority/data`` (read once)."""
    data = resources.files("beian.authority.data")
    codes = json.loads(data.joinpath("codes.json").read_text(encoding="utf-8"))
    regions = json.loads(data.joinpath("regions.json").read_text(encoding="utf-8"))
    rows = {name: doc["entries"] for name, doc in codes.items()}
    rows["regions"] = regions["entries"]
    return CodeTables.from_dict(rows)


def read_jcdm(jcdm: Any) -> dict[str, list[dict]]:
    """Rows of every table present in a decoded ``JCDM`` (or ``SJTB/JCDM``) element.

    ``jcdm`` is an lxml element (``DownloadData``, ``JCDM`` or ``SJTB``), or XML bytes.
    Names from the authority keep no English (``name_en`` empty); ``Sfyx`` 0 → invalid.
    """
    if isinstance(jcdm, bytes | str):
        jcdm = parse_xml(jcdm.encode() if isinstance(jcdm, str) else jcdm, DOWNLOAD_DATA)
    node = _find_jcdm(jcdm)
    out: dict[str, list[dict]] = {}
    if node is None:
        return out
    for name, container, item, name_el, extras in JCDM_TABLES:
        box = node.find(container)
        if box is None:
            continue
        rows = []
        for el in box.findall(item):
            row = {"id": int(el.findtext("Id")), "name": el.findtext(name_el) or ""}
            sfyx = el.findtext("Sfyx")
            row["valid"] = sfyx is None or sfyx.strip() != "0"
            for key, child in extras.items():
                value = el.findtext(child)
                if value is not None:
                    row[key] = int(value) if key in INT_EXTRAS else value
            rows.append(row)
        out[name] = rows
    return out


def _find_jcdm(el):
    if el.tag == "JCDM":
        return el
    for path in ("JCDM", "SJTB/JCDM"):
        found = el.find(path)
        if found is not None:
            return found
    return None


def refresh_from_jcdm(jcdm: Any, base: CodeTables | None = None) -> CodeTables:
    """A new :class:`CodeTables`: the tables present in the JCDM download replace those of
    ``base`` (default: the bundled set); the others are kept. English names of ids that keep
    the same Chinese name are carried over."""
    base = base or load_bundled()
    tables = dict(base.tables)
    for name, rows in read_jcdm(jcdm).items():
        old = base.table(name)
        new = _table(name, rows)
        for cid, code in new.items():
            previous = old.get(cid)
            if previous and previous.name == code.name and previous.name_en and not code.name_en:
                new[cid] = replace(code, name_en=previous.name_en)
        tables[name] = new
    return CodeTables(tables)
