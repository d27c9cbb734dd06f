"""Materials tests keep their encrypted files in a temporary private folder."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def materials_root(settings, tmp_path):
    settings.BEIAN = {**settings.BEIAN, "MATERIALS_ROOT": str(tmp_path / "private")}
    return tmp_path / "private"


def image_bytes(width: int = 1024, height: int = 768, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 90, 40)).save(buffer, fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str = "scan.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(width: int = 1024, height: int = 768, name: str = "scan.jpg"):
    return upload(image_bytes(width, height), name)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def seed_app(applicant, hosting_owner):
    """The seed's first filing (individual, Suzhou, Jiangsu), filled in, still a draft."""
    from beian.filings.models import Application
    from testing import fill_seed_filing, make_code, start_seed_filing

    app = fill_seed_filing(
        start_seed_filing(applicant, make_code(hosting_owner)), applicant, materials=False
    )
    return Application.objects.get(pk=app.pk)
