"""Typed errors of the codec. ``code`` is the interface's method return code where one fits,
so the simulator can answer with it and the client can log it (see ``returncodes``)."""

from __future__ import annotations


class CodecError(Exception):
    """Base of every codec error."""

    code: int | None = None

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code


class PayloadError(CodecError, ValueError):
    """The dataclasses cannot make a valid upload (a required id is missing, ...)."""

    code = 5001


class XsdValidationError(CodecError):
    """The XML does not match the interface's XSD. ``errors`` lists lxml's messages."""

    code = 5001

    def __init__(self, schema: str, errors: list[str]):
        self.schema = schema
        self.errors = errors
        listing = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"XML is not valid against {schema} ({len(errors)} errors):\n{listing}")


class UnsupportedAlgorithm(CodecError, ValueError):
    """Unknown hashAlgorithm (10), encryptAlgorithm (9) or compressionFormat (11)."""


class DecryptionFailed(CodecError):
    code = 6


class HashMismatch(CodecError):
    """beianInfoHash does not match the compressed data: the payload was altered or cut."""

    code = 7


class DecompressionFailed(CodecError):
    code = 8
