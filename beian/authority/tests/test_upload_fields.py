"""What Beian sends (issue 16): every upload type built from seed-like filings of every
filing type, organisation and individual, is valid against the official XSD *with its
attachments*; each value that used to be a constant travels as the applicant or provider
gave it."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from PIL import Image

from beian.authority import attachments, ids, mapping
from beian.authority.codec import build_upload_xml
from beian.authority.codec.upload import batches
from beian.authority.models import AuthorityId, SimWebsite, Upload
from beian.authority.payloads import Materials
from beian.authority.services import build_materials_upload
from beian.core import clock
from beian.core.errors import Refusal
from beian.filings import services, workflow
from beian.filings.models import Application, Domain, ExternalRecord
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType
from beian.filings.validation import validate_application
from beian.hosting.models import Server
from beian.materials.models import Material, MaterialKind
from beian.materials.services import upload_material
from testing import (
    drive_to,
    fill_seed_filing,
    make_code,
    seed_principal,
    start_seed_filing,
    upload_required_materials,
)

pytestmark = pytest.mark.django_db

OFFICIAL_XSD = Path("/work/shared/reference/miit-interface-v3/xsd/upload-data.xsd")
for parent in Path(__file__).resolve().parents:
    if (parent / "shared/reference/miit-interface-v3/xsd/upload-data.xsd").is_file():
        OFFICIAL_XSD = parent / "shared/reference/miit-interface-v3/xsd/upload-data.xsd"
        break
needs_official = pytest.mark.skipif(not OFFICIAL_XSD.is_file(), reason="no ../shared reference")
ISP_ID = 1001


def _uscc(body17: str) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * w for c, w in zip(body17, weights))
    return body17 + chars[(31 - total % 31) % 31]


@pytest.fixture(scope="module")
def official_schema():
    return etree.XMLSchema(etree.parse(str(OFFICIAL_XSD)))


def xml_of(app) -> bytes:
    return build_upload_xml(mapping.mapped(app).records, ISP_ID)


def check_official(xml: bytes, schema) -> etree._Element:
    root = etree.fromstring(xml)
    assert schema.validate(root), schema.error_log.last_error
    return root


def fj(root) -> list[etree._Element]:
    return root.findall(".//Fjxx")


def purposes(root) -> set[str]:
    names = {
        c.id: c.name for c in mapping.code_tables.current().table("attachment_purposes").values()
    }
    return {names[int(x.findtext("Fjyt"))] for x in fj(root)}


def noisy_png(width=1400, height=1000) -> SimpleUploadedFile:
    """A PNG that no 100 KB JPEG holds at full size (random noise)."""
    rng = random.Random(16)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), content_type="image/png")


def remember_ids(app) -> None:
    """The administration's ids of the accesses and IPs, as its BASJ download gives them
    (the test approval files in the simulator's tables without a download)."""
    for w in app.websites.all():
        data = SimWebsite.objects.get(pk=int(w.authority_record_id)).data
        for a in data["accesses"]:
            AuthorityId.objects.update_or_create(
                kind="access",
                local_id=a["isp_access_id"],
                defaults={"authority_id": a["access_id"]},
            )
            for ip in a["ips"]:
                AuthorityId.objects.update_or_create(
                    kind="ip", local_id=ip["isp_ip_id"], defaults={"authority_id": ip["ip_id"]}
                )


@pytest.fixture
def filed(applicant, staff, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff)
    remember_ids(app)
    return app


def organisation_ready(applicant, staff, hosting_owner, *, office_phone="0512-65001234"):
    """A company in Suzhou with a publishing pre-approval, English and Chinese pages."""
    code = make_code(hosting_owner, ip="203.0.113.77")
    Server.objects.filter(public_ip="203.0.113.77").update(access_method="colocation")
    app = services.start_application(
        account=applicant,
        service_code=code,
        nature="enterprise",
        certificate_type="uscc",
        certificate_number=_uscc("91320508MA1N00001"),
        province="320000",
        domains=["suzhou-press.cn"],
        subject_name="苏州示例出版有限公司",
    )
    services.save_subject(
        app,
        actor=applicant,
        values={
            "name": "苏州示例出版有限公司",
            "certificate_address": "江苏省苏州市姑苏区干将路1号",
            "city": "320500",
            "county": "320508",
            "mailing_address": "江苏省苏州市姑苏区干将路1号5楼",
            "principal": seed_principal(office_phone=office_phone),
        },
    )
    website = app.websites.get()
    services.save_website(
        app,
        actor=applicant,
        website_id=website.pk,
        values={
            "name": "苏州示例出版",
            "home_url": "http://www.suzhou-press.cn",
            "service_content": "company",
            "languages": ["zh_hans", "en"],
            "preapprovals": [{"type": "publishing", "number": "新出网证(苏)字001号"}],
            "remarks": "出版社官网，介绍图书与出版业务，提供新书信息。",
            "principal": "same_as_subject",
        },
    )
    upload_required_materials(app, applicant)
    return drive_to(app, staff, target=S.READY)


# ---- every upload type, valid against the official XSD with its attachments ---------------


@needs_official
def test_first_filing_of_an_individual(filed, official_schema):
    # Rebuild the file it sent: the subject and website, all five kinds of attachment.
    root = check_official(xml_of(filed), official_schema)
    assert purposes(root) == {
        "网站备案信息真实性核验单",
        "主办单位有效证件",
        "主体负责人有效证件",
        "网站负责人有效证件",
        "当面核验拍摄照片",
    }
    for item in fj(root):
        limit = 150 * 1024 if item.findtext("Fjyt") == "1" else 100 * 1024
        assert len(item.findtext("Fjnr")) <= limit
        assert base64.b64decode(item.findtext("Fjnr"))[:3] == b"\xff\xd8\xff"  # JPEG
        assert int(item.findtext("Fjssdx/Ssdxbs")) in (filed.subject_id, filed.websites.get().pk)
    assert root.findtext(".//Wzjrfs/Jrfs") == str(
        mapping.code_tables.choice("access_methods", "cloud")
    )  # a cloud server: 云接入
    assert root.findtext(".//Zj/Zjzs") == "江苏省苏州市姑苏区人民路100号"  # not the mailing one
    assert root.findtext(".//Txdz/Shiid") == "320500"


@needs_official
def test_first_filing_of_an_organisation(applicant, staff, hosting_owner, official_schema):
    app = organisation_ready(applicant, staff, hosting_owner)
    root = check_official(xml_of(app), official_schema)
    tables = mapping.code_tables.current()
    # The office phone as given, not the mobile.
    assert root.findtext("ICP/XZBA/Baxx/Zt_xx/Fzr/Fzr_dhhm") == "0512-65001234"
    assert root.findtext(".//Wz_Fzr/Fzr_dhhm") == "0512-65001234"
    # Languages as ticked: 中文简体 and 英语.
    languages = [tables.name("languages", int(x.text)) for x in root.iterfind(".//Yylb_id")]
    assert languages == ["中文简体", "英语"]
    # A colocated server is filed as 主机托管 (the server's access method).
    assert tables.name("access_methods", int(root.findtext(".//Jrfs"))) == "主机托管"
    # The pre-approval with its scan.
    item = root.find(".//Nrlx/Nrlx_xx")
    assert tables.name("content_types", int(item.findtext("Nrlx_id"))) == "出版"
    assert item.findtext("Qzsph") == "新出网证(苏)字001号"
    assert base64.b64decode(item.findtext("Spwj"))[:3] == b"\xff\xd8\xff"
    assert tables.name("unit_natures", int(root.findtext(".//Dwxz"))) == "企业"
    assert "主办单位有效证件" in purposes(root)


@needs_official
def test_later_filings_of_every_type(filed, applicant, staff, hosting_owner, official_schema):
    subject, website = filed.subject, filed.websites.get()
    # XZWZ: a second website for the subject filed here.
    add = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.50"), domain="zhangwei-photos.cn"
    )
    assert add.filing_type == FilingType.ADD_WEBSITE_HERE
    fill_seed_filing(add, applicant, website_name="张伟的摄影作品")
    add = drive_to(add, staff, target=S.READY)
    root = check_official(xml_of(add), official_schema)
    assert root.find("ICP/XZWZ") is not None
    owners = {x.findtext("Fjssdx/Ssdxlx") for x in fj(root)}
    assert owners == {"1", "2"}  # the subject (by its number) and the new website
    add = drive_to(add, staff)
    remember_ids(add)
    second = add.websites.get()

    # BGBA: the website changes name and gets a new domain.
    change = services.start_later_filing(
        account=applicant,
        filing_type=FilingType.CHANGE_WEBSITE,
        subject=subject,
        websites=[website],
        changes={
            "websites": {
                str(website.pk): {
                    "name": "张伟读书笔记",
                    "domains": [{"name": "zhangwei-notes.cn"}, {"name": "zw-notes.cn"}],
                }
            }
        },
    )
    change = drive_to(change, staff, target=S.READY)
    first_build = xml_of(change)
    root = check_official(first_build, official_schema)
    path = f".//Wz_xx[Wzid='{website.authority_record_id}']/Ym_xx/IspYmid"
    ymids = [int(x.text) for x in root.iterfind(path)]
    assert ymids[0] == Domain.objects.get(name="zhangwei-notes.cn").pk
    # The added domain: a reserved id, never website.pk * 1000 + 2 (maybe a real row's id),
    # the same when the file is built again.
    assert ymids[1] >= ids.RESERVED_BASE
    assert xml_of(change) == first_build
    workflow.fire(change, "withdraw", actor=applicant)

    # ZXBA, one per kind, each with the reason and the words the applicant gave.
    names = {c.id: c.name for c in mapping.code_tables.current().table("cancel_reasons").values()}
    for kind, websites, reason, note, wanted in (
        (FilingType.CANCEL_ACCESS, [website], "changed_provider", "迁往自建机房", "更换接入服务商"),
        (FilingType.CANCEL_WEBSITE, [second], "website_closed", "", "网站关闭"),
        (FilingType.CANCEL_SUBJECT, [], "subject_gone", "个人不再办网站", "主体注销或变更"),
    ):
        cancel = services.start_later_filing(
            account=applicant,
            filing_type=kind,
            subject=subject,
            websites=websites,
            cancel_reason=reason,
            cancel_note=note,
        )
        root = check_official(xml_of(cancel), official_schema)
        zx = root.find("ICP/ZXBA/Zx_xx")
        assert names[int(zx.findtext("Zxly"))] == wanted
        assert zx.findtext("Zxlybz") == (note or None)
        workflow.fire(cancel, "withdraw", actor=applicant)

    # XZHYD: the materials alone, owned by the administration's ids.
    upload = build_materials_upload(filed, client=_Client())
    root = check_official(bytes(upload.xml), official_schema)
    assert root.find("ICP/XZHYD/Fjxx") is not None
    assert {x.findtext("Fjssdx/Ssdxbs/Jlid") for x in fj(root)} == {
        subject.authority_record_id,
        website.authority_record_id,
    }
    assert upload.upload_type == "XZHYD" and upload.operation == 35


