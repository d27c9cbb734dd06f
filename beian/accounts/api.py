"""API tokens for API clients: issued to a logged-in user, shown once."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beian.accounts.models import ApiToken
from beian.core.api_errors import answers

router = Router(tags=["accounts"])


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    key: str | None = None


@router.get("/me", response=answers({200: dict}))
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "role": user.role,
        "provinces": user.provinces,
        "language": user.language,
    }


@router.post("/tokens", response=answers({201: TokenOut}, 403))
def issue_token(request: HttpRequest, payload: TokenIn):
    token, key = ApiToken.issue(request.user, payload.name.strip()[:80] or "api")
    return Status(201, {"id": token.pk, "name": token.name, "prefix": token.prefix, "key": key})


@router.get("/tokens", response=answers({200: list[TokenOut]}))
def list_tokens(request: HttpRequest):
    return list(
        ApiToken.objects.filter(user=request.user, revoked=False).values("id", "name", "prefix")
    )


@router.delete("/tokens/{token_id}", response=answers({204: None}, 403))
def revoke_token(request: HttpRequest, token_id: int):
    ApiToken.objects.filter(user=request.user, pk=token_id).update(revoked=True)
    return Status(204, None)
