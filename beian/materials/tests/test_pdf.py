"""The printed forms: the filing's Chinese data extracts back from the PDF text,
the CJK font is embedded, the order number is there, the province's extras too."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader

from beian.filings import services as filings
from beian.filings.models import Application
from beian.materials import pdf

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(data: bytes) -> list[dict]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.append(font.get_object())
    return found


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("build", [pdf.verification_form, pdf.security_agreement])
def test_the_filing_s_chinese_data_extracts_back(seed_app, build):
    text = squeeze(text_of(build(seed_app)))
    for value in ("张伟", "张伟的读书笔记", "zhangwei-notes.cn", seed_app.number):
        assert value in text, value


def test_the_verification_form_carries_the_real_filing_data(seed_app):
    text = squeeze(text_of(pdf.verification_form(seed_app)))
    for value in (
        "网站备案信息真实性核验单",
        "320508199003071239",  # the real certificate number: it is the applicant's own form
        "13962100000",
        "江苏省苏州市姑苏区人民路100号3幢201室",
        "203.0.113.10",
        "http://www.zhangwei-notes.cn",
        "签字",
        "邮寄原件3份",  # Jiangsu: three originals
    ):
        assert value in text, value
    assert "按手印处" not in text  # Jiangsu does not ask for fingerprints


def test_the_security_agreement_names_provider_subject_and_copies(seed_app, settings):
    settings.BEIAN = {**settings.BEIAN, "PROVIDER_NAME": "示例云计算有限公司"}
    text = squeeze(text_of(pdf.security_agreement(seed_app)))
    for value in ("信息安全管理协议", "示例云计算有限公司", "甲方", "乙方", "一式3份"):
        assert value in text, value


def test_fingerprint_boxes_where_the_province_requires_them(applicant, hosting_owner):
    from testing import id_number, make_code

    app = filings.start_application(
        account=applicant,
        service_code=make_code(hosting_owner, ip="203.0.113.77"),
        nature="individual",
        certificate_type="resident_id",
        certificate_number=id_number(3, prefix="36010219900307"),
        province="360000",  # Jiangxi: fingerprints on the forms
        domains=["jiangxi-notes.cn"],
        subject_name="王芳",
    )
    app = Application.objects.get(pk=app.pk)
    for build in (pdf.verification_form, pdf.security_agreement):
        text = squeeze(text_of(build(app)))
        assert "按手印处" in text and "王芳" in text


def test_markup_in_the_filing_data_is_printed_as_text(seed_app, applicant):
    website = seed_app.websites.get()
    filings.save_website(
        seed_app, actor=applicant, website_id=website.pk, values={"name": "笔记<b>&小站"}
    )
    assert "笔记<b>&小站" in squeeze(text_of(pdf.verification_form(seed_app)))


def test_the_cjk_font_is_embedded_as_a_subset(seed_app):
    font = pdf.cjk_font()
    if not font.embedded:
        pytest.skip("no CJK TrueType font installed (apt-get install fonts-wqy-microhei)")
    data = pdf.verification_form(seed_app)
    embedded = [
        f
        for f in fonts_of(data)
        if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"].get_object()
    ]
    assert embedded, "no embedded TrueType font program in the PDF"
    # A subset: the "ABCDEF+" tag before the font name.
    assert all(str(f["/BaseFont"])[7] == "+" for f in embedded)
    assert len(data) < 400_000  # a subset, not the whole 5 MB font


def test_without_a_cjk_font_the_cid_fallback_warns_and_text_still_extracts(
    seed_app, settings, monkeypatch, caplog
):
    settings.BEIAN = {**settings.BEIAN, "CJK_FONT": "/nonexistent/font.ttf"}
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    pdf.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="beian.materials.pdf"):
            font = pdf.cjk_font()
            data = pdf.verification_form(seed_app)
    finally:
        pdf.cjk_font.cache_clear()
    assert font == pdf.FontChoice("STSong-Light", None)
    assert "No CJK TrueType font" in caplog.text
    assert "张伟的读书笔记" in squeeze(text_of(data))


def test_a_configured_font_is_preferred(settings):
    candidates = [p for p in pdf.FONT_CANDIDATES if __import__("os").path.exists(p)]
    if not candidates:
        pytest.skip("no CJK TrueType font installed")
    settings.BEIAN = {**settings.BEIAN, "CJK_FONT": candidates[0]}
    pdf.cjk_font.cache_clear()
    try:
        assert pdf.cjk_font().path == candidates[0]
    finally:
        pdf.cjk_font.cache_clear()


def test_unknown_form_is_a_404_refusal(seed_app):
    from beian.core.errors import Refusal

    with pytest.raises(Refusal) as info:
        pdf.render_form(seed_app, "passport")
    assert info.value.status == 404
    data, name = pdf.render_form(seed_app, "verification-form")
    assert data.startswith(b"%PDF") and name == f"{seed_app.number}-verification-form.pdf"


def test_the_verification_form_shows_labels_not_codes(seed_app):
    """The service content and pre-approvals read as a person reads them, never the
    stored codes (`blog`)."""
    website = seed_app.websites.first()
    website.preapprovals = [{"type": "news", "number": "京新审2026-1"}]
    website.save(update_fields=["preapprovals"])
    text = squeeze(text_of(pdf.verification_form(seed_app)))
    assert "博客" in text and "blog" not in text
    assert "京新审2026-1" in text and "news" not in text
