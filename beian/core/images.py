"""Decoding an uploaded image safely: bounded before decoding, decoded fully.

Every image the product accepts (scans, certificates, verification photos)
goes through `decode`. It reads the header first and refuses an image whose
pixel count is over settings.BEIAN["MAX_IMAGE_PIXELS"] before a single pixel
is decoded (a 12000×12000 PNG of a few hundred kilobytes decodes to ~430 MB);
Pillow's own bomb limit (Image.MAX_IMAGE_PIXELS) is set to the same number as
a second fence. Then the whole image is decoded (`load()`, not `verify()`), so
a truncated or forged file is refused. Every failure is an `ImageRejected`
with a reason; callers turn it into their own refusal, never a 500.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

# Modes a scan or photo comes in; Pillow holds at most 4 bytes a pixel for each,
# so a decoded image takes at most 4 × MAX_IMAGE_PIXELS bytes (100 MB at 25 MP).
_MODES = frozenset({"1", "L", "P", "LA", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "I;16", "I", "F"})


class ImageRejected(Exception):
    """`reason` is "unreadable" (not a whole image of an allowed format) or
    "too_many_pixels" (over the pixel limit, judged from the header)."""

    def __init__(self, reason: str, *, width: int = 0, height: int = 0):
        super().__init__(reason)
        self.reason, self.width, self.height = reason, width, height


@dataclass(frozen=True)
class DecodedImage:
    format: str
    width: int
    height: int


def max_pixels() -> int:
    return settings.BEIAN.get("MAX_IMAGE_PIXELS", 25_000_000)


def decode(data: bytes, formats: set[str] | frozenset[str]) -> DecodedImage:
    """The format and size of a whole, bounded image of one of `formats` (Pillow names)."""
    limit = max_pixels()
    # Pillow raises DecompressionBombError over twice this, warns over it.
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with Image.open(io.BytesIO(data), formats=sorted(formats)) as image:
            width, height = image.size
            if image.mode not in _MODES:
                raise ImageRejected("unreadable", width=width, height=height)
            if width * height > limit:
                raise ImageRejected("too_many_pixels", width=width, height=height)
            fmt = image.format
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected("unreadable") from exc
    except MemoryError as exc:
        raise ImageRejected("too_many_pixels") from exc
    if fmt not in formats:
        raise ImageRejected("unreadable", width=width, height=height)
    return DecodedImage(format=fmt, width=width, height=height)


def jpeg_within(data: bytes, max_bytes: int, formats=frozenset({"JPEG", "PNG"})) -> bytes:
    """``data`` (a JPEG or PNG already accepted by `decode`) as a JPEG of at most
    ``max_bytes``: a JPEG that fits is kept byte for byte; otherwise it is re-encoded,
    first at falling quality, then at falling size (each step 0.8× the sides).
    Raises `ImageRejected("too_large")` if even a 64-pixel-wide image does not fit."""
    found = decode(data, formats)
    if found.format == "JPEG" and len(data) <= max_bytes:
        return data
    with Image.open(io.BytesIO(data), formats=sorted(formats)) as image:
        image = image.convert("RGB")
    width, height = image.size
    while True:
        for quality in (85, 70, 55, 40):
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality, optimize=True)
            if buffer.tell() <= max_bytes:
                return buffer.getvalue()
        if width <= 64:
            raise ImageRejected("too_large", width=width, height=height)
        width, height = max(64, int(width * 0.8)), max(1, int(height * 0.8))
        image = image.resize((width, height), Image.LANCZOS)
