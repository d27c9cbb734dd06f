"""Model fields for PII: encrypted at rest, with keyed hashes for look-ups."""

from __future__ import annotations

from django.db import models

from beian.core import crypto


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code sees the clear value.

    It cannot be filtered on: look values up through the keyed hash kept in a
    sibling column (see `PiiModel`).
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError("encrypted fields cannot be filtered on; use the lookup hash")
        return super().get_lookup(lookup_name)


class PiiModel(models.Model):
    """Keeps `<field>_hash` columns in step with their encrypted fields.

    Subclasses list pairs in `PII_HASHES = {"field": "field_hash"}`.
    """

    PII_HASHES: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for field, hash_field in self.PII_HASHES.items():
            value = getattr(self, field)
            setattr(self, hash_field, crypto.lookup_hash(value) if value else "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {h for f, h in self.PII_HASHES.items() if f in update_fields}
            kwargs["update_fields"] = list(set(update_fields) | extra)
        super().save(*args, **kwargs)
