"""With AUTHORITY_LOOKUP on, starting an application asks the administration
(isp_querybeianstatus over loopback) and decides the type from its answer."""

import pytest

from beian.filings.models import ExternalRecord
from beian.filings.states import FilingType
from testing import make_code, start_seed_filing
from testing.servers import seed_site_filed_elsewhere

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_domain_filed_elsewhere_becomes_add_access(settings, sim_url, applicant, hosting_owner):
    seed_site_filed_elsewhere()
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True, "AUTHORITY_TIMEOUT_SECONDS": 5}
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="www.other-host.cn")
    assert app.filing_type == FilingType.ADD_ACCESS
    assert app.websites.get().icp_number.startswith("京ICP备")
    assert ExternalRecord.objects.filter(kind="domain", key_hash="other-host.cn").exists()


def test_an_unreachable_administration_does_not_block_the_applicant(
    settings, applicant, hosting_owner
):
    settings.BEIAN = {
        **settings.BEIAN,
        "AUTHORITY_LOOKUP": True,
        "AUTHORITY_URL": "http://127.0.0.1:9",
        "AUTHORITY_TIMEOUT_SECONDS": 1,
        "AUTHORITY_RETRIES": 1,
    }
    app = start_seed_filing(applicant, make_code(hosting_owner))
    assert app.filing_type == FilingType.FIRST_FILING


def test_the_filing_password_is_checked_with_the_administration(
    settings, sim_url, applicant, hosting_owner
):
    from beian.core.errors import Refusal
    from beian.filings import services

    seed_site_filed_elsewhere()
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True, "AUTHORITY_TIMEOUT_SECONDS": 5}
    app = start_seed_filing(applicant, make_code(hosting_owner), domain="other-host.cn")
    with pytest.raises(Refusal) as caught:
        services.save_filing_password(app, actor=applicant, password="wrong")
    assert caught.value.code == "filing_password_wrong"
    assert (
        services.save_filing_password(app, actor=applicant, password="old-password").filing_password
        == "old-password"
    )
