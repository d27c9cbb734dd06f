"""Which materials an order needs, from the filing type and the province's rules."""

from __future__ import annotations

import itertools

import pytest

from beian.filings import services as filings
from beian.filings.models import Application
from beian.materials.requirements import missing_materials, required_materials
from beian.materials.services import upload_material
from beian.materials.tests.conftest import MINIMAL_PDF, jpeg, upload
from testing import SEED_ID, id_number, make_code, seed_principal

pytestmark = pytest.mark.django_db

_ips = itertools.count(30)
USCC = "91350100M000100Y43"


def open_app(
    applicant,
    owner,
    *,
    province,
    domains=("example-site.cn",),
    nature="individual",
    certificate_type="resident_id",
    certificate_number=SEED_ID,
    name="张伟",
):
    code = make_code(owner, ip=f"203.0.113.{next(_ips)}")
    app = filings.start_application(
        account=applicant,
        service_code=code,
        nature=nature,
        certificate_type=certificate_type,
        certificate_number=certificate_number,
        province=province,
        domains=list(domains),
        subject_name=name,
    )
    return Application.objects.get(pk=app.pk)


def kinds(app) -> list[str]:
    return [r.kind for r in required_materials(app)]


def test_seed_filing_in_jiangsu(seed_app):
    # Individual: the subject's ID (both sides) covers the same person in charge;
    # Jiangsu wants a certificate for every domain; the signed forms.
    assert kinds(seed_app) == [
        "cert_front",
        "cert_back",
        "domain_certificate",
        "verification_form_signed",
        "security_agreement_signed",
    ]
    domain = [r for r in required_materials(seed_app) if r.kind == "domain_certificate"][0]
    assert domain.domain == "zhangwei-notes.cn" and domain.website_id == seed_app.websites.get().pk


def test_missing_materials_shrink_as_uploads_arrive(seed_app, applicant):
    assert [m["kind"] for m in missing_materials(seed_app)][:2] == ["cert_front", "cert_back"]
    website = seed_app.websites.get()
    upload_material(seed_app, actor=applicant, kind="cert_front", upload=jpeg())
    upload_material(seed_app, actor=applicant, kind="cert_back", upload=jpeg())
    upload_material(
        seed_app,
        actor=applicant,
        kind="domain_certificate",
        upload=jpeg(),
        website_id=website.pk,
        domain="zhangwei-notes.cn",
    )
    assert [m["kind"] for m in missing_materials(seed_app)] == [
        "verification_form_signed",
        "security_agreement_signed",
    ]
    assert missing_materials(seed_app, include_signed_forms=False) == []
    for kind in ("verification_form_signed", "security_agreement_signed"):
        upload_material(seed_app, actor=applicant, kind=kind, upload=upload(MINIMAL_PDF, "f.pdf"))
    assert missing_materials(seed_app) == []


def test_missing_materials_have_labels_in_both_languages(seed_app):
    from django.utils import translation

    with translation.override("en"):
        assert missing_materials(seed_app)[0]["label"] == "Certificate front: subject 张伟"
    assert missing_materials(seed_app)[0]["label"] == "证件正面：主体 张伟"


def test_a_domain_certificate_for_another_domain_does_not_count(seed_app, applicant):
    website = seed_app.websites.get()
    filings.save_website(
        seed_app,
        actor=applicant,
        website_id=website.pk,
        values={"domains": ["zhangwei-notes.cn", "zhangwei-blog.cn"]},
    )
    upload_material(
        seed_app,
        actor=applicant,
        kind="domain_certificate",
        upload=jpeg(),
        website_id=website.pk,
        domain="zhangwei-notes.cn",
    )
    missing = [m for m in missing_materials(seed_app) if m["kind"] == "domain_certificate"]
    assert [m["domain"] for m in missing] == ["zhangwei-blog.cn"]


