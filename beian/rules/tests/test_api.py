import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/checks/"


def post(client, kind, lang=None, **body):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    return client.post(URL + kind, data=body, content_type="application/json", **headers)


def test_valid_value(client):
    response = post(client, "id-card", value="11010519491231002X")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["normalized"] == "11010519491231002X"
    assert body["facts"]["birth_date"] == "1949-12-31"
    assert set(body) == {"ok", "normalized", "facts", "errors", "warnings"}


def test_failing_value_is_still_200_in_chinese_by_default(client):
    response = post(client, "phone", value="13800138000", province="苏")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert body["errors"][0]["code"] == "phone_not_local"
    assert "江苏省" in body["errors"][0]["message"]


def test_messages_in_english_on_request(client):
    body = post(client, "phone", lang="en", value="13800138000", province="苏").json()
    assert body["errors"][0]["message"].startswith("Jiangsu requires")


def test_unknown_kind_is_a_refusal(client):
    response = post(client, "passport", value="x")
    assert response.status_code == 400
    assert response.json()["code"] == "check_unknown_kind"


def test_bad_province_is_a_refusal(client):
    response = post(client, "phone", value="13800138000", province="港")
    assert response.status_code == 400
    assert response.json() == {
        "code": "province_unknown",
        "message": response.json()["message"],
        "field": "province",
    }


def test_website_name_needs_a_subject_type(client):
    response = post(client, "website-name", value="张三的读书笔记")
    assert response.status_code == 400
    assert response.json()["code"] == "check_subject_type_required"
    ok = post(client, "website-name", value="张三的读书笔记", subject_type="individual")
    assert ok.json()["ok"] is True


def test_bad_subject_type_is_a_refusal(client):
    response = post(client, "website-name", value="张三的读书笔记", subject_type="company")
    assert response.json()["code"] == "check_subject_type_invalid"


def test_missing_value_is_a_validation_error(client):
    response = client.post(URL + "domain", data={}, content_type="application/json")
    assert response.status_code == 422


def test_empty_value_is_a_refusal(client):
    response = post(client, "domain", value="  ")
    assert response.status_code == 400
    assert response.json()["code"] == "check_value_missing"


def test_reference_endpoints(client):
    assert client.get(URL + "kinds").json() == [
        "id-card",
        "uscc",
        "phone",
        "domain",
        "website-name",
        "icp-number",
    ]
    assert len(client.get(URL + "provinces").json()) == 31
    guangdong = client.get(URL + "provinces/粤").json()
    assert guangdong["footer_number"] == "subject"
    assert client.get(URL + "provinces/港").status_code == 400
    assert {c["code"] for c in client.get(URL + "preapproval").json()} >= {"news", "finance"}
