"""Packaging of ``beianInfo`` (spec §3.3.1 isp_upload, §3.3.2 isp_download).

Out (upload), in this order:

1. zip the XML file (``compressionFormat`` 0 = Zip; one entry);
2. hash the *zip bytes* (``hashAlgorithm`` 0 = MD5; 1 = SHA1, an extension the spec
   does not define) and base64 the digest → ``beianInfoHash``;
3. if ``encryptAlgorithm`` = 1, AES-CBC with PKCS5 (= PKCS7) padding over the zip bytes,
   with the key and IV (偏移量) strings the province issued;
4. base64 → ``beianInfo``.

In (download): base64 → decrypt → hash check (refused with :class:`HashMismatch`) → unzip.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .errors import DecompressionFailed, DecryptionFailed, HashMismatch, UnsupportedAlgorithm

HASH_MD5 = 0
HASH_SHA1 = 1  # not in the 3.0 text (only 0 = MD5); kept for provinces that accept it
ENCRYPT_NONE = 0
ENCRYPT_AES = 1  # AES/CBC/PKCS5Padding
COMPRESSION_ZIP = 0

HASHES = {HASH_MD5: hashlib.md5, HASH_SHA1: hashlib.sha1}
MAX_FILE_BYTES = 50 * 1024 * 1024  # spec: an uploaded file is at most 50 MB
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024  # refuse zip bombs in downloads
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9]+(\.xml)?$")  # names we zip (downloads may end .xml)
UPLOAD_NAME_RE = re.compile(r"^[A-Za-z0-9]{1,128}$")  # S:392: letters or digits, ≤128 bytes


@dataclass(frozen=True)
class EncodedPayload:
    """What goes into ``isp_upload`` (or comes out of ``isp_download``) for one file."""

    beian_info: str  # beianInfo
    beian_info_hash: str  # beianInfoHash
    file_name: str  # name of the XML entry inside the zip (return_FileName in downloads)
    hash_algorithm: int = HASH_MD5  # hashAlgorithm
    encrypt_algorithm: int = ENCRYPT_NONE  # encryptAlgorithm
    compression_format: int = COMPRESSION_ZIP  # compressionFormat


def upload_file_name(isp_id: int, data_sequence: int, when: datetime) -> str:
    """A spec-conforming name for the uploaded XML entry: English letters or digits only
    (S:392 — no dot, so no ".xml"), e.g. ``1001000000004220140612093000`` (ispId,
    dataSequence (10 digits), timestamp)."""
    name = f"{isp_id}{data_sequence:010d}{when:%Y%m%d%H%M%S}"
    if not UPLOAD_NAME_RE.match(name):
        raise ValueError(f"upload file name must be letters or digits, ≤128: {name!r}")
    return name


def digest(data: bytes, hash_algorithm: int) -> str:
    """base64 of the digest of ``data`` with ``hashAlgorithm``."""
    try:
        fn = HASHES[hash_algorithm]
    except KeyError:
        raise UnsupportedAlgorithm(f"unknown hashAlgorithm {hash_algorithm}", code=10) from None
    return base64.b64encode(fn(data).digest()).decode("ascii")


def zip_file(file_name: str, data: bytes) -> bytes:
    if not FILE_NAME_RE.match(file_name) or len(file_name.encode()) > 128:
        raise ValueError(f"file name must be letters/digits (+ .xml), ≤128 bytes: {file_name!r}")
    # A fixed timestamp makes the package (and its hash) a pure function of the XML.
    info = zipfile.ZipInfo(file_name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(info, data)
    return buf.getvalue()


def unzip_single(data: bytes) -> tuple[str, bytes]:
    """The one entry of a zip: (name, bytes). More or fewer entries are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = [i for i in zf.infolist() if not i.is_dir()]
            if len(entries) != 1:
                raise DecompressionFailed(f"expected one file in the zip, found {len(entries)}")
            info = entries[0]
            if info.file_size > MAX_UNZIPPED_BYTES:
                raise DecompressionFailed(f"zip entry too large: {info.file_size} bytes")
            return info.filename, zf.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise DecompressionFailed(f"cannot unzip: {exc}") from exc


def _key_bytes(value: str | bytes) -> bytes:
    """Keys and IVs are issued as strings such as "0102030405060708": their ASCII bytes."""
    return value.encode("ascii") if isinstance(value, str) else bytes(value)


