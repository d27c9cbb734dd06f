"""Upload XML: every ICP upload kind Beian produces validates against the reference XSD."""

from pathlib import Path

import pytest
from lxml import etree

from beian.authority.codec import (
    PayloadError,
    XsdValidationError,
    build_upload_tree,
    build_upload_xml,
    filing_password_digest,
)
from beian.authority.codec.schemas import schema_path
from beian.authority.payloads import (
    Access,
    Address,
    Attachment,
    AttachmentOwner,
    CancelKind,
    Cancellation,
    Certificate,
    ChangeFiling,
    Domain,
    IpRange,
    NewAccess,
    NewFiling,
    NewWebsite,
    PreApproval,
    Principal,
    Subject,
    Website,
)


def _find_reference() -> Path | None:
    """../shared/reference/miit-interface-v3 next to the checkout (absent in a bare clone)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "reference" / "miit-interface-v3"
        if candidate.is_dir():
            return candidate
    return None


REFERENCE = _find_reference()
needs_reference = pytest.mark.skipif(REFERENCE is None, reason="../shared/reference not present")
XSD_NAMES = [
    "upload-data.xsd",
    "download-data.xsd",
    "isp_upload-return.xsd",
    "isp_download-return.xsd",
    "isp_downloadack-return.xsd",
    "isp_querypreviousupload-return.xsd",
    "isp_querybeianstatus-return.xsd",
]
ISP_ID = 1001
PASSWORD_MD5 = filing_password_digest("Beian-2014")


def reference_schema(name: str) -> etree.XMLSchema:
    """The reference XSD when ../shared is there, else the bundled copy (checked identical)."""
    path = REFERENCE / "xsd" / name if REFERENCE else schema_path(name)
    return etree.XMLSchema(etree.parse(str(path)))


def principal(name="张三", mobile="13912345678", email="zhangsan@example.com"):
    return Principal(
        name=name,
        mobile=mobile,
        email=email,
        office_phone="0512-65432100",
        certificate_type=2,
        certificate_number="320505199001011234",
    )


def website(isp_id=11, **kw):
    return Website(
        name="张三的技术笔记",
        domains=[Domain(domain="zhangsan-notes.cn", isp_domain_id=isp_id * 10 + 1)],
        accesses=[
            Access(
                ips=[IpRange.single("121.40.1.10", isp_ip_id=isp_id * 10 + 2)],
                methods=[3],
                locations=[10],
                isp_access_id=isp_id * 10 + 3,
            )
        ],
        principal=principal(),
        service_content=[4],
        languages=[1],
        home_url="http://www.zhangsan-notes.cn",
        remark="个人技术博客，记录编程学习笔记，不涉及前置审批内容。",
        isp_website_id=isp_id,
        **kw,
    )


def subject(**kw):
    base = dict(
        name="张三",
        address=Address(320000, 320500, 320508, "江苏省苏州市姑苏区人民路100号3幢201室"),
        certificate=Certificate(
            type=2, number="320505199001011234", address="苏州市姑苏区人民路100号"
        ),
        principal=principal(),
        nature=5,
        investor="张三",
    )
    base.update(kw)
    return Subject(**base)


def scan(owner=AttachmentOwner.SUBJECT, **kw):
    return Attachment(file_format=1, purpose=2, content=b"\xff\xd8\xff\xe0JPEG", owner=owner, **kw)


def new_filing():
    return NewFiling(
        subject=subject(isp_subject_id=1),
        websites=[website(pre_approvals=[PreApproval(3, "苏教审[2014]1号", [b"\xff\xd8jpg"])])],
        attachments=[scan(owner_id=1), scan(AttachmentOwner.WEBSITE, owner_id=11)],
    )


def new_website():
    return NewWebsite(
        websites=[website(isp_id=12)],
        subject_number="苏ICP备14012345号",
        attachments=[scan(AttachmentOwner.WEBSITE, owner_id=12)],
        filing_password=PASSWORD_MD5,
    )


def new_access():
    return NewAccess(
        isp_access_id=901,
        ips=[IpRange("121.40.1.10", "121.40.1.12", isp_ip_id=902)],
        methods=[3],
        locations=[10],
        filing_password=PASSWORD_MD5,
        website_number="京ICP备2020000001号-1",
        attachments=[scan(AttachmentOwner.WEBSITE, owner_number="京ICP备2020000001号-1")],
    )


def change_filing():
    changed = website()
    changed.isp_website_id = None
    changed.website_id = 5001
    changed.number = "苏ICP备14012345号-1"
    changed.domains = [
        Domain("zhangsan-notes.cn", isp_domain_id=111, domain_id=7001),
        Domain("zhangsan-blog.cn", isp_domain_id=112),  # added domain: no Ymid yet
    ]
    changed.accesses[0].access_id = 8001
    changed.accesses[0].ips[0].ip_id = 9001
    return ChangeFiling(
        subject=subject(subject_id=4001, number="苏ICP备14012345号"),
        websites=[changed],
        filing_password=PASSWORD_MD5,
    )


def cancellations():
    return [
        Cancellation.cancel_subject(4001, reason=1, filing_password=PASSWORD_MD5),
        Cancellation.cancel_website(5001, reason=1, note="网站不再运营"),
        Cancellation.cancel_access(8001, reason=2),
    ]


SAMPLES = {
    "XZBA": [new_filing()],
    "XZWZ": [new_website()],
    "XZJR": [new_access()],
    "BGBA": [change_filing()],
    "ZXBA": cancellations(),
}


@needs_reference
def test_bundled_schemas_are_identical_to_the_reference():
    for name in XSD_NAMES:
        bundled = schema_path(name).read_bytes()
        assert bundled == (REFERENCE / "xsd" / name).read_bytes(), name


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_upload_kind_is_valid_against_the_reference_xsd(kind):
    xml = build_upload_xml(SAMPLES[kind], requester_id=ISP_ID)
    doc = etree.fromstring(xml)
    schema = reference_schema("upload-data.xsd")
    assert schema.validate(doc), schema.error_log
    assert doc.get("version") == "V.3.0"
    assert doc.find(f"ICP/{kind}") is not None
    assert doc.findtext("ICP/Qqdwid") == str(ISP_ID)


def test_xml_is_gbk_with_the_spec_declaration():
    xml = build_upload_xml(SAMPLES["XZBA"], requester_id=ISP_ID)
    assert xml.startswith(b'<?xml version="1.0" encoding="GBK"?>')
    assert "张三的技术笔记".encode("gbk") in xml
    assert "张三的技术笔记".encode() not in xml


def test_characters_outside_gbk_survive_as_references():
    filing = new_filing()
    filing.subject.name = "张䶮"  # 䶮 (U+4DAE) is in GB18030 but not in GBK
    xml = build_upload_xml([filing], requester_id=ISP_ID)
    assert b"&#19886;" in xml
    assert etree.fromstring(xml).findtext("ICP/XZBA/Baxx/Zt_xx/Dwmc") == "张䶮"


def test_fields_land_in_their_elements():
    doc = etree.fromstring(build_upload_xml(SAMPLES["XZBA"], requester_id=ISP_ID))
    baxx = doc.find("ICP/XZBA/Baxx")
    assert baxx.findtext("Zt_xx/IspZtid") == "1"
    assert baxx.findtext("Zt_xx/Txdz/Xianid") == "320508"
    assert baxx.findtext("Zt_xx/Bbfs") == "1"  # filed by the provider (代为报备)
    ip = baxx.find("Wz_xx/Jr_xx/Ip_xx")
    assert ip.findtext("Qsip") == str(121 << 24 | 40 << 16 | 1 << 8 | 10)
    assert baxx.findtext("Wz_xx/Nrlx/Nrlx_xx/Qzsph") == "苏教审[2014]1号"
    assert baxx.findtext("Fj/Fjxx/Fjssdx/Ssdxbs") == "1"


def test_cancel_kinds_are_the_spec_values():
    doc = etree.fromstring(build_upload_xml(cancellations(), requester_id=ISP_ID))
    assert [e.text for e in doc.iterfind("ICP/ZXBA/Zx_xx/Zxlb")] == ["0", "1", "2"]
    assert [int(k) for k in CancelKind] == [0, 1, 2]


def test_several_kinds_in_one_file_follow_schema_order():
    xml = build_upload_xml(SAMPLES["ZXBA"] + SAMPLES["XZBA"], requester_id=ISP_ID)
    icp = etree.fromstring(xml).find("ICP")
    assert [c.tag for c in icp] == ["XZBA", "ZXBA", "Qqdwid"]


def test_missing_required_id_is_a_clear_payload_error():
    filing = new_filing()
    filing.subject.isp_subject_id = None
    with pytest.raises(PayloadError, match="XZBA: Subject.isp_subject_id is required"):
        build_upload_xml([filing], requester_id=ISP_ID)


def test_subject_cancellation_needs_the_filing_password():
    with pytest.raises(PayloadError, match="filing_password"):
        build_upload_xml([Cancellation(CancelKind.SUBJECT, 4001, 1)], requester_id=ISP_ID)


def test_bad_ip_range_is_refused():
    access = new_access()
    access.ips = [IpRange("10.0.0.9", "10.0.0.1", isp_ip_id=1)]
    with pytest.raises(PayloadError, match="starts after it ends"):
        build_upload_xml([access], requester_id=ISP_ID)


def test_xsd_violation_lists_the_errors():
    filing = new_filing()
    filing.subject.certificate.number = ""  # Zjhm has minLength 1
    filing.websites[0].domains[0].domain = "a.b"  # Ym has minLength 4
    with pytest.raises(XsdValidationError) as err:
        build_upload_xml([filing], requester_id=ISP_ID)
    assert len(err.value.errors) == 2
    assert "Zjhm" in str(err.value) and "Ym" in str(err.value)


def test_empty_upload_is_refused():
    with pytest.raises(PayloadError):
        build_upload_tree([], requester_id=ISP_ID)
