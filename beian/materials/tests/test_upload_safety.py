"""Uploads as an attacker sends them (issue 14, finding 6): images bounded in
pixels before decoding and decoded whole, PDFs with active content refused,
each with a clear refusal and never a 500; private files served with one set
of safe headers; a replaced photo leaves the storage."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from beian.core.errors import Refusal
from beian.filings import workflow
from beian.filings.photos import check_photo
from beian.filings.states import ApplicationState as S
from beian.materials import pdf
from beian.materials.services import upload_material
from beian.materials.tests.conftest import MINIMAL_PDF, image_bytes, upload
from beian.materials.uploads import check_file
from testing import drive_to, photo_upload

pytestmark = pytest.mark.django_db


def refusal_code(callable_, *args, **kwargs) -> str:
    with pytest.raises(Refusal) as info:
        callable_(*args, **kwargs)
    return info.value.code


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_1bit(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A valid 1-bit PNG of any size in a few kilobytes (all rows zero).
    `rows` < height writes only that many rows: a header that lies."""
    row = b"\x00" * (1 + (width + 7) // 8)
    pixels = zlib.compress(row * (height if rows is None else rows), 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def _photo(data: bytes, name: str = "photo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---- images ------------------------------------------------------------------


def test_a_12000_by_12000_png_is_refused_before_it_is_decoded(seed_app, applicant):
    data = png_1bit(12000, 12000)
    assert len(data) < 100_000  # small on the wire, 144 M pixels once decoded
    code = refusal_code(
        upload_material, seed_app, actor=applicant, kind="cert_front", upload=upload(data)
    )
    assert code == "material_image_too_many_pixels"
    assert refusal_code(check_photo, _photo(data)) == "photo_too_many_pixels"


def test_a_header_claiming_30000_by_30000_is_a_refusal_not_a_500(seed_app, applicant):
    data = png_1bit(30000, 30000, rows=10)
    assert refusal_code(check_file, upload(data)) == "material_image_too_many_pixels"
    # The photo check let Pillow's DecompressionBombError through (a 500).
    assert refusal_code(check_photo, _photo(data)) == "photo_too_many_pixels"


def test_the_pixel_limit_comes_from_the_settings(settings):
    data = image_bytes(1200, 900)
    assert check_file(upload(data)).width == 1200
    settings.BEIAN = {**settings.BEIAN, "MAX_IMAGE_PIXELS": 1_000_000}
    refusal = pytest.raises(Refusal, check_file, upload(data)).value
    assert refusal.code == "material_image_too_many_pixels"
    assert "1 百万像素" in refusal.message("zh-hans") and "1 megapixels" in refusal.message("en")


def test_a_truncated_jpeg_is_refused_as_a_photo():
    data = image_bytes(1024, 768)
    truncated = data[: len(data) // 2]
    # verify() reads only the header: the photo check accepted this before.
    assert (
        refusal_code(check_photo, _photo(truncated, "photo.jpg", "image/jpeg")) == "photo_invalid"
    )
    assert refusal_code(check_file, upload(truncated)) == "material_image_invalid"
    check_photo(photo_upload())  # a whole photo still passes


# ---- PDFs --------------------------------------------------------------------


def _pdf_with(catalog_entries: dict, *, compress: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    for key, value in catalog_entries.items():
        writer._root_object[NameObject(key)] = value
    if compress:
        writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _js_action() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('pwned')"),
        }
    )


def test_a_pdf_with_openaction_javascript_is_refused(seed_app, applicant):
    data = _pdf_with({"/OpenAction": _js_action()})
    refusal = pytest.raises(
        Refusal,
        upload_material,
        seed_app,
        actor=applicant,
        kind="other",
        upload=upload(data, "a.pdf", "application/pdf"),
    ).value
    assert refusal.code == "material_pdf_active_content"
    assert "可执行内容" in refusal.message("zh-hans") and "active content" in refusal.message("en")


@pytest.mark.parametrize(
    "entries",
    [
        {"/AA": DictionaryObject({NameObject("/WC"): _js_action()})},
        {
            "/OpenAction": DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Launch"),
                    NameObject("/F"): TextStringObject("calc.exe"),
                }
            )
        },
        {"/Names": DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject()})},
    ],
    ids=["AA", "Launch", "EmbeddedFiles"],
)
def test_other_active_content_is_refused(entries):
    data = _pdf_with(entries)
    assert refusal_code(check_file, upload(data, "a.pdf")) == "material_pdf_active_content"


