"""Login throttling (issue 14, finding 5): one account whatever the spelling of
its mobile, a limit per address across accounts, and the Django admin's login
counted the same way."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from beian.accounts.throttle import MAX_FAILURES
from testing import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Zhangwei-2014-notes"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, identifier, password, **extra):
    return client.post(
        "/accounts/login/", {"identifier": identifier, "password": password}, **extra
    )


def test_spellings_of_one_mobile_share_one_counter(client):
    make_user("zhangwei", password=PASSWORD, mobile="13962100000")
    spellings = [
        "139-6210-0000",
        "+8613962100000",
        "139 6210 0000",
        "+86 139-6210-0000",
        "13962100000",
    ]
    for spelling in spellings[:MAX_FAILURES]:
        assert _login(client, spelling, "nope").status_code == 200
    # Each spelling used to get its own five guesses; now the account is locked.
    for spelling in spellings + ["zhangwei"]:
        assert _login(client, spelling, PASSWORD).status_code == 429


def test_an_unknown_mobile_is_counted_under_its_normalised_spelling(client):
    for spelling in [
        "139-0000-0001",
        "+86 13900000001",
        "139 0000 0001",
        "13900000001",
        "+8613900000001",
    ]:
        _login(client, spelling, "nope")
    assert _login(client, "139-0000-0001", "nope").status_code == 429


@override_settings(BEIAN={**settings.BEIAN, "LOGIN_ACCOUNT_MAX_FAILURES": 8})
def test_the_account_locks_when_guesses_come_from_many_addresses(client):
    make_user("zhangwei", password=PASSWORD)
    for i in range(8):
        _login(client, "zhangwei", "nope", REMOTE_ADDR=f"10.0.0.{i}")
    assert _login(client, "zhangwei", PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 429


@override_settings(BEIAN={**settings.BEIAN, "LOGIN_IP_MAX_FAILURES": 6})
def test_one_address_trying_many_accounts_is_locked(client):
    make_user("zhangwei", password=PASSWORD)
    for i in range(6):
        _login(client, f"someone{i}", "nope")
    assert _login(client, "zhangwei", PASSWORD).status_code == 429
    # Another address is not.
    assert _login(client, "zhangwei", PASSWORD, REMOTE_ADDR="127.0.0.2").status_code == 302


def _admin_login(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def test_the_admin_login_is_throttled():
    from django.test import Client

    make_user("admin", role="admin", password=PASSWORD)
    from beian.accounts.models import User

    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(MAX_FAILURES):
        response = _admin_login(client, "admin", "nope")
        assert response.status_code == 200 and not client.session.get("_auth_user_id")
    response = _admin_login(client, "admin", PASSWORD)
    assert not client.session.get("_auth_user_id")
    assert "登录失败次数过多" in response.content.decode()
    # The portal's login shares the counter: the same account is locked there too.
    assert _login(client, "admin", PASSWORD).status_code == 429
    # From another address the right password works.
    other = Client(REMOTE_ADDR="127.0.0.9")
    assert _admin_login(other, "admin", PASSWORD).status_code == 302
    assert other.session.get("_auth_user_id")
