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
