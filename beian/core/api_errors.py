"""The JSON shape of a refusal in the API, for the OpenAPI schema of every route.

`beian/api.py` turns a Refusal into `{"code", "message", "field"?, "errors"?}` with its
4xx status; each route lists the statuses it can answer with `answers(...)`, so an
integrator reads them in /api/v1/openapi.json. `tests/test_api_fuzz.py` (schemathesis)
fails on any status a route answers that its schema does not list.
"""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[dict] | None = None


# The largest page offset (or page number) a list route accepts: far beyond any list's
# length, and well inside the database's 64-bit integers (a larger one was a 500: SQLite
# "datatype mismatch", PostgreSQL "bigint out of range"). `Query(0, ge=0, le=MAX_OFFSET)`.
MAX_OFFSET = 1_000_000_000

# Possible on every route: 400, a NUL character in the path, query or body
# (core/middleware.py: RefuseNulMiddleware) or a multipart body that cannot be parsed;
# 422, a parameter or body of the wrong shape.
ALWAYS = (400, 422)


def answers(ok: dict, *refusals: int, public: bool = False) -> dict:
    """`response=` of a route: its success answers plus ErrorOut for each refusal
    status. 400 and 422 are always possible (`ALWAYS`), and 401 (no or a bad token)
    unless the route is `public` (`auth=None`)."""
    always = {*ALWAYS} if public else {*ALWAYS, 401}
    return {**ok, **{status: ErrorOut for status in sorted({*always, *refusals})}}
