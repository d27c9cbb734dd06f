"""What a person reads for a field path ("subject.principal.mobile", "websites.0.name",
"materials.cert_front"): its label in the active language, never the path itself.

Problems of validation and return reasons name their field by path; the submit page,
the application page, the API's `return_reasons` and the notices show this label.
The subject's and websites' labels are the portal forms' own (one wording); apps
above filings add their prefixes (materials: the material kinds) with `register`.
"""

from __future__ import annotations

from collections.abc import Callable

from beian.core.i18n import is_english, t
from beian.filings.forms import (
    FILING_PASSWORD_LABEL,
    PRINCIPAL_PREFIX,
    RemarksForm,
    StartForm,
    SubjectForm,
    WebsiteForm,
)
from beian.rules import preapproval

# Whole parts of an application a reason may point at (no form field of their own).
_PARTS = {
    "": ("整体", "Whole application"),
    "subject": ("主体信息", "Subject"),
    "websites": ("网站信息", "Websites"),
    "photo": ("核验照片", "Verification photo"),
    "originals": ("原件", "Originals"),
    "materials": ("上传资料", "Uploads"),
    "remarks": ("备注", "Remarks"),
}

_LABELLERS: dict[str, Callable[[str], str]] = {}


def register(prefix: str, labeller: Callable[[str], str]) -> None:
    """`labeller(rest)` gives the label of "prefix.rest" (e.g. materials' kinds)."""
    _LABELLERS[prefix] = labeller


def _form_label(forms: tuple, name: str) -> str:
    for form in forms:
        if name in form.base_fields:
            return str(form.base_fields[name].label)
    return ""


def _part(key: str) -> str:
    zh, en = _PARTS[key]
    return t(zh, en)


def _within(forms: tuple, rest: list[str]) -> str:
    """The label of a field inside the subject or a website (the person in charge's
    fields are prefixed p_ inside the forms)."""
    if rest[:1] == ["principal"]:
        name = PRINCIPAL_PREFIX + (rest[1] if len(rest) > 1 else "name")
        return _form_label(forms, name) or _form_label(forms, PRINCIPAL_PREFIX + "name")
    return _form_label(forms, rest[0]) if rest else ""


def field_label(path: str | None) -> str:
    """The label of a field path; a path nobody knows gives its part's label."""
    path = (path or "").strip()
    parts = path.split(".")
    head = parts[0]
    if head in _LABELLERS and len(parts) > 1:
        return _LABELLERS[head](".".join(parts[1:])) or _part(head)
    if head == "subject":
        label = _within((SubjectForm, StartForm), parts[1:])
        return f"{_part('subject')} · {label}" if label else _part("subject")
    if head == "websites":
        rest = parts[1:]
        number = ""
        if rest[:1] and rest[0].isdigit():
            number = f" {int(rest[0]) + 1}"
            rest = rest[1:]
        website = t("网站", "Website") + number
        label = _within((WebsiteForm, RemarksForm), rest)
        return f"{website} · {label}" if label else website
    if head == "filing_password":
        return str(FILING_PASSWORD_LABEL)
    return _part(head) if head in _PARTS else _part("")


def reason_out(reason) -> dict:
    """A return reason as data, its field by label: for the pages and the API."""
    return {
        "field": reason.field,
        "field_label": field_label(reason.field),
        "text": reason.text,
        "source": reason.source,
        "round": reason.round,
        "created_at": reason.created_at,
    }


def service_content_label(code: str, *, english: bool | None = None) -> str:
    """The label of a website's service content code (``blog`` → 博客/个人空间)."""
    pair = dict(WebsiteForm.SERVICE_CONTENT).get(code)
    if pair is None:
        return code
    if english is None:
        return t(*pair)
    return pair[1] if english else pair[0]


def preapprovals_text(website, *, english: bool | None = None) -> str:
    """A website's pre-approvals by their labels and numbers, "；"-separated ("" if none)."""
    from_active = is_english() if english is None else english
    items = []
    for item in website.preapprovals or []:
        found = preapproval.category(str(item.get("type", "")))
        if found is not None:
            items.append(f"{found.display(from_active)} {item.get('number', '')}".strip())
    return "；".join(items)