class _Client:
    isp_id = ISP_ID
    encrypt_algorithm = 0
    key = iv = ""


@needs_official
def test_add_access_for_a_site_filed_elsewhere(applicant, staff, hosting_owner, official_schema):
    ExternalRecord.objects.create(
        kind="domain",
        key_hash="other-host.cn",
        icp_number="京ICP备2020000001号-1",
        learned_at=clock.now(),
    )
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="other-host.cn")
    assert app.filing_type == FilingType.ADD_ACCESS
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.READY)
    root = check_official(xml_of(app), official_schema)
    assert root.findtext("ICP/XZJR/Xzxx/Wz_xx/Wzbah") == "京ICP备2020000001号-1"
    assert root.findtext("ICP/XZJR/Xzxx/Wzjrfs/Jrfs") == str(
        mapping.code_tables.choice("access_methods", "cloud")
    )
    assert {x.findtext("Fjssdx/Ssdxbs/Baxh") for x in fj(root)} >= {"京ICP备2020000001号-1"}


# ---- the values that were constants ------------------------------------------------------


def test_an_organisation_without_an_office_phone_is_stopped_before_it_is_sent(
    applicant, staff, hosting_owner
):
    with pytest.raises(Refusal) as caught:
        organisation_ready(applicant, staff, hosting_owner, office_phone="")
    assert "office_phone_required" in {d["code"] for d in caught.value.details}


