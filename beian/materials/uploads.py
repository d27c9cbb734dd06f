"""Checks of an uploaded file: its real type (from its first bytes, never the
client's name or content type), its size, and for images their dimensions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from beian.core import images
from beian.core.errors import Refusal
from beian.materials import errors  # noqa: F401 - registers refusal codes
from beian.materials.pdfcheck import check_pdf_content

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    sha256: str
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(head: bytes) -> str | None:
    """The content type from the magic bytes, or None when not accepted."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _limit() -> int:
    return settings.BEIAN["MAX_UPLOAD_BYTES"]


def read_upload(upload) -> bytes:
    """All bytes of an upload, refusing it as soon as it is over the limit."""
    if upload is None:
        raise Refusal("material_empty", field="file")
    limit = _limit()
    too_large = Refusal("material_too_large", field="file", params={"limit_mb": _mb(limit)})
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise Refusal("material_empty", field="file")
    return data


def _mb(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.2f}"


def _image_size(data: bytes, content_type: str) -> tuple[int, int]:
    """Decode the whole image (not just its header) so a truncated or forged one is
    refused; the pixel count is bounded from the header first (beian.core.images)."""
    try:
        decoded = images.decode(data, {PIL_FORMATS[content_type]})
    except images.ImageRejected as exc:
        if exc.reason == "too_many_pixels":
            raise Refusal(
                "material_image_too_many_pixels",
                field="file",
                params={"megapixels": images.max_pixels() // 1_000_000},
            ) from exc
        raise Refusal("material_image_invalid", field="file") from exc
    return decoded.width, decoded.height


def _check_pdf(data: bytes) -> None:
    # A complete PDF ends with %%EOF (possibly followed by a newline or padding).
    if b"%%EOF" not in data[-1024:]:
        raise Refusal("material_pdf_invalid", field="file")
    check_pdf_content(data)


def check_file(upload, *, images_only: bool = False, photo_rules: bool = False) -> CheckedFile:
    """Refuses what is not an acceptable file; `photo_rules` applies the minimum size."""
    data = read_upload(upload)
    content_type = sniff(data[:8])
    if content_type is None:
        raise Refusal("material_type_not_allowed", field="file")
    if images_only and content_type == PDF:
        raise Refusal("material_image_required", field="file")
    width = height = None
    if content_type == PDF:
        _check_pdf(data)
    else:
        width, height = _image_size(data, content_type)
        min_w = settings.BEIAN["MIN_PHOTO_WIDTH"]
        min_h = settings.BEIAN["MIN_PHOTO_HEIGHT"]
        # A scan may be taken in portrait: accept either orientation.
        fits = (width >= min_w and height >= min_h) or (width >= min_h and height >= min_w)
        if photo_rules and not fits:
            raise Refusal(
                "material_image_too_small",
                field="file",
                params={
                    "width": min_w,
                    "height": min_h,
                    "actual_width": width,
                    "actual_height": height,
                },
            )
    return CheckedFile(
        data=data,
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
    )
