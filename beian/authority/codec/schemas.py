"""The bundled XSDs (``beian/authority/schemas``), compiled once per process."""

from __future__ import annotations

import functools
from importlib import resources

from lxml import etree

from .errors import XsdValidationError

UPLOAD_DATA = "upload-data.xsd"
DOWNLOAD_DATA = "download-data.xsd"

# No network, no entity expansion: these bytes come from outside.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def schema_path(name: str):
    return resources.files("beian.authority.schemas").joinpath(name)


@functools.cache
def load_schema(name: str) -> etree.XMLSchema:
    with schema_path(name).open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh, SAFE_PARSER))


def validate(doc, name: str) -> None:
    """Raise :class:`XsdValidationError` listing every error if ``doc`` is not valid."""
    schema = load_schema(name)
    if not schema.validate(doc):
        errors = [f"line {e.line}: {e.message}" for e in schema.error_log]
        raise XsdValidationError(name, errors)
