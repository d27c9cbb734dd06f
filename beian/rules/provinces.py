"""The 31 mainland provinces and the filing rules of each provincial administration.

Everything here is read from `data/provinces.json`; a rule change is a data
change. `rules_for("320000")` gives the typed rules of Jiangsu,
`resolve_province("苏")` the code behind an abbreviation, a name or a code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from beian.core.errors import Refusal
from beian.rules import errors  # noqa: F401 - registers province_unknown

DATA = Path(__file__).parent / "data" / "provinces.json"

SUBJECT_TYPES = ("individual", "organization")


@dataclass(frozen=True)
class Province:
    code: str  # GB/T 2260, e.g. "320000"
    name: str  # 江苏省
    short: str  # 江苏
    abbreviations: tuple[str, ...]  # ("苏",); the first is the one used in new ICP numbers
    name_en: str

    @property
    def abbreviation(self) -> str:
        return self.abbreviations[0]

    def display(self, english: bool = False) -> str:
        return self.name_en if english else self.name


@dataclass(frozen=True)
class Caps:
    """Upper limits per filing; None means no limit."""

    websites: int | None = None
    domains: int | None = None
    domains_per_website: int | None = None


@dataclass(frozen=True)
class ProvinceRules:
    province: Province
    phone_must_be_local: bool
    one_phone_per_subject: bool
    local_id_only: bool  # individuals: only IDs issued in the province
    residence_permit_for_non_locals: bool  # individuals with another province's ID
    fingerprints_on_forms: bool
    party_building_letter: bool  # 网站党建备案信息确认函
    domain_certificate_from_domains: int | None  # 1 = every domain; 5 = from the 5th on
    caps: dict[str, Caps]  # by subject type
    construction_plan_above_domains_individual: int | None  # 网站建设方案书 by post
    onsite_verification_above: int | None  # sites or domains
    emergency_contact_required_for: tuple[str, ...]  # subject types
    min_age: int
    relaxed_min_age: int | None  # accepted from this age with proof of employment or income
    minors_with_guardian: bool
    min_domain_validity_months: int | None
    min_id_validity_months: int | None
    verification_form_copies: int  # signed originals to mail
    security_agreement_copies: int
    banned_website_name_words: dict[str, tuple[str, ...]]  # "all" / "individual" / "organization"
    footer_number: str  # "website" (…号-1) or "subject" (…号)
    footer_copyright_required: bool  # 版权所有 + subject name
    subject_principal: str  # "legal_representative" | "authorisation_letter" | "any"
    unique_website_name_per_subject: bool
    registrar_named: bool
    backdrop_slogan_visible: bool
    verification_app: str | None
    sources: tuple[str, ...]

    def caps_for(self, subject_type: str) -> Caps:
        return self.caps.get(subject_type, Caps())

    def banned_words_for(self, subject_type: str) -> tuple[str, ...]:
        words = self.banned_website_name_words
        return tuple(words.get("all", ())) + tuple(words.get(subject_type, ()))

    def needs_domain_certificates(self, domain_count: int) -> bool:
        threshold = self.domain_certificate_from_domains
        return threshold is not None and domain_count >= threshold

    def needs_emergency_contact(self, subject_type: str) -> bool:
        return subject_type in self.emergency_contact_required_for


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def all_provinces() -> tuple[Province, ...]:
    return tuple(
        Province(
            code=p["code"],
            name=p["name"],
            short=p["short"],
            abbreviations=tuple(p["abbreviations"]),
            name_en=p["name_en"],
        )
        for p in _data()["provinces"]
    )


@cache
def _index() -> dict[str, str]:
    """Every accepted spelling (code, name, short name, abbreviation, English) → code."""
    index: dict[str, str] = {}
    for p in all_provinces():
        for key in (p.code, p.code[:2], p.name, p.short, p.name_en.lower(), *p.abbreviations):
            index[key] = p.code
    return index


def province(code: str) -> Province:
    code = resolve_province(code)
    return next(p for p in all_provinces() if p.code == code)


def resolve_province(value: str | None) -> str:
    """An abbreviation (苏), a name (江苏省 / 江苏), or a code (320000) → "320000".

    Raises Refusal("province_unknown") otherwise (Hong Kong, Macao and Taiwan
    are not filing provinces).
    """
    key = str(value or "").strip()
    code = _index().get(key) or _index().get(key.lower())
    if code is None:
        raise Refusal("province_unknown", field="province", params={"value": key})
    return code


def province_of_abbreviation(abbreviation: str) -> Province | None:
    for p in all_provinces():
        if abbreviation in p.abbreviations:
            return p
    return None


def _merge(defaults: dict, override: dict) -> dict:
    merged = dict(defaults)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(defaults.get(key), dict):
            inner = dict(defaults[key])
            for k, v in value.items():
                inner[k] = (
                    {**inner[k], **v}
                    if isinstance(v, dict) and isinstance(inner.get(k), dict)
                    else v
                )
            merged[key] = inner
        else:
            merged[key] = value
    return merged


@cache
def rules_for(value: str) -> ProvinceRules:
    """The rules of the province named by `value` (anything `resolve_province` accepts)."""
    code = resolve_province(value)
    data = _data()
    raw = _merge(data["defaults"], data["rules"].get(code, {}))
    known = {f.name for f in fields(ProvinceRules)}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"provinces.json: unknown rule keys for {code}: {sorted(unknown)}")
    raw["province"] = province(code)
    raw["caps"] = {kind: Caps(**caps) for kind, caps in raw["caps"].items()}
    raw["emergency_contact_required_for"] = tuple(raw["emergency_contact_required_for"])
    raw["banned_website_name_words"] = {
        kind: tuple(words) for kind, words in raw["banned_website_name_words"].items()
    }
    raw["sources"] = tuple(raw["sources"])
    return ProvinceRules(**raw)
