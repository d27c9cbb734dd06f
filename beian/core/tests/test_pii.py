"""PII: encrypted at rest, found through keyed hashes, masked in lists and logs."""

import logging

import pytest
from django.db import connection

from beian.core import crypto
from beian.core.masking import (
    MaskPiiLogFilter,
    mask_certificate,
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
)
from beian.filings.models import Principal
from testing import SEED_ID, SEED_MOBILE, make_user

pytestmark = pytest.mark.django_db


def raw_row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return " ".join(str(v) for v in cursor.fetchone())


def test_certificate_phone_email_are_not_stored_in_clear(applicant):
    principal = Principal.objects.create(
        account=applicant,
        name="张伟",
        certificate_number=SEED_ID,
        mobile=SEED_MOBILE,
        email="zw@example.cn",
        emergency_phone="15190000000",
    )
    row = raw_row("filings_principal", principal.pk)
    for secret in (SEED_ID, SEED_MOBILE, "zw@example.cn", "15190000000"):
        assert secret not in row
    fresh = Principal.objects.get(pk=principal.pk)
    assert (fresh.certificate_number, fresh.mobile, fresh.email) == (
        SEED_ID,
        SEED_MOBILE,
        "zw@example.cn",
    )


def test_lookup_by_keyed_hash(applicant):
    Principal.objects.create(
        account=applicant,
        name="张伟",
        certificate_number=SEED_ID.lower(),
        mobile=SEED_MOBILE,
        email="zw@example.cn",
    )
    assert Principal.objects.filter(certificate_hash=crypto.lookup_hash(SEED_ID)).count() == 1
    assert crypto.lookup_hash(SEED_ID) != crypto.lookup_hash(SEED_ID[:-1] + "0")
    with pytest.raises(TypeError):
        Principal.objects.filter(certificate_number=SEED_ID).count()


def test_user_contact_details_are_encrypted():
    user = make_user("contact", mobile=SEED_MOBILE, email="c@example.cn")
    row = raw_row("accounts_user", user.pk)
    assert SEED_MOBILE not in row and "c@example.cn" not in row
    assert user.mobile_hash == crypto.lookup_hash(SEED_MOBILE)


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("320508199003071239")
    with pytest.raises(ValueError):
        crypto.decrypt(token[:-4] + "AAAA")


def test_masks():
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_phone(SEED_MOBILE) == "139****0000"
    assert mask_certificate(SEED_ID) == "3205**********1239"
    assert mask_email("zhang.wei@example.cn") == "z***@example.cn"


def test_log_lines_are_masked(caplog):
    logger = logging.getLogger("beian.test")
    logger.addFilter(MaskPiiLogFilter())
    with caplog.at_level(logging.INFO, logger="beian.test"):
        logger.info("filer %s phone %s mail %s", SEED_ID, SEED_MOBILE, "zw@example.cn")
    line = caplog.records[-1].getMessage()
    assert SEED_ID not in line and SEED_MOBILE not in line and "zw@example.cn" not in line
    assert "139****0000" in line
    assert mask_text("no pii here 12345") == "no pii here 12345"
