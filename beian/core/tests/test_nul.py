"""A NUL character is refused with a stable code before any view runs (PostgreSQL
cannot store it in text, so it used to end as a 500 there)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def test_nul_in_an_api_path_is_a_400_with_a_code(client):
    response = client.get("/api/v1/hosting/codes/%00")
    assert response.status_code == 400
    assert response.json()["code"] == "input_control_character"
    assert "NUL" in response.json()["message"]


def test_nul_in_a_json_body_or_a_query_is_refused(client):
    body = '{"service_code": "AB\\u0000CD"}'
    response = client.post("/api/v1/filings/applications", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "input_control_character"
    assert client.get("/api/v1/registry/query?q=a%00b").status_code == 400


def test_nul_in_a_page_form_is_refused_in_words(client):
    response = client.post("/accounts/login/", {"identifier": "zhang\x00wei", "password": "x"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_a_binary_upload_passes_the_check(client):
    upload = SimpleUploadedFile("scan.jpg", b"\xff\xd8\x00\x00binary", content_type="image/jpeg")
    response = client.post("/api/v1/materials/X/uploads", {"file": upload})
    assert response.status_code != 400 or response.json().get("code") != "input_control_character"


def test_a_multipart_body_that_cannot_be_parsed_is_a_coded_400(client):
    # No boundary: Django's parser raises before any view runs, and the API used to
    # answer Django's HTML "Bad Request" page instead of a code and a message.
    response = client.generic(
        "POST", "/api/v1/materials/X", b"--x--", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "input_unreadable" and response.json()["message"]
    page = client.generic("POST", "/accounts/login/", b"--x--", content_type="multipart/form-data")
    assert page.status_code == 400 and "无法解析" in page.content.decode()
