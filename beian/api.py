"""The JSON API under /api/v1/: one NinjaAPI, a router per app.

Pages use session auth (with CSRF); API clients send `Authorization: Bearer
<token>`. Refusals become JSON `{"code", "message", "field"?}` with their 4xx
status, in the caller's language (Accept-Language or ?lang=).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from beian.accounts.api import router as accounts
from beian.accounts.models import ApiToken
from beian.authority.api import router as authority
from beian.core import timefmt
from beian.core.errors import Refusal, message_for
from beian.filings.api import router as filings
from beian.hosting.api import router as hosting
from beian.materials.api import router as materials
from beian.notify.api import router as notify
from beian.registry.api import router as registry
from beian.review.api import router as review
from beian.rules.api import router as rules


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class BeijingTimeEncoder(NinjaJSONEncoder):
    """Every moment the API answers is ISO 8601 in Beijing time with its offset
    (2026-12-02T10:15:00+08:00), as the pages show it (beian/core/timefmt.py)."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            return timefmt.iso(o)
        return super().default(o)


class BeijingTimeRenderer(JSONRenderer):
    encoder_class = BeijingTimeEncoder


class SessionCookie(SessionAuth):
    """The pages' session, with CSRF checked (by ninja) whenever a session cookie is
    sent. Without one there is no session to ride on, so no CSRF check: the caller
    is simply not authenticated (401 `not_authenticated`), not a CSRF failure (403)."""

    def _get_key(self, request: HttpRequest):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


api = NinjaAPI(
    title="Beian API",
    renderer=BeijingTimeRenderer(),
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionCookie()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(Refusal)
def _refusal(request: HttpRequest, exc: Refusal):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request,
        {"code": "not_authenticated", "message": message_for("not_authenticated")},
        status=401,
    )


# Ninja's own HTTP errors (a body that is not JSON, a method not allowed, ...) answer
# like every refusal: a code and a message in the caller's language.
_HTTP_CODES = {403: "forbidden", 404: "not_found", 429: "rate_limited"}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    code = _HTTP_CODES.get(exc.status_code, "invalid_input")
    message = message_for(code, detail=str(exc)) if code == "invalid_input" else message_for(code)
    return api.create_response(request, {"code": code, "message": message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    detail = "; ".join(
        ".".join(str(p) for p in err.get("loc", [])[1:]) + ": " + str(err.get("msg", ""))
        for err in exc.errors
    )
    return api.create_response(
        request,
        {
            "code": "invalid_input",
            "message": message_for("invalid_input", detail=detail),
            "errors": exc.errors,
        },
        status=422,
    )


def _mount() -> None:
    api.add_router("/accounts", accounts)
    api.add_router("/hosting", hosting)
    api.add_router("/filings", filings)
    api.add_router("/checks", rules)
    api.add_router("/materials", materials)
    api.add_router("/review", review)
    api.add_router("/authority", authority)
    api.add_router("/notify", notify)
    api.add_router("/registry", registry)


_mount()
