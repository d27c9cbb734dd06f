"""Packaging of beianInfo (zip → hash → AES → base64) and the authentication values."""

import base64
import hashlib
import io
import zipfile
from datetime import datetime

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from beian.authority.codec import (
    ENCRYPT_AES,
    HASH_MD5,
    HASH_SHA1,
    DecompressionFailed,
    DecryptionFailed,
    EncodedPayload,
    HashMismatch,
    UnsupportedAlgorithm,
    auth_params,
    build_upload_xml,
    decode,
    decode_payload,
    encode_payload,
    filing_password_digest,
    isp_upload_params,
    new_rand_val,
    pwd_hash,
    upload_file_name,
)
from beian.authority.codec.packaging import zip_file

from .test_codec_xml import ISP_ID, SAMPLES

KEY = "0102030405060708"  # the spec's example string; the province issues the real one
IV = "8070605040302010"
NAME = upload_file_name(ISP_ID, 42, datetime(2014, 6, 12, 9, 30))


@pytest.fixture(scope="module")
def xml():
    return build_upload_xml(SAMPLES["XZBA"], requester_id=ISP_ID)


def test_file_name_is_letters_and_digits():
    # S:392: "文件名必须使用英文字母或数字" — no dot, hence no ".xml".
    assert NAME == "1001000000004220140612093000"
    assert NAME.isalnum() and NAME.isascii()
    with zipfile.ZipFile(io.BytesIO(zip_file(NAME, b"<x/>"))) as zf:
        assert zf.namelist() == [NAME]


@pytest.mark.parametrize("hash_algorithm", [HASH_MD5, HASH_SHA1])
def test_round_trip_without_encryption(xml, hash_algorithm):
    payload = encode_payload(xml, NAME, hash_algorithm=hash_algorithm)
    assert payload.encrypt_algorithm == 0 and payload.compression_format == 0
    assert decode(payload) == (NAME, xml)


@pytest.mark.parametrize("hash_algorithm", [HASH_MD5, HASH_SHA1])
def test_round_trip_with_aes(xml, hash_algorithm):
    payload = encode_payload(
        xml, NAME, hash_algorithm=hash_algorithm, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV
    )
    assert payload.encrypt_algorithm == 1
    assert decode(payload, key=KEY, iv=IV) == (NAME, xml)


def test_layers_follow_the_spec(xml):
    """Hash of the zip bytes, AES-CBC/PKCS5 over the zip bytes, base64 — checked by hand."""
    payload = encode_payload(xml, NAME, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV)
    decryptor = Cipher(algorithms.AES(KEY.encode()), modes.CBC(IV.encode())).decryptor()
    padded = decryptor.update(base64.b64decode(payload.beian_info)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    zipped = unpadder.update(padded) + unpadder.finalize()
    assert base64.b64decode(payload.beian_info_hash) == hashlib.md5(zipped).digest()
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        assert zf.namelist() == [NAME]
        assert zf.read(NAME) == xml


def test_tampered_payload_fails_the_hash_check(xml):
    payload = encode_payload(xml, NAME)
    raw = bytearray(base64.b64decode(payload.beian_info))
    raw[len(raw) // 2] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(HashMismatch) as err:
        decode_payload(tampered, payload.beian_info_hash)
    assert err.value.code == 7  # 哈希值验证未通过


def test_wrong_hash_value_is_refused_even_with_aes(xml):
    payload = encode_payload(xml, NAME, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV)
    other = base64.b64encode(hashlib.md5(b"something else").digest()).decode()
    with pytest.raises(HashMismatch):
        decode_payload(payload.beian_info, other, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV)


def test_wrong_key_fails_decryption_or_hash(xml):
    payload = encode_payload(xml, NAME, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV)
    with pytest.raises((DecryptionFailed, HashMismatch)):
        decode(payload, key="1111111111111111", iv=IV)


def test_aes_without_key_is_refused(xml):
    with pytest.raises(UnsupportedAlgorithm):
        encode_payload(xml, NAME, encrypt_algorithm=ENCRYPT_AES)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"hash_algorithm": 7}, 10), ({"encrypt_algorithm": 5}, 9), ({"compression_format": 2}, 11)],
)
def test_unknown_algorithms_are_refused_with_their_return_code(kwargs, code):
    with pytest.raises(UnsupportedAlgorithm) as err:
        decode_payload("AAAA", "AAAA", **kwargs)
    assert err.value.code == code


