"""Codec of MIIT's enterprise interface 3.0 (ICP/IP地址/域名信息备案管理系统 企业系统接口规范).

Upload::

    xml = build_upload_xml([NewFiling(...)], requester_id=isp_id)       # GBK, XSD-valid
    payload = encode_payload(xml, upload_file_name(isp_id, seq, now))    # zip→hash→(AES)→b64
    params = isp_upload_params(isp_id=..., user_name=..., password=..., payload=payload,
                               data_sequence=seq)                        # the 10 SOAP params

Download::

    data = decode_download(info, info_hash, hash_algorithm=0, encrypt_algorithm=1,
                           key=key, iv=iv)                               # → DownloadData
"""

from .auth import (
    auth_params,
    check_data_sequence,
    filing_password_digest,
    isp_upload_params,
    new_rand_val,
    pwd_hash,
)
from .download import (
    AuthorityReview,
    CancelledRecord,
    DownloadData,
    FilingResult,
    IssuedAccess,
    IssuedDomain,
    IssuedFiling,
    IssuedIp,
    IssuedWebsite,
    Notice,
    ResultCode,
    decode_download,
    element_to_dict,
    parse_download_xml,
)
from .errors import (
    CodecError,
    DecompressionFailed,
    DecryptionFailed,
    HashMismatch,
    PayloadError,
    UnsupportedAlgorithm,
    XsdValidationError,
)
from .packaging import (
    COMPRESSION_ZIP,
    ENCRYPT_AES,
    ENCRYPT_NONE,
    HASH_MD5,
    HASH_SHA1,
    EncodedPayload,
    decode,
    decode_payload,
    encode_payload,
    upload_file_name,
)
from .schemas import DOWNLOAD_DATA, UPLOAD_DATA, load_schema, validate
from .upload import batches, build_upload_tree, build_upload_xml, to_gbk_bytes

__all__ = [
    "AuthorityReview",
    "COMPRESSION_ZIP",
    "CancelledRecord",
    "CodecError",
    "DOWNLOAD_DATA",
    "DecompressionFailed",
    "DecryptionFailed",
    "DownloadData",
    "ENCRYPT_AES",
    "ENCRYPT_NONE",
    "EncodedPayload",
    "FilingResult",
    "HASH_MD5",
    "HASH_SHA1",
    "HashMismatch",
    "IssuedAccess",
    "IssuedDomain",
    "IssuedFiling",
    "IssuedIp",
    "IssuedWebsite",
    "Notice",
    "PayloadError",
    "ResultCode",
    "UPLOAD_DATA",
    "UnsupportedAlgorithm",
    "XsdValidationError",
    "auth_params",
    "build_upload_tree",
    "batches",
    "build_upload_xml",
    "check_data_sequence",
    "decode",
    "decode_download",
    "decode_payload",
    "element_to_dict",
    "encode_payload",
    "filing_password_digest",
    "isp_upload_params",
    "load_schema",
    "new_rand_val",
    "parse_download_xml",
    "pwd_hash",
    "to_gbk_bytes",
    "upload_file_name",
    "validate",
]
