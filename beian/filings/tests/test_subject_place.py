"""所在城市 / 所在区县: the lists hold the divisions in force, grouped by city, and a
county outside the chosen city is refused on the page, through the API and at submit."""

import pytest

from beian.accounts.models import ApiToken
from beian.filings.models import Application
from beian.filings.validation import validate_application
from testing import SEED_ID, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db

SUBJECT = {
    "name": "张伟",
    "certificate_address": "江苏省苏州市姑苏区人民路100号",
    "city": "320500",
    "county": "320508",
    "mailing_address": "江苏省苏州市姑苏区人民路100号3幢201室",
    "p_name": "张伟",
    "p_certificate_type": "resident_id",
    "p_certificate_number": SEED_ID,
    "p_mobile": "13962100000",
    "p_email": "zhang.wei@example.cn",
}


@pytest.fixture
def app(applicant, hosting_owner):
    return start_seed_filing(applicant, make_code(hosting_owner))


def test_the_county_list_is_grouped_by_city_and_holds_only_divisions_in_force(
    client, applicant, app
):
    client.force_login(applicant)
    form = client.get(f"/filings/{app.number}/subject/").context["form"]
    groups = dict(form.fields["county"].choices[1:])
    assert [name for _, name in groups["苏州市"]] == [
        "虎丘区", "吴中区", "相城区", "姑苏区", "吴江区", "常熟市", "张家港市", "昆山市", "太仓市",
    ]  # fmt: skip
    assert "白下区" not in [name for _, name in groups["南京市"]]
    cities = [name for _, name in form.fields["city"].choices[1:]]
    assert "苏州地区" not in cities and len(cities) == 13
    page = client.get(f"/filings/{app.number}/subject/").content.decode()
    assert '<optgroup label="苏州市">' in page and "filings/areas.js" in page
    assert "平江区" not in page and "金阊区" not in page


def test_a_county_outside_the_city_is_refused_and_nothing_is_saved(client, applicant, app):
    client.force_login(applicant)
    response = client.post(f"/filings/{app.number}/subject/", {**SUBJECT, "county": "320102"})
    assert response.status_code == 200
    assert response.context["form"].errors["county"] == [
        "所选区县不属于苏州市，请从苏州市的区县中重新选择。"
    ]
    app.subject.refresh_from_db()
    assert app.subject.county == "" and app.subject.mailing_address == ""
    response = client.post(f"/filings/{app.number}/subject/", {**SUBJECT, "county": ""})
    assert response.context["form"].errors["county"] == ["请选择所在区县。"]
    assert client.post(f"/filings/{app.number}/subject/", SUBJECT).status_code == 302


def test_a_city_without_districts_needs_no_county(client, applicant, hosting_owner):
    from beian.filings import services
    from testing import id_number

    app = services.start_application(
        account=applicant,
        service_code=make_code(hosting_owner),
        nature="individual",
        certificate_type="resident_id",
        certificate_number=id_number(5, prefix="44190019900307"),
        province="440000",
        domains=["dongguan-notes.cn"],
        subject_name="李娜",
    )
    client.force_login(applicant)
    data = {**SUBJECT, "name": "李娜", "city": "441900", "county": "", "p_mobile": "13800138000"}
    assert client.post(f"/filings/{app.number}/subject/", data).status_code == 302
    app.subject.refresh_from_db()
    assert (app.subject.city, app.subject.county) == ("441900", "")


def test_the_api_refuses_a_county_outside_the_city_with_its_code(client, applicant, app):
    _token, key = ApiToken.issue(applicant, "test")
    url = f"/api/v1/filings/applications/{app.number}/subject"
    response = client.put(
        url,
        {"values": {"city": "320500", "county": "320102"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "subject_county_not_in_city"
    assert response.json()["field"] == "county"
    assert "苏州市" in response.json()["message"]
    english = client.put(
        url,
        {"values": {"city": "110100"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["code"] == "subject_city_not_in_province"
    assert english.json()["message"].startswith("The city chosen is not in the filing province")


def test_submit_names_a_county_no_longer_in_force(applicant, app):
    fill_seed_filing(app, applicant)
    app = Application.objects.get(pk=app.pk)
    assert not [p for p in validate_application(app) if p["field"].startswith("subject.c")]
    subject = app.subject
    subject.county = "320503"  # 平江区, merged into 姑苏区 in 2012
    subject.save()
    problems = [p for p in validate_application(app) if p["field"] == "subject.county"]
    assert [p["code"] for p in problems] == ["subject_county_not_in_city"]
