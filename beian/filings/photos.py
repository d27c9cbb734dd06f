"""Checks of a verification photo: an image we can read, big enough, not too large."""

from __future__ import annotations

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from beian.core.errors import Refusal
from beian.core.file_crypto import decrypt_bytes

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def check_photo(upload) -> None:
    """Refuses a photo that is not a JPEG/PNG, smaller than the minimum or too large.

    Sets `upload.beian_format` to the file extension to store it under."""
    limit = settings.BEIAN["MAX_UPLOAD_BYTES"]
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise Refusal("photo_too_large", field="photo", params={"limit": limit // (1024 * 1024)})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Refusal("photo_invalid", field="photo") from exc
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise Refusal("photo_invalid", field="photo")
    min_w, min_h = settings.BEIAN["MIN_PHOTO_WIDTH"], settings.BEIAN["MIN_PHOTO_HEIGHT"]
    if width < min_w or height < min_h:
        raise Refusal("photo_too_small", field="photo", params={"width": min_w, "height": min_h})
    upload.beian_format = ALLOWED_FORMATS[fmt]


def read_photo(photo_verification) -> bytes:
    """The verification photo's bytes, decrypted (for access-checked views only)."""
    with photo_verification.photo.open("rb") as handle:
        return decrypt_bytes(handle.read())
