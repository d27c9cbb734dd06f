"""Every `aria-describedby` on a form page names an element of that page:
Django 5.2 points an invalid input at `id_x_error` and a hinted one at
`id_x_helptext`, so the slots the templates render carry those ids."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _dangling(html: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    referenced = [
        ref for value in re.findall(r'aria-describedby="([^"]*)"', html) for ref in value.split()
    ]
    assert referenced, "the page names no description at all"
    return [ref for ref in referenced if ref not in ids]


def test_register_errors_are_described_by_their_slots(client):
    page = client.post(
        "/accounts/register/", {"username": "", "mobile": "12", "email": "x", "password": "a"}
    ).content.decode()
    assert 'aria-describedby="id_mobile_error"' in page
    assert _dangling(page) == []


def test_login_errors_are_described_by_their_slots(client):
    page = client.post("/accounts/login/", {"identifier": "", "password": ""}).content.decode()
    assert _dangling(page) == []
