"""Authentication values and the parameter sets of the interface's methods (spec §3.3).

Every method authenticates with ``randVal`` (20 random letters/digits, fresh per call) and
``pwdHash`` = base64(hash(GBK(password + randVal))), ``hash`` chosen by ``hashAlgorithm``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string

from .errors import UnsupportedAlgorithm
from .packaging import HASH_MD5, HASHES, EncodedPayload

RAND_VAL_LENGTH = 20
RAND_VAL_ALPHABET = string.ascii_letters + string.digits
MAX_DATA_SEQUENCE = 2**31 - 1  # "4个字节长度的长整型值"


def new_rand_val() -> str:
    """A fresh 20-character random string of letters and digits (``randVal``)."""
    return "".join(secrets.choice(RAND_VAL_ALPHABET) for _ in range(RAND_VAL_LENGTH))


def pwd_hash(password: str, rand_val: str, hash_algorithm: int = HASH_MD5) -> str:
    """``pwdHash`` = base64(MD5(GBK(password + randVal))) (SHA1 when hash_algorithm = 1)."""
    try:
        fn = HASHES[hash_algorithm]
    except KeyError:
        raise UnsupportedAlgorithm(f"unknown hashAlgorithm {hash_algorithm}", code=10) from None
    return base64.b64encode(fn((password + rand_val).encode("gbk")).digest()).decode("ascii")


def filing_password_digest(filing_password: str) -> str:
    """``ICPmm``: the filing password (备案密码) as a hex MD5 string (32 characters)."""
    return hashlib.md5(filing_password.encode("gbk")).hexdigest()


def check_data_sequence(data_sequence: int) -> int:
    """``dataSequence`` starts at 1 and goes up by one per accepted upload."""
    if not isinstance(data_sequence, int) or not 1 <= data_sequence <= MAX_DATA_SEQUENCE:
        raise ValueError(f"dataSequence must be 1..{MAX_DATA_SEQUENCE}, got {data_sequence!r}")
    return data_sequence


def auth_params(
    *,
    isp_id: int,
    user_name: str,
    password: str,
    hash_algorithm: int = HASH_MD5,
    rand_val: str | None = None,
) -> dict:
    """``ispId, userName, randVal, pwdHash, hashAlgorithm``: the parameters every method
    shares (isp_download, isp_querypreviousupload; isp_downloadack adds ``fileName``,
    isp_querybeianstatus ``queryConditionType``/``queryCondition``, isp_verifybamm
    ``baxh``/``bamm``)."""
    rand_val = rand_val or new_rand_val()
    return {
        "ispId": isp_id,
        "userName": user_name,
        "randVal": rand_val,
        "pwdHash": pwd_hash(password, rand_val, hash_algorithm),
        "hashAlgorithm": hash_algorithm,
    }


def isp_upload_params(
    *,
    isp_id: int,
    user_name: str,
    password: str,
    payload: EncodedPayload,
    data_sequence: int,
    rand_val: str | None = None,
) -> dict:
    """All ten parameters of ``isp_upload``, in the order of the method prototype:
    ``isp_upload(Long ispId, String userName, String randVal, String pwdHash,
    String beianInfo, String beianInfoHash, Long dataSequence, int encryptAlgorithm,
    int hashAlgorithm, int compressionFormat)``."""
    rand_val = rand_val or new_rand_val()
    return {
        "ispId": isp_id,
        "userName": user_name,
        "randVal": rand_val,
        "pwdHash": pwd_hash(password, rand_val, payload.hash_algorithm),
        "beianInfo": payload.beian_info,
        "beianInfoHash": payload.beian_info_hash,
        "dataSequence": check_data_sequence(data_sequence),
        "encryptAlgorithm": payload.encrypt_algorithm,
        "hashAlgorithm": payload.hash_algorithm,
        "compressionFormat": payload.compression_format,
    }