def test_zip_with_two_files_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.xml", b"<a/>")
        zf.writestr("b.xml", b"<b/>")
    data = buf.getvalue()
    info_hash = base64.b64encode(hashlib.md5(data).digest()).decode()
    with pytest.raises(DecompressionFailed):
        decode_payload(base64.b64encode(data).decode(), info_hash)


def test_file_name_outside_the_spec_is_refused(xml):
    with pytest.raises(ValueError):
        encode_payload(xml, "备案-数据.xml")


# --- authentication ------------------------------------------------------------------------


def test_pwd_hash_matches_a_value_computed_by_hand():
    # The spec's example: password "1234567890" + randVal "abcdefghij".
    # md5("1234567890abcdefghij") = f5faba5601bc6c3168... → base64 below
    assert pwd_hash("1234567890", "abcdefghij") == "9fq6VgG8bDFoWECeX62u2Q=="


def test_pwd_hash_encodes_the_password_in_gbk():
    rand = "ABCDEFGHIJKLMNOPQRST"
    # base64(md5(GBK("密码Pass01" + rand))); the UTF-8 bytes would give lXAsiPQhUaUiYcefftjjrA==
    assert pwd_hash("密码Pass01", rand) == "aIwL3EG5Cj8yCTvuikqvuQ=="
    assert pwd_hash("密码Pass01", rand, HASH_SHA1) == "hXqqEtIeqj25phdJDz1zkMt29HE="


def test_rand_val_is_20_letters_or_digits_and_fresh():
    values = {new_rand_val() for _ in range(200)}
    assert len(values) == 200
    for value in values:
        assert len(value) == 20 and value.isascii() and value.isalnum()


def test_filing_password_digest_is_hex_md5():
    assert filing_password_digest("Beian-2014") == "df6054902776af2c2b567ec54aab2bec"


def test_isp_upload_params_have_the_spec_names_in_prototype_order(xml):
    payload = encode_payload(xml, NAME, encrypt_algorithm=ENCRYPT_AES, key=KEY, iv=IV)
    params = isp_upload_params(
        isp_id=ISP_ID,
        user_name="isp1001",
        password="secret",
        payload=payload,
        data_sequence=42,
        rand_val="abcdefghij0123456789",
    )
    assert list(params) == [
        "ispId",
        "userName",
        "randVal",
        "pwdHash",
        "beianInfo",
        "beianInfoHash",
        "dataSequence",
        "encryptAlgorithm",
        "hashAlgorithm",
        "compressionFormat",
    ]
    assert params["pwdHash"] == pwd_hash("secret", "abcdefghij0123456789")
    assert params["beianInfo"] == payload.beian_info
    assert (params["encryptAlgorithm"], params["hashAlgorithm"]) == (1, 0)
    assert params["dataSequence"] == 42


@pytest.mark.parametrize("bad", [0, -1, 2**31, "3"])
def test_data_sequence_must_be_a_positive_4_byte_long(bad):
    payload = EncodedPayload("AA==", "AA==", NAME)
    with pytest.raises(ValueError):
        isp_upload_params(isp_id=1, user_name="u", password="p", payload=payload, data_sequence=bad)


def test_auth_params_make_a_fresh_rand_val_each_call():
    a = auth_params(isp_id=1, user_name="u", password="p")
    b = auth_params(isp_id=1, user_name="u", password="p")
    assert list(a) == ["ispId", "userName", "randVal", "pwdHash", "hashAlgorithm"]
    assert a["randVal"] != b["randVal"]
    assert a["pwdHash"] == pwd_hash("p", a["randVal"])


def test_packaging_is_deterministic(xml):
    """Same XML → same beianInfo and hash (the zip entry has a fixed timestamp)."""
    assert encode_payload(xml, NAME) == encode_payload(xml, NAME)