def _cipher(key, iv) -> Cipher:
    if key is None or iv is None:
        raise UnsupportedAlgorithm("AES needs the key and IV issued by the province", code=9)
    k, v = _key_bytes(key), _key_bytes(iv)
    if len(k) not in (16, 24, 32) or len(v) != 16:
        raise UnsupportedAlgorithm("AES key must be 16/24/32 bytes and IV 16 bytes", code=9)
    return Cipher(algorithms.AES(k), modes.CBC(v))


def aes_encrypt(data: bytes, key, iv) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    enc = _cipher(key, iv).encryptor()
    return enc.update(padded) + enc.finalize()


def aes_decrypt(data: bytes, key, iv) -> bytes:
    if not data or len(data) % 16:
        raise DecryptionFailed("ciphertext is not a whole number of AES blocks")
    dec = _cipher(key, iv).decryptor()
    padded = dec.update(data) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise DecryptionFailed("bad padding: wrong key/IV or altered data") from exc


def _check_algorithms(hash_algorithm, encrypt_algorithm, compression_format):
    if hash_algorithm not in HASHES:
        raise UnsupportedAlgorithm(f"unknown hashAlgorithm {hash_algorithm}", code=10)
    if encrypt_algorithm not in (ENCRYPT_NONE, ENCRYPT_AES):
        raise UnsupportedAlgorithm(f"unknown encryptAlgorithm {encrypt_algorithm}", code=9)
    if compression_format != COMPRESSION_ZIP:
        raise UnsupportedAlgorithm(f"unknown compressionFormat {compression_format}", code=11)


def encode_payload(
    xml: bytes,
    file_name: str,
    *,
    hash_algorithm: int = HASH_MD5,
    encrypt_algorithm: int = ENCRYPT_NONE,
    key: str | bytes | None = None,
    iv: str | bytes | None = None,
) -> EncodedPayload:
    """zip → hash → (encrypt) → base64. ``xml`` is the GBK file from ``build_upload_xml``."""
    _check_algorithms(hash_algorithm, encrypt_algorithm, COMPRESSION_ZIP)
    if len(xml) > MAX_FILE_BYTES:
        raise ValueError(f"upload file exceeds 50 MB ({len(xml)} bytes)")
    zipped = zip_file(file_name, xml)
    info_hash = digest(zipped, hash_algorithm)
    body = aes_encrypt(zipped, key, iv) if encrypt_algorithm == ENCRYPT_AES else zipped
    return EncodedPayload(
        beian_info=base64.b64encode(body).decode("ascii"),
        beian_info_hash=info_hash,
        file_name=file_name,
        hash_algorithm=hash_algorithm,
        encrypt_algorithm=encrypt_algorithm,
    )


def decode_payload(
    beian_info: str,
    beian_info_hash: str,
    *,
    hash_algorithm: int = HASH_MD5,
    encrypt_algorithm: int = ENCRYPT_NONE,
    compression_format: int = COMPRESSION_ZIP,
    key: str | bytes | None = None,
    iv: str | bytes | None = None,
) -> tuple[str, bytes]:
    """base64 → (decrypt) → verify hash → unzip. Returns (file name, XML bytes).

    Raises :class:`HashMismatch` if the hash does not match (nothing is unzipped then),
    :class:`DecryptionFailed`, :class:`DecompressionFailed`, :class:`UnsupportedAlgorithm`.
    """
    _check_algorithms(hash_algorithm, encrypt_algorithm, compression_format)
    try:
        body = base64.b64decode(beian_info, validate=False)
        expected = base64.b64decode(beian_info_hash, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HashMismatch(f"not base64: {exc}") from exc
    zipped = aes_decrypt(body, key, iv) if encrypt_algorithm == ENCRYPT_AES else body
    actual = HASHES[hash_algorithm](zipped).digest()
    if actual != expected:
        raise HashMismatch("beianInfoHash does not match the data; refusing the payload")
    return unzip_single(zipped)


def decode(payload: EncodedPayload, *, key=None, iv=None) -> tuple[str, bytes]:
    """:func:`decode_payload` for an :class:`EncodedPayload`."""
    return decode_payload(
        payload.beian_info,
        payload.beian_info_hash,
        hash_algorithm=payload.hash_algorithm,
        encrypt_algorithm=payload.encrypt_algorithm,
        compression_format=payload.compression_format,
        key=key,
        iv=iv,
    )
