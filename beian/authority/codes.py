"""Code tables of the interface (基础代码, ``JCDM``): the integer ids the upload carries.

The province's ``JCDM`` download is the authority on these ids. Beian reads them through one
loader, :func:`current`: the tables last stored from a download (:func:`store_jcdm`, model
``CodeTableSet``), or, before any download, the bundled set in ``beian/authority/data/``
(``codes.json``, ``regions.json``), built from public sources cited per table in the file
(``sources``, ``choice``, ``provisional``). Beian's own values (``enterprise``,
``resident_id``, ``blog``, …) map to ids through :func:`choice`, which follows a download's
renumbering by name. The simulator's JCDM sends the bundled set (``sim/build.py``).

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
import hashlib
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from beian.core import clock
from beian.core.errors import Refusal
from beian.core.i18n import t
from beian.filings.models import CertificateType, SubjectNature

from . import errors  # noqa: F401 - registers authority_code_missing
from .codec.schemas import DOWNLOAD_DATA, parse_xml
from .models import CodeTableSet


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
    (
        "content_types",
        "Jcdm_xx/Wzjylx_dms",
        "Wzjylx_xx",
        "Mc",
        {"ysid": "Ysid", "needs_pre_approval": "Sfqzsp"},
    ),
    ("service_contents", "Jcdm_xx/Wzfwlx_dms", "Wzfwlx_xx", "Mc", {"ysid": "Ysid"}),
    ("access_methods", "Jcdm_xx/Wzjrfs_dms", "Wzjrfs_xx", "Mc", {"ysid": "Ysid"}),
    ("cancel_reasons", "Jcdm_xx/Zxly_dms", "Zxly_xx", "Nr", {}),
    ("unfiled_handling", "Jcdm_xx/Wbacl_dms", "Wbacl_xx", "Ztmc", {}),
    ("verification_opinions", "Jcdm_xx/Hsyj_dms", "Hsyj", "Mc", {}),
    ("domain_types", "Jcdm_xx/Ymlx_dms", "Ymlx", "Mc", {}),
    ("attachment_formats", "Jcdm_xx/Fjwjgs_dms", "Fjwjgs", "Mc", {}),
    ("attachment_purposes", "Jcdm_xx/Fjytlx_dms", "Fjzjlx", "Mc", {"owner": "Ssdxlx"}),
    ("languages", "Jcdm_xx/Yylb_dms", "Yylb", "Mc", {}),
    ("reporting_units", "Bbdwlb", "Bbdw", "Dwmc", {"province_id": "Shengid"}),
]
INT_EXTRAS = {"level", "unit_class", "owner", "province_id", "ysid"}
BOOL_EXTRAS = {"needs_pre_approval"}  # 0/1 in the download


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
def bundled_document() -> dict:
    """``codes.json`` as written: per table its element, sources, choice, provisional mark,
    Beian's values (``beian``) and entries."""
    data = resources.files("beian.authority.data")
    document = json.loads(data.joinpath("codes.json").read_text(encoding="utf-8"))
    return {name: doc for name, doc in document.items() if isinstance(doc, dict)}


@functools.cache
def load_bundled() -> CodeTables:
    """The starting set shipped in ``beian/authority/data`` (read once)."""
    data = resources.files("beian.authority.data")
    regions = json.loads(data.joinpath("regions.json").read_text(encoding="utf-8"))
    rows = {name: doc["entries"] for name, doc in bundled_document().items()}
    rows["regions"] = regions["entries"]
    return CodeTables.from_dict(rows)


_stored: dict[tuple[int, str], CodeTables] = {}


def current() -> CodeTables:
    """The tables in force: the last set stored from a JCDM download, else the bundled set.

    Every place that builds an upload or shows a code's name reads this. One small query per
    call (the newest row's id), so a download stored by the worker is seen by every process."""
    latest = CodeTableSet.objects.order_by("-pk").values_list("pk", "digest").first()
    if latest is None:
        return load_bundled()
    if latest not in _stored:
        row = CodeTableSet.objects.get(pk=latest[0])
        _stored.clear()
        _stored[latest] = CodeTables.from_dict(row.tables)
    return _stored[latest]


