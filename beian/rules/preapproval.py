"""Pre-approval (前置审批) categories, read from data/preapproval.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from beian.core.errors import Refusal
from beian.core.i18n import is_english
from beian.rules import errors  # noqa: F401 - registers preapproval_individual

DATA = Path(__file__).parent / "data" / "preapproval.json"


@dataclass(frozen=True)
class PreapprovalCategory:
    code: str
    name: str
    name_en: str
    document: str  # the licence or approval to present
    document_en: str
    active: bool  # False: abolished nationally, some administrations still ask
    keywords: tuple[str, ...]

    def display(self, english: bool = False) -> str:
        return self.name_en if english else self.name


@cache
def categories(include_inactive: bool = False) -> tuple[PreapprovalCategory, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))["categories"]
    found = tuple(PreapprovalCategory(**{**c, "keywords": tuple(c["keywords"])}) for c in data)
    return found if include_inactive else tuple(c for c in found if c.active)


def category(code: str) -> PreapprovalCategory | None:
    return next((c for c in categories(include_inactive=True) if c.code == code), None)


def preapproval_required(
    service_content: str | list[str] | None, include_inactive: bool = False
) -> list[PreapprovalCategory]:
    """The categories the service content falls in; empty when none is needed.

    `service_content` is a category code ("news"), a category name (新闻), free
    text (个人博客, 影视资讯) or a list of these.
    """
    if not service_content:
        return []
    items = [service_content] if isinstance(service_content, str) else list(service_content)
    needed = []
    for cat in categories(include_inactive):
        for item in items:
            text = str(item).strip()
            upper = text.upper()
            if text in (cat.code, cat.name) or any(k.upper() in upper for k in cat.keywords):
                needed.append(cat)
                break
    return needed


def ensure_allowed(service_content, subject_type: str) -> list[PreapprovalCategory]:
    """Refuse content an individual cannot file; return the categories an organisation needs."""
    needed = preapproval_required(service_content)
    if needed and subject_type == "individual":
        names = "、".join(c.display(is_english()) for c in needed)
        raise Refusal("preapproval_individual", field="service_content", params={"category": names})
    return needed
