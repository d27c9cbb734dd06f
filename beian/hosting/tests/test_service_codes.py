"""Filing service codes: issued only for qualifying servers, at most 5 each,
bound by one filing account, used up when a filing succeeds."""

import datetime as dt

import pytest

from beian.core.errors import Refusal
from beian.hosting.models import Billing, CodeStatus
from beian.hosting.services import bind_service_code, issue_service_code, use_up_service_code
from testing import make_server, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("owner", "hosting_owner")


def refusal_code(server, owner):
    with pytest.raises(Refusal) as caught:
        issue_service_code(server=server, actor=owner)
    return caught.value.code


def test_qualifying_server_gets_codes_up_to_the_limit(owner):
    server = make_server(owner)
    codes = {issue_service_code(server=server, actor=owner).code for _ in range(5)}
    assert len(codes) == 5
    assert refusal_code(server, owner) == "server_code_limit"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"is_mainland": False, "region": "ap-tokyo"}, "server_not_mainland"),
        ({"public_ip": None}, "server_no_public_ip"),
        ({"billing": Billing.PAY_AS_YOU_GO}, "server_pay_as_you_go"),
        ({"months": 2}, "server_subscription_too_short"),
    ],
)
def test_non_qualifying_servers_are_refused(owner, overrides, code):
    months = overrides.pop("months", 12)
    assert refusal_code(make_server(owner, months=months, **overrides), owner) == code


def test_expired_server_is_refused(owner, clock):
    clock.set(2026, 1, 1, 9)
    server = make_server(owner, months=4)
    clock.set(2026, 8, 1, 9)
    assert refusal_code(server, owner) == "server_expired"


def test_exactly_three_months_qualifies_one_day_less_does_not(owner, clock):
    clock.set(2026, 11, 20, 9)
    server = make_server(
        owner, subscription_start=dt.date(2026, 11, 1), subscription_end=dt.date(2027, 2, 1)
    )
    assert issue_service_code(server=server, actor=owner).status == CodeStatus.AVAILABLE
    short = make_server(
        owner,
        ip="203.0.113.99",
        subscription_start=dt.date(2026, 11, 1),
        subscription_end=dt.date(2027, 1, 31),
    )
    assert refusal_code(short, owner) == "server_subscription_too_short"


def test_binding_and_use(owner):
    code = issue_service_code(server=make_server(owner), actor=owner)
    first, second = make_user("a1"), make_user("a2")
    bound = bind_service_code(code=code.code.lower(), account=first)
    assert bound.status == CodeStatus.BOUND and bound.bound_account == first
    assert (
        bind_service_code(code=code.code, account=first).pk == code.pk
    )  # idempotent for the same account
    with pytest.raises(Refusal) as caught:
        bind_service_code(code=code.code, account=second)
    assert caught.value.code == "code_bound_elsewhere"
    use_up_service_code(bound)
    with pytest.raises(Refusal) as caught:
        bind_service_code(code=code.code, account=first)
    assert caught.value.code == "code_used"


def test_unknown_code(owner):
    with pytest.raises(Refusal) as caught:
        bind_service_code(code="NOPE", account=owner)
    assert caught.value.code == "code_unknown"
    assert caught.value.message("en").startswith("No such filing service code")