def store_jcdm(jcdm: Any, *, source: str = "") -> CodeTables:
    """Store the tables of a ``JCDM`` download so that :func:`current` returns them.

    ``jcdm`` is what :func:`read_jcdm` takes (the decoded download's ``root``, a ``JCDM`` or
    ``SJTB`` element, or the XML bytes); ``source`` is the download's file name. Tables the
    download carries replace those in force; the others are kept. A download without any
    table changes nothing. This is the one writer of :class:`CodeTableSet`: the JCDM download
    handler calls it and nothing else."""
    base = current()
    if not read_jcdm(jcdm):
        return base
    fresh = refresh_from_jcdm(jcdm, base).to_dict()
    digest = hashlib.sha256(json.dumps(fresh, sort_keys=True).encode()).hexdigest()
    CodeTableSet.objects.create(
        tables=fresh, digest=digest, source=source[:128], stored_at=clock.now()
    )
    return current()


def choice(table: str, key: str, tables: CodeTables | None = None) -> int | None:
    """The id in force for one of Beian's own values (``choice("unit_natures", "enterprise")``).

    ``codes.json`` says which bundled id each value means (``beian``). The same id is used
    while the tables in force give it the same name; after a download that renumbered the
    table, the one valid code of that name; ``None`` when the value has no code, or when the
    download dropped the name or carries it more than once (certificate types share names
    across unit natures: those follow their bundled id only)."""
    bundled_id = bundled_document().get(table, {}).get("beian", {}).get(key)
    if bundled_id is None:
        return None
    name = load_bundled().name(table, bundled_id)
    in_force = (tables or current()).table(table)
    same = in_force.get(bundled_id)
    if same is not None and same.name == name and same.valid:
        return bundled_id
    named = [c.id for c in in_force.values() if c.name == name and c.valid]
    return named[0] if len(named) == 1 else None


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
                if value is None:
                    continue
                if key in INT_EXTRAS:
                    row[key] = int(value)
                elif key in BOOL_EXTRAS:
                    row[key] = value.strip() == "1"
                else:
                    row[key] = value
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


# What a person reads when a value has no code: the table and the value by name, never the key.
TABLE_LABELS = {
    "unit_natures": ("主体性质", "subject nature"),
    "certificate_types": ("证件类型", "certificate type"),
    "service_contents": ("网站服务内容", "service content"),
    "content_types": ("前置审批类型", "pre-approval type"),
    "access_methods": ("接入方式", "access method"),
    "server_locations": ("服务器所在地", "server location"),
    "languages": ("网站语言", "website language"),
    "cancel_reasons": ("注销原因", "cancel reason"),
}
_CHOICE_LABELS = {**dict(SubjectNature.choices), **dict(CertificateType.choices)}


def _label(text: str) -> str:
    """A model choice's "中文 / English" label in the active language."""
    zh, _sep, en = str(text).partition(" / ")
    return t(zh, en or zh)


def value_label(table: str, key: str) -> str:
    """One of Beian's values as a person reads it: the bundled code's name when it has one
    (``enterprise`` → 企业), else the labels of its parts (``enterprise:resident_id`` → 企业 ·
    居民身份证), a region's name for a server location."""
    if table == "server_locations":
        return load_bundled().name("regions", int(key)) or key
    bundled_id = bundled_document().get(table, {}).get("beian", {}).get(key)
    code = load_bundled().table(table).get(bundled_id) if bundled_id is not None else None
    if code is not None:
        return t(code.name, code.name_en or code.name)
    parts = [_CHOICE_LABELS.get(part) for part in key.replace("person:", "individual:").split(":")]
    if parts and all(parts):
        return " · ".join(_label(part) for part in parts)
    return key


def missing(table: str, key: str) -> Refusal:
    """The refusal for a value that has no code in the tables in force."""
    zh, en = TABLE_LABELS.get(table, ("代码", "code"))
    return Refusal(
        "authority_code_missing", params={"what": t(zh, en), "value": value_label(table, key)}
    )
