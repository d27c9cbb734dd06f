"""Personal data in the exchange with the administration is encrypted at rest
(issue 14, finding 3): the upload XML, the call log's parameters, payloads and
answers, the downloads, and the simulator's copies — even for a draft whose only
contact was the look-up at start."""

from __future__ import annotations

import pytest
from django.db import connection

from beian.authority.models import Exchange, Upload
from beian.authority.tests.test_loopback_life import file_first, ready  # noqa: F401 - fixture
from beian.demo.seed import SEED_EMAIL, SEED_ID, SEED_MOBILE
from testing import make_code, start_seed_filing
from testing.servers import seed_site_filed_elsewhere

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PII = (SEED_ID, SEED_MOBILE, SEED_EMAIL)


def _authority_tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if t.startswith("authority_")]


def _raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a name from introspection
        rows = cursor.fetchall()
    # Bytes columns as text too, so a clear value inside a BLOB is found.
    return "\n".join(
        " ".join(
            bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v) for v in row
        )
        for row in rows
    )


def _leaks() -> dict[str, list[str]]:
    found = {}
    for table in _authority_tables():
        text = _raw(table)
        hits = [value for value in PII if value in text]
        if hits:
            found[table] = hits
    return found


def test_the_look_up_of_a_draft_leaves_no_clear_pii(settings, sim_url, applicant, hosting_owner):
    seed_site_filed_elsewhere()  # the simulator's own filing of the same person
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True, "AUTHORITY_TIMEOUT_SECONDS": 5}
    start_seed_filing(applicant, make_code(hosting_owner), domain="www.other-host.cn")
    lookups = Exchange.objects.filter(method="isp_querybeianstatus")
    assert lookups.exists()
    # Readable through the model, for the operator's log …
    assert any(SEED_ID in str(e.request) + e.response for e in lookups)
    # … and nowhere in clear in the database.
    assert _leaks() == {}


def test_a_whole_filing_leaves_no_clear_pii(ready, staff, sim_url, authority):  # noqa: F811
    file_first(ready, staff, sim_url, authority)
    upload = Upload.objects.get()
    assert SEED_ID.encode() in bytes(upload.xml)  # the model gives back the file sent
    with connection.cursor() as cursor:
        cursor.execute("SELECT xml, beian_info FROM authority_upload")
        xml, info = cursor.fetchone()
    assert bytes(xml).startswith(b"gAAAAA") and info.startswith("gAAAAA")  # Fernet tokens
    assert _leaks() == {}
