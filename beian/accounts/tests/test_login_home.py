import pytest

from testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [("applicant", "/filings/"), ("reviewer", "/review/"), ("mailroom", "/review/")],
)
def test_login_lands_where_the_role_works(client, role, home):
    make_user("someone", role, password="a-long-password-1")
    response = client.post(
        "/accounts/login/", {"identifier": "someone", "password": "a-long-password-1"}
    )
    assert response.status_code == 302 and response["Location"] == home
