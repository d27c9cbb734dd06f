"""Public look-up API under /api/v1/registry (no auth, rate-limited per client).

GET /api/v1/registry/query?q=...&by=domain|number|name
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from beian.core.api_errors import answers
from beian.core.errors import Refusal
from beian.registry import (
    errors,  # noqa: F401 - registers the codes
    ratelimit,
    selectors,
)

router = Router(tags=["registry"])

MAX_QUERY = 200


class RecordOut(Schema):
    subject_name: str
    subject_nature: str
    subject_number: str
    website_name: str
    website_number: str
    domains: list[str]
    approved_on: str


class QueryOut(Schema):
    query: str
    by: str
    results: list[RecordOut]


def run_query(request, q: str, by: str | None) -> tuple[str, list]:
    """Shared by the page and the API: validate, count against the limit, look up."""
    q = (q or "").strip()
    if not q:
        raise Refusal("registry.query_empty", field="q")
    if len(q) > MAX_QUERY:
        raise Refusal("registry.query_too_long", field="q")
    ratelimit.check(request)
    return selectors.public_query(q, by)


@router.get("/query", auth=None, response=answers({200: QueryOut}, 429, public=True))
def query(request: HttpRequest, q: str = "", by: str | None = None):
    """Look a filing up by domain (any host under it), ICP number or filer name."""
    kind, records = run_query(request, q, by)
    return {"query": q, "by": kind, "results": [r.as_dict() for r in records]}
