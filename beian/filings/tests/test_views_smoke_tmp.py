import pytest

from beian.testing import SEED_ID, make_code

pytestmark = pytest.mark.django_db


def test_smoke(client, applicant, hosting_owner, clock):
    clock.set(2025, 9, 20, 9)
    code = make_code(hosting_owner)
    for url in [
        "/filings/need-filing/",
        "/filings/need-filing/?reach=domain&protocol=http&location=mainland",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password-reset/",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    client.force_login(applicant)
    for url in ["/filings/", "/filings/start/", "/filings/inbox/"]:
        r = client.get(url)
        assert r.status_code == 200, url
    r = client.post("/filings/start/", {"step": "code", "service_code": code})
    assert r.status_code == 200 and b"start-form" in r.content, r.content.decode()[-3000:]
    r = client.post(
        "/filings/start/",
        {
            "service_code": code,
            "province": "320000",
            "nature": "individual",
            "subject_name": "张伟",
            "certificate_type": "resident_id",
            "certificate_number": SEED_ID,
            "domains": "zhangwei-notes.cn",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    url = r["Location"]
    r = client.get(url)
    assert r.status_code == 200
    print(r.content.decode()[:200])
    from beian.filings.models import Application

    app = Application.objects.get()
    w = app.websites.get()
    for u in ["subject/", f"websites/{w.pk}/", "remarks/", "submit/", "resolve/", "photo/"]:
        r = client.get(url + u)
        assert r.status_code == 200, u
    r = client.get(url + "subject/?check=1")
    assert r.status_code == 200
    print(r.content.decode().count("field-error"))
