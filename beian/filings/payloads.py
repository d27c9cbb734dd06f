"""What API bodies carry that the pages receive as files: a photo in base64.

The decoded bytes go through the same checks as the page's upload (the photo
guard's `photos.check_photo`); here only what base64 adds: its size before
decoding and its alphabet.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from beian.core.errors import Refusal

_DATA_URL = re.compile(r"^data:[\w/+.-]*;base64,", re.IGNORECASE)


def photo_from_base64(value) -> SimpleUploadedFile:
    """A photo sent as base64 (or a `data:image/...;base64,` URL) as an upload."""
    if not isinstance(value, str) or not value.strip():
        raise Refusal("photo_invalid", field="photo")
    text = "".join(_DATA_URL.sub("", value.strip(), count=1).split())
    limit = settings.BEIAN["MAX_UPLOAD_BYTES"]
    if len(text) > (limit + 2) // 3 * 4:
        raise Refusal("photo_too_large", field="photo", params={"limit": limit // (1024 * 1024)})
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refusal("photo_invalid", field="photo") from exc
    return SimpleUploadedFile("photo", data, content_type="application/octet-stream")


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def photo_in_request(request) -> SimpleUploadedFile:
    """The `photo` of a request: a multipart file, or base64 in a form field or in a
    JSON body `{"photo": "..."}` (the back office's point photo)."""
    if request.content_type in FORM_TYPES:
        if "photo" in request.FILES:
            return request.FILES["photo"]
        value = request.POST.get("photo")
    else:
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        value = body.get("photo") if isinstance(body, dict) else None
    if value is None:
        raise Refusal("photo_required", field="photo")
    return photo_from_base64(value)


PHOTO_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"photo": {"type": "string", "format": "binary"}},
                    "required": ["photo"],
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "photo": {
                            "type": "string",
                            "description": "the JPEG/PNG as base64 (or a data: URL)",
                        }
                    },
                    "required": ["photo"],
                }
            },
        }
    }
}
