"""Account pages: register with e-mail confirmation through the outbox, log in
by username, mobile or e-mail, throttled failures, password reset."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from beian.accounts.models import User
from beian.accounts.throttle import MAX_FAILURES
from beian.notify.delivery import deliver_due
from beian.notify.models import Message
from testing import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Zhangwei-2014-notes"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _register(client, **overrides):
    data = {
        "username": "zhangwei",
        "mobile": "13962100000",
        "email": "Zhang.Wei@example.cn",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/accounts/register/", data)


def _link(template: str) -> str:
    """The link as the person reads it: in the e-mail the worker delivers (the
    stored row has it redacted)."""
    message = Message.objects.get(template=template, channel="email")
    deliver_due("test")
    [sent] = [m for m in mail.outbox if m.extra_headers["X-Beian-Message-Id"] == str(message.pk)]
    assert "/accounts/" not in Message.objects.get(pk=message.pk).body
    return re.search(r"http://testserver(/\S+/)", sent.body).group(1)


def test_register_queues_a_confirmation_that_confirms_the_email(client):
    response = _register(client)
    assert response.status_code == 302 and response["Location"] == "/filings/"
    user = User.objects.get(username="zhangwei")
    assert user.role == "applicant" and not user.email_confirmed
    assert user.email == "zhang.wei@example.cn" and user.mobile == "13962100000"
    response = client.get(_link("account_email_confirm"))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email_confirmed


def test_a_tampered_confirmation_link_is_refused(client):
    _register(client)
    link = _link("account_email_confirm")
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert not User.objects.get(username="zhangwei").email_confirmed


def test_register_refuses_a_taken_mobile_and_a_bad_one_next_to_the_field(client):
    make_user("someone", mobile="13962100000")
    response = _register(client)
    assert response.status_code == 200
    assert "该手机号码已注册备案账号" in response.context["form"].errors["mobile"][0]
    response = _register(client, mobile="12345", username="other")
    assert response.context["form"].errors["mobile"]
    assert not User.objects.filter(username__in=["zhangwei", "other"]).exists()


def test_register_refuses_mismatched_passwords(client):
    response = _register(client, password2="something-else-2024")
    assert "password2" in response.context["form"].errors


@pytest.mark.parametrize("identifier", ["zhangwei", "13962100000", "zhang.wei@example.cn"])
def test_log_in_by_username_mobile_or_email(client, identifier):
    make_user("zhangwei", password=PASSWORD, mobile="13962100000", email="zhang.wei@example.cn")
    response = client.post("/accounts/login/", {"identifier": identifier, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/filings/"
    assert client.get("/filings/").status_code == 200


def test_log_in_keeps_a_local_next_but_not_another_site(client):
    make_user("zhangwei", password=PASSWORD)
    ok = client.post(
        "/accounts/login/?next=/filings/inbox/",
        {"identifier": "zhangwei", "password": PASSWORD, "next": "/filings/inbox/"},
    )
    assert ok["Location"] == "/filings/inbox/"
    client.post("/accounts/logout/")
    evil = client.post(
        "/accounts/login/",
        {"identifier": "zhangwei", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert evil["Location"] == "/filings/"


def test_repeated_failures_are_throttled_even_with_the_right_password(client):
    make_user("zhangwei", password=PASSWORD)
    for _ in range(MAX_FAILURES):
        response = client.post("/accounts/login/", {"identifier": "zhangwei", "password": "nope"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"identifier": "zhangwei", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Another address is not locked out by this one's failures.
    other = client.post(
        "/accounts/login/",
        {"identifier": "zhangwei", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.2",
    )
    assert other.status_code == 302


def test_login_works_while_the_throttle_cache_is_unreachable(client, caplog):
    make_user("zhangwei", password=PASSWORD)
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=unreachable):
        wrong = client.post("/accounts/login/", {"identifier": "zhangwei", "password": "nope"})
        assert wrong.status_code == 200 and not client.session.get("_auth_user_id")
        right = client.post("/accounts/login/", {"identifier": "zhangwei", "password": PASSWORD})
        assert right.status_code == 302 and client.session.get("_auth_user_id")
    assert "login throttle not applied" in caplog.text


def test_a_success_clears_the_failures(client):
    make_user("zhangwei", password=PASSWORD)
    for _ in range(MAX_FAILURES - 1):
        client.post("/accounts/login/", {"identifier": "zhangwei", "password": "nope"})
    assert client.post("/accounts/login/", {"identifier": "zhangwei", "password": PASSWORD})[
        "Location"
    ]
    client.post("/accounts/logout/")
    for _ in range(MAX_FAILURES - 1):
        client.post("/accounts/login/", {"identifier": "zhangwei", "password": "nope"})
    assert client.post("/accounts/login/", {"identifier": "zhangwei", "password": PASSWORD})
    assert client.session.get("_auth_user_id")


def test_password_reset_through_the_outbox(client):
    user = make_user("zhangwei", password=PASSWORD, email="zhang.wei@example.cn")
    response = client.post("/accounts/password-reset/", {"identifier": "zhang.wei@example.cn"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    link = _link("account_password_reset")
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    new = "Another-pass-2025"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/accounts/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_account_says_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password-reset/", {"identifier": "nobody@example.cn"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert not Message.objects.filter(template="account_password_reset").exists()


def test_logout_is_post_only(client):
    user = make_user("zhangwei", password=PASSWORD)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/filings/")["Location"].startswith("/accounts/login/")


def test_account_pages_have_labelled_fields_in_both_languages(client):
    for url in ("/accounts/register/", "/accounts/login/", "/accounts/password-reset/"):
        zh = client.get(url).content.decode()
        assert '<label for="id_' in zh
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Password" in en or "e-mail" in en


def test_password_reset_ends_other_sessions_and_revokes_api_tokens(client):
    from django.test import Client

    from beian.accounts.models import ApiToken
    from beian.core.models import AuditEvent

    user = make_user("zhangwei", password=PASSWORD, email="zhang.wei@example.cn")
    elsewhere = Client()
    elsewhere.force_login(user)  # e.g. a session an attacker opened
    assert elsewhere.get("/filings/").status_code == 200
    _, key = ApiToken.issue(user, "script")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/notify/inbox").status_code == 200

    client.post("/accounts/password-reset/", {"identifier": "zhangwei"})
    response = client.get(_link("account_password_reset"), follow=True)
    new = "Another-pass-2025"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == "/accounts/password-reset/done/"

    assert elsewhere.get("/filings/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/notify/inbox").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked=False).exists()
    event = AuditEvent.objects.filter(verb="password_reset").get()
    assert event.data == {"api_tokens_revoked": 1}


def test_reset_and_confirmation_tokens_never_reach_a_log_line():
    import logging

    from beian.core.masking import MaskPiiLogFilter, mask_text

    link = "http://testserver/accounts/reset/MQ/c5k2x1-0a1b2c3d4e5f6/"
    assert mask_text(f"Bad Request: {link}") == (
        "Bad Request: http://testserver/accounts/reset/******"
    )
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Bad Request: %s",
        ("/accounts/confirm/eyJ1Ijo:1x/",),
        None,
    )
    MaskPiiLogFilter().filter(record)
    assert record.getMessage() == "Bad Request: /accounts/confirm/******"