def test_no_guess_for_a_blank_city_or_certificate_address(filed):
    subject = filed.subject
    subject.city = ""
    subject.save()
    with pytest.raises(Refusal) as caught:
        mapping.mapped(filed)
    assert caught.value.code == "authority_field_missing"
    assert "主体所在城市" in caught.value.message("zh-hans")
    subject.city, subject.certificate_address = "320500", ""
    subject.save()
    with pytest.raises(Refusal) as caught:
        mapping.mapped(filed)
    assert "证件住所" in caught.value.message("zh-hans")
    assert "certificate_address" not in caught.value.message("en")


def test_a_cancellation_needs_its_reason(filed, applicant):
    with pytest.raises(Refusal) as caught:
        services.start_later_filing(
            account=applicant,
            filing_type=FilingType.CANCEL_ACCESS,
            subject=filed.subject,
            websites=list(filed.websites.all()),
        )
    assert caught.value.code == "cancel_reason_required"


def test_languages_must_be_offered_ones(filed, applicant, hosting_owner):
    app = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.51"), domain="zhangwei-more.cn"
    )
    website = app.websites.get()
    for bad, code in (
        ([], "website_languages_required"),
        (["klingon"], "website_language_unknown"),
    ):
        with pytest.raises(Refusal) as caught:
            services.save_website(
                app, actor=applicant, website_id=website.pk, values={"languages": bad}
            )
        assert caught.value.code == code