def test_a_separate_website_principal_needs_own_certificate(seed_app, applicant):
    website = seed_app.websites.get()
    filings.save_website(
        seed_app,
        actor=applicant,
        website_id=website.pk,
        values={
            "principal": seed_principal(
                name="李娜",
                certificate_number=id_number(21),
                mobile="13962100001",
                email="li.na@example.cn",
            )
        },
    )
    website.refresh_from_db()
    people = [r for r in required_materials(seed_app) if r.principal_id]
    assert [(r.kind, r.principal_id) for r in people] == [
        ("cert_front", website.principal_id),
        ("cert_back", website.principal_id),
    ]
    assert "李娜" in people[0].label


def test_residence_permit_for_a_non_local_individual_in_jiangsu(applicant, hosting_owner):
    beijing_id = id_number(7, prefix="11010519900307")
    app = open_app(applicant, hosting_owner, province="320000", certificate_number=beijing_id)
    assert "residence_permit" in kinds(app)
    local = open_app(
        applicant,
        hosting_owner,
        province="320000",
        domains=["other-site.cn"],
        certificate_number=id_number(9),
    )
    assert "residence_permit" not in kinds(local)


def test_no_residence_permit_where_the_province_does_not_ask(applicant, hosting_owner):
    beijing_id = id_number(7, prefix="11010519900307")
    app = open_app(applicant, hosting_owner, province="440000", certificate_number=beijing_id)
    assert "residence_permit" not in kinds(app)
    assert "domain_certificate" not in kinds(app)  # Guangdong: no domain certificates


def test_organisation_in_sichuan_needs_an_authorisation_letter_and_one_sided_licence(
    applicant, hosting_owner
):
    app = open_app(
        applicant,
        hosting_owner,
        province="510000",
        nature="enterprise",
        certificate_type="uscc",
        certificate_number=USCC,
        name="成都示例科技有限公司",
    )
    assert kinds(app)[:2] == ["cert_front", "authorisation_letter"]
    assert "cert_back" not in kinds(app)  # a business licence has one side


def test_henan_wants_domain_certificates_from_the_fifth_domain(applicant, hosting_owner):
    domains = [f"henan-site{i}.cn" for i in range(1, 7)]
    app = open_app(
        applicant,
        hosting_owner,
        province="410000",
        domains=domains,
        certificate_number=id_number(3, prefix="41010519900307"),
    )
    wanted = [r.domain for r in required_materials(app) if r.kind == "domain_certificate"]
    assert wanted == ["henan-site5.cn", "henan-site6.cn"]


def test_xinjiang_asks_for_the_party_building_letter(applicant, hosting_owner):
    app = open_app(
        applicant,
        hosting_owner,
        province="650000",
        certificate_number=id_number(3, prefix="65010219900307"),
    )
    assert "party_building_letter" in kinds(app)


def test_preapproval_document_for_a_website_with_a_preapproval(applicant, hosting_owner):
    app = open_app(
        applicant,
        hosting_owner,
        province="440000",
        nature="enterprise",
        certificate_type="uscc",
        certificate_number=USCC,
        name="广州示例出版有限公司",
    )
    website = app.websites.get()
    assert "preapproval" not in kinds(app)
    website.preapprovals = [{"type": "publishing", "number": "新出网证(粤)字001号"}]
    website.save()
    assert "preapproval" in kinds(app)


def test_a_cancel_access_order_needs_no_certificates(seed_app):
    seed_app.filing_type = "cancel_access"
    assert required_materials(seed_app) == []
    seed_app.filing_type = "change_subject"
    assert kinds(seed_app) == ["cert_front", "cert_back"]  # no forms to sign by post


def test_the_validation_of_an_application_reports_its_missing_materials(seed_app):
    # filings sits below materials: materials adds this check in MaterialsConfig.ready().
    from beian.filings import validation
    from beian.materials.requirements import material_problems

    assert material_problems in validation._CHECKS
    missing = [
        p for p in validation.validate_application(seed_app) if p["code"] == "material_missing"
    ]
    assert [p["field"] for p in missing] == [
        f"materials.{m['kind']}" for m in missing_materials(seed_app)
    ]
    assert missing[0]["message"].startswith(("请上传：", "Please upload: "))
