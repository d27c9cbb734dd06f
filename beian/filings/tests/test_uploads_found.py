"""Issue 13, "uploads cannot be found": the draft links to the uploads page, and the
submit page names every problem by its label and links to what fixes it."""

import re

import pytest

from beian.filings import workflow
from beian.filings.labels import field_label
from testing import fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db

RAW_PATH = re.compile(r">\s*(materials|subject|websites)\.[a-z0-9_.]+\s*<")


def test_a_draft_links_to_its_uploads_page(client, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/").content.decode()
    assert f'id="uploads-link" href="/materials/{app.number}/"' in page
    # The uploads are one of the steps, not done while scans are missing.
    steps = client.get(f"/filings/{app.number}/").context["steps"]
    uploads = next(s for s in steps if s["url"] == f"/materials/{app.number}/")
    assert uploads["done"] is False


def test_missing_materials_are_named_and_link_to_their_upload_form(
    client, applicant, hosting_owner
):
    app = fill_seed_filing(
        start_seed_filing(applicant, make_code(hosting_owner)), applicant, materials=False
    )
    client.force_login(applicant)
    response = client.get(f"/filings/{app.number}/submit/")
    problems = response.context["problems"]
    missing = [p for p in problems if p["field"].startswith("materials.")]
    assert missing, problems
    for problem in missing:
        assert problem["label"] and "materials." not in problem["label"]
        assert problem["url"].startswith(f"/materials/{app.number}/#slot-")
    assert any(p["label"].startswith("证件正面") for p in missing)
    html = response.content.decode()
    assert not RAW_PATH.search(html), RAW_PATH.search(html)
    # Each link's anchor is a slot on the uploads page.
    uploads = client.get(f"/materials/{app.number}/").content.decode()
    for problem in missing:
        assert f'id="{problem["url"].split("#")[1]}"' in uploads


def test_other_problems_link_to_their_step_by_label(client, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    client.force_login(applicant)
    problems = client.get(f"/filings/{app.number}/submit/").context["problems"]
    address = next(p for p in problems if p["field"] == "subject.mailing_address")
    assert address["label"] == "主体信息 · 通信地址（详细到门牌号）"
    assert address["url"] == f"/filings/{app.number}/subject/?check=1#id_mailing_address"
    english = client.get(f"/filings/{app.number}/submit/", HTTP_ACCEPT_LANGUAGE="en").context[
        "problems"
    ]
    assert any(p["label"].startswith("Subject · Mailing address") for p in english)


def test_return_reasons_show_the_fields_label(client, applicant, hosting_owner, staff):
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    app = workflow.fire(app, "submit", actor=applicant)
    workflow.fire(
        app,
        "return_to_applicant",
        actor=staff["reviewer"],
        data={"reasons": [{"field": "websites.0.name", "text": "网站名称过于宽泛"}]},
    )
    client.force_login(applicant)
    html = client.get(f"/filings/{app.number}/").content.decode()
    assert '<span class="reason-field">网站 1 · 网站名称</span>：网站名称过于宽泛' in html
    assert "websites.0.name" not in html


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("", "整体"),
        ("subject.certificate_number", "主体信息 · 证件号码"),
        ("subject.principal.mobile", "主体信息 · 手机号码"),
        ("websites.1.principal.email", "网站 2 · 电子邮箱"),
        ("materials.cert_front", "证件正面"),
        ("materials.nonsense", "上传资料"),
        ("filing_password", "备案密码"),
        ("photo", "核验照片"),
        ("something.unknown", "整体"),
    ],
)
def test_field_labels_never_show_the_path(path, label):
    assert field_label(path) == label
