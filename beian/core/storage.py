"""A private file storage for materials and verification photos, outside anything
served as static or media.

The folder is settings.BEIAN["MATERIALS_ROOT"] (default DATA_DIR/private/materials),
read at each access so tests can point it at a temporary folder. It has no base
URL: files are reached only through the access-checked views.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def materials_root() -> Path:
    configured = getattr(settings, "BEIAN", {}).get("MATERIALS_ROOT")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "private" / "materials"


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(materials_root())

    @property
    def location(self):
        return str(materials_root().resolve())

    def url(self, name):
        raise ValueError("materials have no public URL; use the access-checked view")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    # A callable keeps the storage out of migrations.
    return private_storage
