"""Pages, files and API: the owner and staff in scope get in; another applicant
and staff outside the province's scope get a 404, whatever they try."""

from __future__ import annotations

import pytest

from beian.accounts.models import ApiToken, Role
from beian.materials.models import Material
from beian.materials.services import upload_material
from beian.materials.tests.conftest import image_bytes, jpeg, upload
from testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(seed_app, applicant):
    data = image_bytes(1024, 768)
    material = upload_material(seed_app, actor=applicant, kind="cert_front", upload=upload(data))
    return material, data


@pytest.fixture
def intruder(db):
    return make_user("lisi")


@pytest.fixture
def outsider_staff(db):
    return make_user("reviewer-beijing", Role.REVIEWER, provinces=["110000"])


@pytest.fixture
def jiangsu_staff(db):
    return make_user("reviewer-jiangsu", Role.REVIEWER, provinces=["320000"])


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def urls(app, material) -> list[str]:
    n = app.number
    return [
        f"/materials/{n}/",
        f"/materials/{n}/files/{material.pk}/",
        f"/materials/{n}/files/{material.pk}/?download=1",
        f"/materials/{n}/forms/verification-form.pdf",
        f"/materials/{n}/forms/security-agreement.pdf",
    ]


def api_urls(app, material) -> list[str]:
    n = app.number
    return [
        f"/api/v1/materials/{n}",
        f"/api/v1/materials/{n}/files/{material.pk}",
        f"/api/v1/materials/{n}/forms/verification-form",
    ]


# ---- the owner ---------------------------------------------------------------------


