"""The Django admin is the admin role's alone: no other role reads its lists,
even with `is_staff` and every view permission given by hand."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from beian.accounts.models import Role
from testing import make_user

pytestmark = pytest.mark.django_db

LISTS = (
    "/admin/",
    "/admin/notify/message/",
    "/admin/filings/application/",
    "/admin/accounts/user/",
    "/admin/notify/recordedsms/",
)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role", [Role.REVIEWER, Role.MAILROOM, Role.PHOTO_VERIFIER, Role.OPERATOR, Role.AUTHORITY]
)
def test_a_staff_role_with_is_staff_and_view_permissions_is_sent_to_the_login(role):
    user = make_user(f"{role}-x", role)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client = _client(user)
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_the_admin_role_reads_the_lists():
    client = _client(make_user("root", Role.ADMIN))
    for url in LISTS:
        assert client.get(url).status_code == 200, url


def test_a_superuser_flag_without_the_admin_role_is_not_enough():
    user = make_user("flagged", Role.OPERATOR)
    user.is_staff = user.is_superuser = True
    user.save()
    assert _client(user).get("/admin/notify/message/").status_code == 302


def test_an_admin_scoped_to_provinces_is_refused_the_admin_site():
    """The admin's lists know no province: only an admin of every province gets in."""
    client = _client(make_user("root-bj", Role.ADMIN, provinces=["110000"]))
    response = client.get("/admin/filings/application/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_password_changed_by_the_admin_revokes_the_users_api_tokens():
    from beian.accounts.models import ApiToken

    user = make_user("zhangwei", password="Zhangwei-2014-notes")
    _, key = ApiToken.issue(user, "script")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/v1/notify/inbox").status_code == 200
    admin = _client(make_user("root", Role.ADMIN))
    new = "Changed-by-admin-2026"
    response = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert api.get("/api/v1/notify/inbox").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked=False).exists()


def test_saving_a_user_without_a_new_password_keeps_the_tokens():
    from beian.accounts.models import ApiToken

    user = make_user("zhangwei", password="Zhangwei-2014-notes")
    ApiToken.issue(user, "script")
    user.language = "en"
    user.save()
    assert ApiToken.objects.filter(user=user, revoked=False).count() == 1
