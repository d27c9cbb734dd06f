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


def parse_xml(data: bytes, schema_name: str):
    """Parse bytes from outside. A DOCTYPE is refused: the interface never uses one, and
    entities are a classic attack (XXE, billion laughs)."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise XsdValidationError(schema_name, [f"not well-formed XML: {exc}"]) from exc
    if root.getroottree().docinfo.doctype:
        raise XsdValidationError(schema_name, ["DOCTYPE declarations are not allowed"])
    return root


def validate(doc, name: str) -> None:
    """Raise :class:`XsdValidationError` listing every error if ``doc`` is not valid."""
    schema = load_schema(name)
    try:
        ok = schema.validate(doc)
    except etree.XMLSchemaValidateError as exc:  # e.g. unresolved entity references
        raise XsdValidationError(name, [f"cannot validate: {exc}"]) from exc
    if not ok:
        errors = [f"line {e.line}: {e.message}" for e in schema.error_log]
        raise XsdValidationError(name, errors)
