"""Which fields of a filing are names, addresses, free text or a URL, and the
refusal when one of them holds what a person cannot have typed on purpose
(control, bidi, zero-width characters, emoji) or a URL that is not http(s).

The checks themselves live in beian.rules.checks.text; this module only maps
the filing's fields to them, for the services that save a subject, a person
in charge or a website (page and API alike).
"""

from __future__ import annotations

from beian.core.errors import Refusal
from beian.rules.checks.text import text_problem, url_problem

SUBJECT_FIELDS = {
    "name": "name",
    "investor": "name",
    "certificate_address": "address",
    "mailing_address": "address",
}
PRINCIPAL_FIELDS = {"name": "name", "certificate_number": "name"}
WEBSITE_FIELDS = {"name": "name", "home_url": "url", "remarks": "text"}


def refuse_unsafe(values: dict, fields: dict[str, str], *, prefix: str = "") -> None:
    """Raises the first problem of `values` as a Refusal on its field."""
    for key, kind in fields.items():
        value = values.get(key)
        if not isinstance(value, str):
            continue
        problem = url_problem(value) if kind == "url" else text_problem(value, kind)
        if problem:
            code, params = problem
            raise Refusal(code, field=prefix + key, params=params)
