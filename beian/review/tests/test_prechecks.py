"""The automated pre-checks beside the filing: each flags what it should."""

import pytest

from beian.filings import services
from beian.filings.models import Application, Domain, ExternalRecord, Principal, RecordStatus
from beian.review.prechecks import run_prechecks
from testing import fill_seed_filing, make_code, make_user, seed_principal, start_seed_filing

pytestmark = pytest.mark.django_db


def _checks(app):
    return {c.key: c for c in run_prechecks(app, resolve=False)}


@pytest.fixture
def draft(clock, applicant, hosting_owner):
    clock.set(2025, 9, 22, 10)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return Application.objects.get(pk=app.pk)


def test_the_seed_filing_passes_every_check(draft):
    assert {k: c.status for k, c in _checks(draft).items()} == dict.fromkeys(_checks(draft), "pass")


def test_a_phone_from_another_province_is_flagged(draft):
    principal = draft.subject.principal
    principal.mobile = "13801000000"  # a Beijing mobile; Jiangsu wants a local one
    principal.save()
    check = _checks(draft)["phones"]
    assert check.status == "fail"
    assert check.findings[0].field == "subject.principal.mobile"


def test_two_persons_with_one_phone_and_one_email_are_flagged(draft, applicant):
    website = draft.websites.get()
    services.save_website(
        draft,
        actor=applicant,
        website_id=website.pk,
        values={
            "name": website.name,
            "principal": seed_principal(name="李娜", certificate_number="320508199003071220"),
        },
    )
    draft = Application.objects.get(pk=draft.pk)
    checks = _checks(draft)
    assert any(f.field == "websites.0.principal.mobile" for f in checks["phones"].findings)
    assert any(f.field == "websites.0.principal.email" for f in checks["emails"].findings)
    assert Principal.objects.count() == 2


def test_a_bad_website_name_and_an_expired_certificate_are_flagged(draft, clock):
    website = draft.websites.get()
    website.name = "12345678"
    website.save()
    principal = draft.subject.principal
    principal.certificate_valid_to = clock.now().date().replace(year=2024)
    principal.save()
    checks = _checks(draft)
    assert checks["website_names"].status == "fail"
    assert checks["certificates"].status == "fail"
    assert checks["certificates"].findings[0].field == "subject.principal.certificate_valid_to"


def test_content_needing_pre_approval_is_flagged_for_an_individual(draft):
    website = draft.websites.get()
    website.service_content = "新闻"
    website.save()
    check = _checks(draft)["preapproval"]
    assert check.status == "fail"
    assert check.findings[0].field == "websites.0.service_content"


def test_an_unapproved_tld_is_flagged(draft):
    Domain.objects.filter(website__in=draft.websites.all()).update(name="zhangwei.io")
    assert _checks(draft)["tld"].status == "fail"


def test_a_domain_filed_here_by_another_subject_is_flagged(draft, clock, hosting_owner):
    other = make_user("other-applicant")
    app2 = start_seed_filing(
        other,
        make_code(hosting_owner, ip="203.0.113.99"),
        domain="someone-else.cn",
        certificate_number="320508199003071255",
    )
    Domain.objects.filter(website__in=app2.websites.all()).update(
        name="zhangwei-notes.cn", status=RecordStatus.FILED
    )
    app2.websites.update(status=RecordStatus.FILED, icp_number="苏ICP备2025000001号-1")
    check = _checks(draft)["already_filed"]
    assert check.status == "fail"
    assert "苏ICP备2025000001号-1" in check.findings[0].text


def test_a_domain_filed_at_another_provider_is_a_warning(draft, clock):
    ExternalRecord.objects.create(
        kind="domain",
        key_hash="zhangwei-notes.cn",
        icp_number="粤ICP备2023007649号-1",
        learned_at=clock.now(),
    )
    check = _checks(draft)["already_filed"]
    assert check.status == "warn"


def test_missing_material_shows_under_province_rules(clock, applicant, hosting_owner):
    clock.set(2025, 9, 22, 10)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant, materials=False)
    check = _checks(Application.objects.get(pk=app.pk))["province_rules"]
    assert check.status == "fail"
    assert any(f.field.startswith("materials.") for f in check.findings)


def test_the_reviewer_reads_a_finding_by_its_fields_label_not_its_path(
    draft, client, staff, applicant
):
    from beian.filings import workflow
    from beian.filings.labels import field_label
    from testing import upload_required_materials
    from testing.readable import internal_values, page_text

    upload_required_materials(draft, applicant)
    workflow.fire(draft, "submit", actor=applicant)
    principal = draft.subject.principal
    principal.mobile = "13801000000"  # changed behind the form's back: the check flags it
    principal.save()
    client.force_login(staff["reviewer"])
    page = client.get(f"/review/{draft.number}/").content.decode()
    finding = page.split('data-check="phones"', 1)[1].split("</li></ul>", 1)[0]
    assert field_label("subject.principal.mobile") in finding
    assert "subject.principal.mobile" not in finding
    assert internal_values(page_text(page)) == []
