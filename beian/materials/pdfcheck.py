"""Refusing PDFs with active content, by a scan of their bytes.

A certificate scan needs no scripts, launch actions, embedded files or
automatic actions; a PDF that has any is refused before it is stored (staff
open these files). The scan reads the PDF's names wherever they are:

- in the file as written, outside stream bodies, with `#xx` escapes in names undone
  (`/J#61vaScript` is `/JavaScript`);
- inside every object stream (PDF 1.5+ hides whole dictionaries there, the
  only stream kind that holds them): ASCII85 and ASCIIHex undone, Flate
  inflated a bounded piece at a time: each stream at most STREAM_LIMIT bytes, all at most TOTAL_LIMIT, so a
  zip bomb costs no memory and is refused as too complex.

An encrypted PDF cannot be scanned and is refused, and so is a stream whose
object stream is encoded in a way the scan does not undo (LZW, run-length,
a Flate predictor). No parser is needed at
run time (pypdf builds the hostile files in the tests); a name the scan
misses is still served only as an attachment-safe, sandboxed download.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from beian.core.errors import Refusal

# Names that start an action or carry content that runs or unpacks.
ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"AA",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToE",
    }
)
STREAM_LIMIT = 16 * 1024 * 1024
TOTAL_LIMIT = 64 * 1024 * 1024
_CHUNK = 256 * 1024

_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_DICT_BEFORE = 2048


class _TooComplex(Exception):
    pass


def _names(data: bytes) -> set[bytes]:
    return {_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(data)}


def _active(data: bytes) -> bytes | None:
    found = _names(data) & ACTIVE_NAMES
    return min(found) if found else None


def _split(data: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The file without its stream bodies, and each stream's (dictionary, body).

    Names are read only outside the bodies: compressed or pixel bytes hold
    `/JS` or `/AA` by chance in a few percent of large scans."""
    outside, streams, position = [], [], 0
    while True:
        match = _STREAM.search(data, position)
        if match is None:
            outside.append(data[position:])
            return b"".join(outside), streams
        end = data.find(b"endstream", match.end())
        if end < 0:
            end = len(data)
        head = data[max(position, match.start() - _DICT_BEFORE) : match.start()]
        head = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        outside.append(data[position : match.start()])
        streams.append((head, data[match.end() : end]))
        position = end + len(b"endstream")


def _inflated_names(raw: bytes, budget: list[int]) -> bytes | None:
    """Active names in an inflated stream, a piece at a time, within the budget."""
    inflater = zlib.decompressobj()
    tail, produced, pending = b"", 0, raw
    while pending or inflater.unconsumed_tail:
        piece = inflater.decompress(pending or inflater.unconsumed_tail, _CHUNK)
        pending = b""
        if not piece:
            break
        produced += len(piece)
        budget[0] -= len(piece)
        if produced > STREAM_LIMIT or budget[0] < 0:
            raise _TooComplex
        window = tail + piece
        found = _active(window)
        if found:
            return found
        tail = window[-64:]  # a name cut between two pieces
    return None


_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()]+)")
_ASCII = {b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"}
_FLATE = {b"FlateDecode", b"Fl"}


def _filters(head: bytes) -> list[bytes]:
    match = _FILTER.search(head)
    if not match:
        return []
    return [
        _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(match.group(1))
    ]


def _unascii(name: bytes, raw: bytes) -> bytes:
    # Both at most shrink their input: no budget needed.
    if name in (b"ASCIIHexDecode", b"AHx"):
        hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", raw.split(b">", 1)[0])
        return binascii.unhexlify(hexdigits + b"0" * (len(hexdigits) % 2))
    body = raw.split(b"~>", 1)[0].strip()
    return base64.a85decode(body.removeprefix(b"<~"), adobe=False, ignorechars=b" \t\r\n\x0c\x00")


def _objstm_names(filters: list[bytes], raw: bytes, budget: list[int]) -> bytes | None:
    for name in filters[:-1]:
        raw = _unascii(name, raw)
    if filters and filters[-1] in _FLATE:
        return _inflated_names(raw, budget)
    return _active(_unascii(filters[-1], raw) if filters else raw)


def active_content(data: bytes) -> bytes | None:
    """The first active name found in a PDF, or None. Raises _TooComplex."""
    outside, streams = _split(data)
    found = _active(outside)
    if found:
        return found
    budget = [TOTAL_LIMIT]
    for head, raw in streams:
        # Only an object stream holds dictionaries; any other stream (page
        # content, fonts, pixels, a script's text) is reached from a key that
        # is in a dictionary, written in the file or in an object stream.
        if b"ObjStm" not in _names(head):
            continue
        filters = _filters(head)
        supported = all(f in _ASCII for f in filters[:-1]) and (
            not filters or filters[-1] in _ASCII | _FLATE
        )
        if not supported or b"Predictor" in _names(head):
            # LZW, run-length or a predictor could hide a dictionary from this scan.
            raise _TooComplex
        try:
            found = _objstm_names(filters, raw, budget)
        except (zlib.error, ValueError, binascii.Error):
            continue  # damaged stream: a reader finds no objects in it either
        if found:
            return found
    return None


def check_pdf_content(data: bytes) -> None:
    """Refuses an encrypted PDF, one with active content, or one too complex to scan."""
    if b"Encrypt" in _names(_split(data)[0]):
        raise Refusal("material_pdf_encrypted", field="file")
    try:
        found = active_content(data)
    except _TooComplex as exc:
        raise Refusal("material_pdf_too_complex", field="file") from exc
    if found:
        raise Refusal(
            "material_pdf_active_content", field="file", params={"name": found.decode("latin-1")}
        )
