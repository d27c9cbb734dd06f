"""The JSON shape of a refusal in the API, for the OpenAPI schema of every route.

`beian/api.py` turns a Refusal into `{"code", "message", "field"?, "errors"?}` with its
4xx status; each route lists the statuses it can answer with `answers(...)`, so an
integrator reads them in /api/v1/openapi.json.
"""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = None


def answers(ok: dict, *refusals: int) -> dict:
    """`response=` of a route: its success answers plus ErrorOut for each refusal
    status (401 and 422 are always possible: no token, a body of the wrong shape)."""
    return {**ok, **{status: ErrorOut for status in sorted({401, 422, *refusals})}}
