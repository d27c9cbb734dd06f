"""A failed save shows the form again with everything typed (subject, its person in
charge, websites), whether the form or the service refused it; an individual's person
in charge starts as the individual."""

import re

import pytest

from beian.filings import services
from testing import SEED_ID, id_number, make_code, start_seed_filing

pytestmark = pytest.mark.django_db

SUBJECT = {
    "name": "张伟",
    "certificate_address": "江苏省苏州市姑苏区人民路100号",
    "city": "320500",
    "county": "320508",
    "mailing_address": "江苏省苏州市姑苏区人民路100号3幢201室",
    "investor": "张伟",
    "p_name": "张伟",
    "p_certificate_type": "resident_id",
    "p_certificate_number": SEED_ID,
    "p_certificate_valid_from": "2015-03-01",
    "p_certificate_valid_to": "2035-03-01",
    "p_mobile": "13962100000",
    "p_emergency_phone": "051265550000",
    "p_email": "zhang.wei@example.cn",
}
WEBSITE = {
    "name": "张伟的读书笔记",
    "domains": "zhangwei-notes.cn",
    "home_url": "http://www.zhangwei-notes.cn",
    "service_content": "other",
    "languages": "zh_hans",
    "p_name": "李娜",
    "p_certificate_type": "resident_id",
    "p_certificate_number": id_number(8),
    "p_mobile": "13962100001",
    "p_email": "li.na@example.cn",
}


@pytest.fixture
def app(applicant, hosting_owner):
    return start_seed_filing(applicant, make_code(hosting_owner))


def shown(page: str, name: str) -> str | None:
    """The value an input, select or textarea shows for `name` in the HTML."""
    found = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
    if found:
        value = re.search(r'value="([^"]*)"', found.group(0))
        return value.group(1) if value else None
    found = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    if found:
        value = re.search(r'<option value="([^"]*)" selected>', found.group(0))
        return value.group(1) if value else None
    found = re.search(rf'<textarea name="{name}"[^>]*>\s*(.*?)</textarea>', page, re.S)
    return found.group(1).strip() if found else None


def assert_kept(page: str, data: dict, refused: str) -> None:
    for name, value in data.items():
        if name != refused:
            assert shown(page, name) == value, name
    assert 'class="field-error"' in page


@pytest.mark.parametrize(
    ("refused", "value"),
    [
        ("p_mobile", "13800138000"),  # the form: not a Jiangsu number
        ("county", "320102"),  # the form: a Nanjing district
        ("investor", "张\u202e伟"),  # the service: a bidi control character
        ("mailing_address", "人民路\u200b100号"),  # the service: a zero-width space
    ],
)
def test_a_refused_subject_keeps_what_was_typed(client, applicant, app, refused, value):
    client.force_login(applicant)
    response = client.post(f"/filings/{app.number}/subject/", {**SUBJECT, refused: value})
    assert response.status_code == 200
    assert response.context["form"].errors[refused]
    assert_kept(response.content.decode(), SUBJECT, refused)
    app.subject.refresh_from_db()
    assert app.subject.principal is None and app.subject.mailing_address == ""


@pytest.mark.parametrize(
    ("refused", "value"),
    [
        ("name", "张伟科技有限公司"),  # the form: an enterprise word for an individual
        ("p_email", "not-an-address"),  # the form
        ("home_url", "javascript:alert(1)"),  # the service: not http(s)
    ],
)
def test_a_refused_website_keeps_what_was_typed(client, applicant, app, refused, value):
    website = app.websites.get()
    client.force_login(applicant)
    url = f"/filings/{app.number}/websites/{website.pk}/"
    response = client.post(url, {**WEBSITE, refused: value})
    assert response.status_code == 200
    assert response.context["form"].errors[refused]
    assert_kept(response.content.decode(), WEBSITE, refused)
    website.refresh_from_db()
    assert website.principal_id is None and website.name == ""


def test_an_individual_s_person_in_charge_starts_as_the_individual(client, applicant, app):
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/subject/").content.decode()
    assert shown(page, "p_name") == "张伟"
    assert shown(page, "p_certificate_type") == "resident_id"
    assert shown(page, "p_certificate_number") == SEED_ID
    assert shown(page, "p_mobile") is None  # what only the person knows stays empty


def test_an_organisation_s_person_in_charge_starts_empty(client, applicant, hosting_owner):
    app = services.start_application(
        account=applicant,
        service_code=make_code(hosting_owner),
        nature="enterprise",
        certificate_type="uscc",
        certificate_number="91350100M000100Y43",
        province="350000",
        domains=["wenjin-tech.cn"],
        subject_name="福州文津科技有限公司",
    )
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/subject/").content.decode()
    assert shown(page, "name") == "福州文津科技有限公司"
    assert shown(page, "p_name") is None and shown(page, "p_certificate_number") is None
