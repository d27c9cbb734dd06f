"""The gate follows the real workflow: blocked until approval, then allowed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from testing import drive_to, fill_seed_filing, make_code, start_seed_filing


@pytest.mark.django_db
def test_a_first_filing_passes_the_gate_once_approved(
    client, applicant, hosting_owner, staff, clock
):
    clock.set(2026, 3, 2, 9)
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    with override_settings(BEIAN={**settings.BEIAN, "GATE_REFRESH_SECONDS": 0}):
        assert client.get("/gate/check", {"host": "www.zhangwei-notes.cn"}).status_code == 403
        app = drive_to(app, staff, "approved")
        clock.advance(minutes=1)
        assert client.get("/gate/check", {"host": "www.zhangwei-notes.cn"}).status_code == 204
    found = client.get("/api/v1/registry/query", {"q": "zhangwei-notes.cn"}).json()["results"]
    assert [r["subject_name"] for r in found] == ["张*"]
