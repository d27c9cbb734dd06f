"""Public check API under /api/v1/checks: it only checks input, so no auth.

POST /api/v1/checks/{kind} {"value", "province"?, "subject_type"?} answers the
same object as `beian check KIND VALUE`, with 200 even when the value fails;
a request that cannot be checked (unknown kind, bad province) is a 400 refusal.
"""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router, Schema

from beian.core.api_errors import answers
from beian.core.i18n import is_english
from beian.rules import areas
from beian.rules.checks import KINDS, run_check
from beian.rules.preapproval import categories
from beian.rules.provinces import all_provinces, resolve_province, rules_for

router = Router(tags=["rules"])


class CheckIn(Schema):
    value: str
    province: str | None = None
    subject_type: str | None = None


class IssueOut(Schema):
    code: str
    message: str


class CheckOut(Schema):
    ok: bool
    normalized: str | None
    facts: dict
    errors: list[IssueOut]
    warnings: list[IssueOut]


class ProvinceOut(Schema):
    code: str
    name: str
    short: str
    abbreviations: list[str]
    name_en: str


@router.get("/kinds", auth=None, response=answers({200: list[str]}, public=True))
def list_kinds(request: HttpRequest):
    return list(KINDS)


@router.get("/provinces", auth=None, response=answers({200: list[ProvinceOut]}, public=True))
def list_provinces(request: HttpRequest):
    return [asdict(p) for p in all_provinces()]


@router.get("/provinces/{province}", auth=None, response=answers({200: dict}, public=True))
def province_rules(request: HttpRequest, province: str):
    """The filing rules of one province (abbreviation, name or code)."""
    return asdict(rules_for(province))


class CountyOut(Schema):
    code: str
    name: str


class CityOut(Schema):
    code: str
    name: str
    counties: list[CountyOut]


@router.get(
    "/provinces/{province}/cities",
    auth=None,
    response=answers({200: list[CityOut]}, 400, public=True),
)
def province_cities(request: HttpRequest, province: str):
    """The province's cities and their counties in force (GB/T 2260): the values the
    subject's `city` and `county` take; a county outside its city is refused."""
    code = resolve_province(province)
    return [
        {
            "code": city,
            "name": name,
            "counties": [{"code": c, "name": n} for c, n in areas.counties(city)],
        }
        for city, name in areas.cities(code)
    ]


@router.get("/preapproval", auth=None, response=answers({200: list[dict]}, public=True))
def list_preapproval(request: HttpRequest):
    english = is_english()
    return [
        {
            "code": c.code,
            "name": c.display(english),
            "document": c.document_en if english else c.document,
            "active": c.active,
        }
        for c in categories(include_inactive=True)
    ]


@router.post("/{kind}", auth=None, response=answers({200: CheckOut}, public=True))
def check(request: HttpRequest, kind: str, payload: CheckIn):
    """Check one value of the given kind: id-card, uscc, phone, domain, website-name, icp-number."""
    return run_check(kind, payload.value, payload.province, payload.subject_type).as_dict()
