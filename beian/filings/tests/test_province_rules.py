"""Province rules from the data file stop a submission, each with its code."""

import datetime as dt

import pytest

from beian.core.errors import Refusal
from beian.filings import services, workflow
from beian.rules import areas
from testing import id_number, make_code, seed_principal

pytestmark = pytest.mark.django_db


def start_in(
    applicant, code, province: str, id_prefix: str, mobile: str, domains: list[str], **principal
):
    cert = id_number(321, prefix=id_prefix)
    city = next(code for code, _ in areas.cities(province) if areas.counties(code))
    app = services.start_application(
        account=applicant,
        service_code=code,
        nature="individual",
        certificate_type="resident_id",
        certificate_number=cert,
        province=province,
        domains=domains,
        subject_name="李娜",
    )
    services.save_subject(
        app,
        actor=applicant,
        values={
            "certificate_address": "某市某区某路1号",
            "city": city,
            "county": areas.counties(city)[0][0],
            "mailing_address": "某市某区某路1号2单元301室",
            "principal": seed_principal(
                name="李娜", certificate_number=cert, mobile=mobile, **principal
            ),
        },
    )
    website = app.websites.get()
    services.save_website(
        app,
        actor=applicant,
        website_id=website.pk,
        values={
            "name": "李娜的读书笔记",
            "service_content": "blog",
            "principal": "same_as_subject",
        },
    )
    return app


def problems(app, applicant) -> dict:
    with pytest.raises(Refusal) as caught:
        workflow.fire(app, "submit", actor=applicant)
    return {d["code"]: d for d in caught.value.details}


def test_hubei_caps_domains_and_wants_valid_ids(applicant, hosting_owner, clock):
    clock.set(2026, 11, 20, 10)
    app = start_in(
        applicant,
        make_code(hosting_owner),
        "420000",
        "42010219900307",
        "13907100000",
        ["lina-a.cn", "lina-b.cn"],
        certificate_valid_to=dt.date(2027, 1, 10),
    )
    found = problems(app, applicant)
    assert "province_cap_domains" in found and "1" in found["province_cap_domains"]["message"]
    assert found["province_id_validity"]["field"] == "subject.principal.certificate_valid_to"


def test_heilongjiang_wants_an_emergency_contact(applicant, hosting_owner):
    app = start_in(
        applicant,
        make_code(hosting_owner),
        "230000",
        "23010219900307",
        "13904510000",
        ["lina-hlj.cn"],
        emergency_phone="",
    )
    found = problems(app, applicant)
    assert found["province_emergency_contact"]["field"] == "subject.principal.emergency_phone"


def test_individuals_cannot_file_content_needing_a_pre_approval(applicant, hosting_owner):
    app = start_in(
        applicant,
        make_code(hosting_owner),
        "230000",
        "23010219900307",
        "13904510000",
        ["lina-news.cn"],
    )
    services.save_website(
        app, actor=applicant, website_id=app.websites.get().pk, values={"service_content": "news"}
    )
    assert (
        problems(app, applicant)["preapproval_individual"]["field"] == "websites.0.service_content"
    )


def test_a_complete_filing_in_another_province_passes(applicant, hosting_owner):
    from testing import upload_required_materials

    app = start_in(
        applicant,
        make_code(hosting_owner),
        "230000",
        "23010219900307",
        "13904510000",
        ["lina-ok.cn"],
    )
    assert "material_missing" in problems(app, applicant)
    assert upload_required_materials(app, applicant) >= 3  # ID front and back, signed forms
    assert workflow.fire(app, "submit", actor=applicant).state == "submitted"