def test_javascript_hidden_by_name_escapes_is_refused():
    data = MINIMAL_PDF.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"
    )
    assert refusal_code(check_file, upload(data, "a.pdf")) == "material_pdf_active_content"


def _objstm_pdf(dictionary: bytes, filters: bytes = b"/FlateDecode", encode=zlib.compress):
    """A PDF 1.5 whose catalog lives in a compressed object stream."""
    objects = b"1 0 " + dictionary
    body = encode(objects)
    return (
        b"%PDF-1.5\n3 0 obj<</Type/ObjStm/N 1/First 4/Filter "
        + filters
        + b"/Length "
        + str(len(body)).encode()
        + b">>stream\n"
        + body
        + b"\nendstream endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def test_javascript_in_a_compressed_object_stream_is_refused():
    hidden = b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"
    data = _objstm_pdf(hidden)
    assert b"JavaScript" not in data
    assert refusal_code(check_file, upload(data, "a.pdf")) == "material_pdf_active_content"
    import base64

    a85 = _objstm_pdf(
        hidden,
        b"[/ASCII85Decode/FlateDecode]",
        lambda raw: base64.a85encode(zlib.compress(raw)) + b"~>",
    )
    assert refusal_code(check_file, upload(a85, "a.pdf")) == "material_pdf_active_content"


def test_an_object_stream_the_scan_cannot_read_is_refused():
    data = _objstm_pdf(b"<</Type/Catalog>>", b"/LZWDecode", lambda raw: raw)
    assert refusal_code(check_file, upload(data, "a.pdf")) == "material_pdf_too_complex"


def test_a_zip_bomb_object_stream_is_refused_without_inflating_it_all():
    bomb = zlib.compress(b" " * (80 * 1024 * 1024), 9)  # ~80 KB on the wire
    data = _objstm_pdf(b"", encode=lambda raw: bomb)
    assert refusal_code(check_file, upload(data, "a.pdf")) == "material_pdf_too_complex"


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("user-password", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal_code(check_file, upload(buffer.getvalue(), "a.pdf")) == "material_pdf_encrypted"


def test_plain_pdfs_and_our_own_forms_pass(seed_app):
    assert check_file(upload(MINIMAL_PDF, "a.pdf")).content_type == "application/pdf"
    assert check_file(upload(_pdf_with({}), "a.pdf")).content_type == "application/pdf"
    for form in ("verification-form", "security-agreement"):
        data, _ = pdf.render_form(seed_app, form)
        assert check_file(upload(data, "form.pdf")).content_type == "application/pdf"


# ---- serving ------------------------------------------------------------------

SAFE = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


def _assert_safe(response, content_type):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    for header, value in SAFE.items():
        assert response[header] == value, header
    assert response["Content-Disposition"].startswith(
        ("inline; filename=", "attachment; filename=")
    )


@pytest.fixture
def verifying(applicant, hosting_owner, staff):
    from testing import fill_seed_filing, make_code, start_seed_filing

    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    return drive_to(app, staff, S.VERIFYING)


def _photo_uploaded(app, applicant, staff):
    app = workflow.fire(app, "request_backdrop", actor=applicant, data={"shipping_address": "苏州"})
    app = workflow.fire(
        app,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "1"},
    )
    return workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})


def test_form_pdfs_and_photos_have_the_headers_of_materials(client, verifying, applicant, staff):
    client.force_login(applicant)
    for form in ("verification-form", "security-agreement"):
        _assert_safe(
            client.get(f"/materials/{verifying.number}/forms/{form}.pdf"), "application/pdf"
        )
    app = _photo_uploaded(verifying, applicant, staff)
    client.force_login(staff["photo_verifier"])
    _assert_safe(client.get(f"/review/{app.number}/photo.img"), "image/jpeg")


def test_a_replaced_photo_is_deleted_from_storage(
    verifying, applicant, staff, django_capture_on_commit_callbacks
):
    app = _photo_uploaded(verifying, applicant, staff)
    storage, first = app.photo.photo.storage, app.photo.photo.name
    assert storage.exists(first)
    app = workflow.fire(app, "reject_photo", actor=staff["photo_verifier"], reason="照片模糊")
    with django_capture_on_commit_callbacks(execute=True):
        app = workflow.fire(app, "upload_photo", actor=applicant, data={"photo": photo_upload()})
    app.photo.refresh_from_db()
    second = app.photo.photo.name
    assert second != first and storage.exists(second)
    assert not storage.exists(first)
