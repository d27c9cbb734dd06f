"""Model fields for PII: encrypted at rest, with keyed hashes for look-ups."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
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


class EncryptedBinaryField(models.BinaryField):
    """A binary column (an XML file as sent or received) stored encrypted;
    Python code sees the clear bytes. Not for look-ups."""

    def from_db_value(self, value, expression, connection):
        if value is None or len(value) == 0:
            return value
        return crypto.decrypt_bytes(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or len(value) == 0:
            return value
        if isinstance(value, str):
            value = value.encode()
        return crypto.encrypt_bytes(value)


class EncryptedJSONField(models.TextField):
    """A JSON value (a dict or list of personal data) stored encrypted as text;
    Python code sees the value. Not for look-ups."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(crypto.decrypt(value))

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return crypto.encrypt(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError("encrypted fields cannot be filtered on")
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