# ---- attachments: sizes, PDFs, storage ------------------------------------------------------


def test_a_large_scan_is_recompressed_within_100_kb(applicant, hosting_owner, staff):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant, materials=False)
    upload_material(app, actor=applicant, kind=MaterialKind.CERT_FRONT, upload=noisy_png())
    upload_required_materials(app, applicant)
    app = drive_to(app, staff, target=S.READY)
    big = Material.objects.get(application=app, kind=MaterialKind.CERT_FRONT, principal=None)
    assert big.size > 1_000_000
    root = etree.fromstring(xml_of(app))
    subject_certificate = mapping.code_named("attachment_purposes", attachments.SUBJECT_CERTIFICATE)
    sent = [x for x in fj(root) if x.findtext("Fjyt") == str(subject_certificate)]
    assert sent and all(len(x.findtext("Fjnr")) <= 100 * 1024 for x in sent)
    with Image.open(io.BytesIO(base64.b64decode(sent[0].findtext("Fjnr")))) as image:
        assert image.format == "JPEG"


def test_a_pdf_form_is_refused_with_a_request_for_a_scan(applicant, hosting_owner, staff):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.READY)
    form = Material.objects.get(application=app, kind=MaterialKind.VERIFICATION_FORM_SIGNED)
    Material.objects.filter(pk=form.pk).update(content_type="application/pdf")
    with pytest.raises(Refusal) as caught:
        mapping.mapped(app)
    assert caught.value.code == "authority_attachment_not_image"
    assert "真实性核验单" in caught.value.message("zh-hans")


def test_the_stored_file_with_the_images_is_encrypted_at_rest(filed):
    from django.db import connection

    upload = build_materials_upload(filed, client=_Client())
    with connection.cursor() as cursor:
        cursor.execute("SELECT xml, beian_info FROM authority_upload WHERE id = %s", [upload.pk])
        raw_xml, raw_info = cursor.fetchone()
    raw_xml = bytes(raw_xml)
    assert b"Fjnr" not in raw_xml and b"XZHYD" not in raw_xml
    assert bytes(Upload.objects.get(pk=upload.pk).xml).count(b"<Fjnr>") >= 5
    assert upload.beian_info not in str(raw_info)


def test_batches_stay_under_the_size_and_count(filed):
    records = mapping.materials_upload(filed).records * 5
    one = len(build_upload_xml(records[:1], ISP_ID))
    files = batches(records, ISP_ID, max_bytes=one * 2 + 10)
    assert len(files) == 3 and all(len(f) <= one * 2 + 10 for f in files)
    assert sum(f.count(b"<Fjnr>") for f in files) == 5 * records[0].attachments.__len__()
    small = [Materials(records[0].attachments[:1])] * 1001
    counted = batches(small, ISP_ID)
    assert [f.count(b"<Fjxx>") for f in counted] == [1000, 1]
    with pytest.raises(Exception, match="alone"):
        batches(records[:1], ISP_ID, max_bytes=one - 1)


def test_validation_reports_the_missing_office_phone_by_its_label(applicant, hosting_owner):
    app = services.start_application(
        account=applicant,
        service_code=make_code(hosting_owner),
        nature="enterprise",
        certificate_type="uscc",
        certificate_number=_uscc("91320508MA1N00001"),
        province="320000",
        domains=["suzhou-press.cn"],
        subject_name="苏州示例出版有限公司",
    )
    services.save_subject(
        app,
        actor=applicant,
        values={"principal": seed_principal()},
    )
    app = Application.objects.get(pk=app.pk)
    problems = {p["field"]: p for p in validate_application(app)}
    assert problems["subject.principal.office_phone"]["code"] == "office_phone_required"
    from beian.filings.labels import field_label

    assert "办公室电话" in field_label("subject.principal.office_phone")
