"""What a person reads must not show Beian's internal values (issue 13).

`internal_values(text, english=...)` lists what in `text` looks like an internal
value shown as-is: an unfilled `{placeholder}`, a field path
(`websites.0.domains`), a province or city code (`320000`), or a code of
Beian's own (a choice value such as `first_filing` or `blog`, a workflow event,
an audit verb, a refusal code). Used by the page walk (tests/browser) and by
tests of e-mails and PDFs.

In Chinese every ASCII code word is suspect; in English only the snake_case ones
(`draft` or `other` are English words there). Demo user names that happen to
equal a role (`reviewer`, `admin`) are a person's login name, not a code, and are
not listed.
"""

from __future__ import annotations

import functools
import re

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([a-z_]+\)[sd]")
FIELD_PATH = re.compile(
    r"(?<![\w./-])(?:subject|websites?|principal|materials|remarks|photo)\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*"
)
LEAKS = re.compile(r"(?<![\w])(?:None|True|False|undefined|\[object Object\]|NaN)(?![\w])")
SIX_DIGITS = re.compile(r"(?<![\d.\w-])\d{6}(?![\d.\w-])")
WORD = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9_]*(?![\w./@:-])")


@functools.cache
def _codes() -> frozenset[str]:
    from django.apps import apps

    from beian.core.errors import catalog
    from beian.filings import forms
    from beian.filings.stages import STAGES
    from beian.filings.transitions import EVENTS

    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("beian."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or ():
                if isinstance(value, str):
                    codes.add(value)
    for form in vars(forms).values():
        for name, choices in vars(form).items() if isinstance(form, type) else ():
            if name.isupper() and isinstance(choices, list | tuple):
                codes.update(c[0] for c in choices if isinstance(c, tuple) and c)
    codes.update(EVENTS)
    codes.update(stage.key for stage in STAGES)
    codes.update(catalog())
    codes.update(
        (
            "material_uploaded",
            "material_replaced",
            "subject_saved",
            "website_saved",
            "filing_password_saved",
            "shipping_list_viewed",
            "display_check_failed",
            "message_resent",
            "verification_form",
            "security_agreement",
        )
    )
    return frozenset(c for c in codes if re.fullmatch(r"[a-z][a-z0-9_]*", c))


# Login names of the demo users (beian/demo/loader.py) that equal a role value.
PERSON_NAMES = frozenset({"admin", "reviewer", "mailroom", "photo", "operator", "authority"})


@functools.cache
def _area_codes() -> frozenset[str]:
    from beian.rules import areas

    # Provinces (320000) and prefectures (320500); a county's code is rarer on a page
    # and too often equal to some other six digits.
    return frozenset(code for code in areas.divisions() if code.endswith("00"))


def internal_values(text: str, *, english: bool = False) -> list[str]:
    found = PLACEHOLDER.findall(text) + FIELD_PATH.findall(text)
    if not english:  # "None" is a word in English ("Pre-approval: None")
        found += LEAKS.findall(text)
    found += [code for code in SIX_DIGITS.findall(text) if code in _area_codes()]
    codes = _codes()
    for word in WORD.findall(text):
        if word in codes and word not in PERSON_NAMES and (not english or "_" in word):
            found.append(word)
    return found


def page_text(html: str) -> str:
    """The text of a page's <main> as a person reads it (tags and scripts removed), with
    the titles, placeholders and labels of its elements: for tests without a browser."""
    import html as html_module

    main = html.split("<main", 1)[-1]
    main = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", main)
    said = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', main)
    text = re.sub(r"(?s)<[^>]+>", " ", main)
    return html_module.unescape(" ".join([text, *said]))