def test_owner_sees_the_page_with_requirements_forms_and_preview(client, seed_app, applicant, scan):
    material, _ = scan
    client.force_login(applicant)
    page = client.get(f"/materials/{seed_app.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "证件正面：主体 张伟" in html and "域名证书：zhangwei-notes.cn" in html
    assert f'src="/materials/{seed_app.number}/files/{material.pk}/"' in html  # inline preview
    assert f"/materials/{seed_app.number}/forms/verification-form.pdf" in html
    assert f"/materials/{seed_app.number}/forms/security-agreement.pdf" in html
    assert 'enctype="multipart/form-data"' in html and '<label for="file-1">' in html


def test_owner_gets_the_decrypted_file_with_safe_headers(client, seed_app, applicant, scan):
    material, data = scan
    client.force_login(applicant)
    response = client.get(f"/materials/{seed_app.number}/files/{material.pk}/")
    assert response.status_code == 200 and response.content == data
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    download = client.get(f"/materials/{seed_app.number}/files/{material.pk}/?download=1")
    assert download["Content-Disposition"].startswith("attachment;")


def test_owner_downloads_both_forms(client, seed_app, applicant):
    client.force_login(applicant)
    for form in ("verification-form", "security-agreement"):
        response = client.get(f"/materials/{seed_app.number}/forms/{form}.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get(f"/materials/{seed_app.number}/forms/passport.pdf").status_code == 404


def test_upload_through_the_page(client, seed_app, applicant):
    client.force_login(applicant)
    response = client.post(f"/materials/{seed_app.number}/", {"kind": "cert_back", "file": jpeg()})
    assert response.status_code == 302
    assert "#slot-cert_back-0-0-" in response["Location"]
    assert seed_app.materials.filter(kind="cert_back", active=True).count() == 1


def test_a_refused_upload_shows_the_message_next_to_the_field(client, seed_app, applicant):
    client.force_login(applicant)
    response = client.post(
        f"/materials/{seed_app.number}/",
        {"kind": "cert_front", "file": upload(b"not an image at all", "front.jpg")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "文件格式不支持" in html
    assert "err-1" in html  # tied to the first slot's file input (cert_front)
    assert not seed_app.materials.exists()


def test_a_bad_reference_on_the_page_is_a_refusal_not_a_crash(client, seed_app, applicant):
    client.force_login(applicant)
    response = client.post(
        f"/materials/{seed_app.number}/", {"kind": "cert_front", "principal": "x", "file": jpeg()}
    )
    assert response.status_code == 400 and "不属于本备案订单" in response.content.decode()


def test_owner_uses_the_api(client, seed_app, applicant):
    headers = bearer(applicant)
    n = seed_app.number
    created = client.post(
        f"/api/v1/materials/{n}",
        {"kind": "cert_front", "file": jpeg(1200, 900)},
        **headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["width"], body["height"]) == ("cert_front", 1200, 900)
    listing = client.get(f"/api/v1/materials/{n}", **headers).json()
    assert [m["id"] for m in listing["materials"]] == [body["id"]]
    assert "cert_front" not in [m["kind"] for m in listing["missing"]]
    assert "cert_back" in [m["kind"] for m in listing["missing"]]
    assert set(listing["forms"]) == {"verification-form", "security-agreement"}
    download = client.get(body["download_url"], **headers)
    assert download.status_code == 200
    assert download.content == Material.objects.get(pk=body["id"]).read_bytes()
    form = client.get(listing["forms"]["security-agreement"], **headers)
    assert form.status_code == 200 and form.content.startswith(b"%PDF")


def test_api_refusals_are_json_with_stable_codes(client, seed_app, applicant, settings):
    headers = bearer(applicant)
    n = seed_app.number
    small = client.post(
        f"/api/v1/materials/{n}", {"kind": "cert_front", "file": jpeg(400, 300)}, **headers
    )
    assert small.status_code == 400 and small.json()["code"] == "material_image_too_small"
    assert small.json()["field"] == "file"
    settings.BEIAN = {**settings.BEIAN, "MAX_UPLOAD_BYTES": 1000}
    large = client.post(f"/api/v1/materials/{n}", {"kind": "other", "file": jpeg()}, **headers)
    assert large.json()["code"] == "material_too_large"
    empty = client.post(f"/api/v1/materials/{n}", {"kind": "other"}, **headers)
    assert empty.status_code == 400 and empty.json()["code"] == "material_empty"
    english = client.post(
        f"/api/v1/materials/{n}?lang=en",
        {"kind": "cert_front", "file": upload(b"GIF89a....", "a.jpg")},
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )
    assert english.json()["code"] == "material_type_not_allowed"


# ---- everyone else ------------------------------------------------------------------


def test_another_applicant_gets_404_everywhere(client, seed_app, scan, intruder):
    material, _ = scan
    client.force_login(intruder)
    for url in urls(seed_app, material):
        assert client.get(url).status_code == 404, url
    posted = client.post(f"/materials/{seed_app.number}/", {"kind": "cert_back", "file": jpeg()})
    assert posted.status_code == 404
    headers = bearer(intruder)
    for url in api_urls(seed_app, material):
        response = client.get(url, **headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    upload_attempt = client.post(
        f"/api/v1/materials/{seed_app.number}", {"kind": "cert_back", "file": jpeg()}, **headers
    )
    assert upload_attempt.status_code == 404
    assert seed_app.materials.count() == 1


def test_a_material_id_of_another_order_is_404(client, seed_app, scan, intruder, hosting_owner):
    """The intruder's own order number with the victim's material id: still 404."""
    from testing import fill_seed_filing, id_number, make_code, start_seed_filing

    own = fill_seed_filing(
        start_seed_filing(
            intruder,
            make_code(hosting_owner, ip="203.0.113.99"),
            domain="lisi-notes.cn",
            certificate_number=id_number(11),
        ),
        intruder,
    )
    material, _ = scan
    client.force_login(intruder)
    assert client.get(f"/materials/{own.number}/files/{material.pk}/").status_code == 404
    response = client.get(f"/api/v1/materials/{own.number}/files/{material.pk}", **bearer(intruder))
    assert response.status_code == 404


def test_staff_outside_the_province_get_404(client, seed_app, scan, outsider_staff):
    material, _ = scan
    client.force_login(outsider_staff)
    for url in urls(seed_app, material):
        assert client.get(url).status_code == 404, url
    headers = bearer(outsider_staff)
    for url in api_urls(seed_app, material):
        assert client.get(url, **headers).status_code == 404, url


def test_staff_in_scope_see_but_do_not_upload(client, seed_app, scan, jiangsu_staff):
    from beian.filings.models import Application
    from beian.filings.states import ApplicationState

    material, data = scan
    client.force_login(jiangsu_staff)
    page = client.get(f"/materials/{seed_app.number}/")
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    # A draft is at no stage of the reviewer's: no scan (filings.selectors.scans_readable_by).
    refused = client.get(f"/materials/{seed_app.number}/files/{material.pk}/")
    assert refused.status_code == 403 and data not in refused.content
    assert f"/files/{material.pk}/" not in page.content.decode()
    Application.objects.filter(pk=seed_app.pk).update(state=ApplicationState.SUBMITTED)
    assert client.get(f"/materials/{seed_app.number}/files/{material.pk}/").content == data
    assert (
        client.post(
            f"/materials/{seed_app.number}/", {"kind": "cert_back", "file": jpeg()}
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/materials/{seed_app.number}",
        {"kind": "cert_back", "file": jpeg()},
        **bearer(jiangsu_staff),
    )
    assert response.status_code == 403 and response.json()["code"] == "material_not_owner"


def test_anonymous_visitors_are_sent_to_log_in(client, seed_app, scan):
    material, _ = scan
    for url in urls(seed_app, material):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get(f"/api/v1/materials/{seed_app.number}").status_code == 401


def test_a_refusal_without_a_form_on_the_page_is_shown_at_the_top(client, seed_app, applicant):
    from beian.filings.models import Application
    from beian.filings.states import ApplicationState

    Application.objects.filter(pk=seed_app.pk).update(state=ApplicationState.SUBMITTED)
    client.force_login(applicant)
    response = client.post(f"/materials/{seed_app.number}/", {"kind": "cert_front", "file": jpeg()})
    html = response.content.decode()
    assert response.status_code == 409
    assert 'role="alert">当前状态（待初审）下不能上传' in html and 'type="file"' not in html


def test_a_refused_other_upload_is_shown_at_its_form(client, seed_app, applicant):
    client.force_login(applicant)
    response = client.post(
        f"/materials/{seed_app.number}/",
        {"kind": "other", "file": upload(b"%PDF-1.4 cut", "x.pdf")},
    )
    assert response.status_code == 400
    assert 'id="err-other" role="alert">PDF 文件不完整' in response.content.decode()
