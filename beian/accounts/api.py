"""API tokens for API clients: issued to a logged-in user, shown once."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from beian.accounts.models import ApiToken

router = Router(tags=["accounts"])


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    key: str | None = None


@router.get("/me")
def me(request: HttpRequest):
    user = request.user
    return {
        "username": user.username,
        "role": user.role,
        "provinces": user.provinces,
        "language": user.language,
    }


@router.post("/tokens", response={201: TokenOut})
def issue_token(request: HttpRequest, payload: TokenIn):
    token, key = ApiToken.issue(request.user, payload.name.strip()[:80] or "api")
    return Status(201, {"id": token.pk, "name": token.name, "prefix": token.prefix, "key": key})


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest):
    return list(
        ApiToken.objects.filter(user=request.user, revoked=False).values("id", "name", "prefix")
    )


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: int):
    ApiToken.objects.filter(user=request.user, pk=token_id).update(revoked=True)
    return Status(204, None)
