import pytest

from beian.authority.client import AuthorityClient
from testing.servers import serve, serve_simulator


@pytest.fixture
def beian_url(transactional_db):
    with serve() as url:
        yield url


@pytest.fixture
def sim_url(transactional_db, settings, beian_url):
    """The simulator on loopback, relaying its SMS to Beian (one-machine mode)."""
    with serve_simulator() as url:
        settings.BEIAN = {
            **settings.BEIAN,
            "AUTHORITY_URL": url,
            "AUTHORITY_SIM_SMS_RELAY_URL": f"{beian_url}/api/v1/authority/sms-relay",
            "AUTHORITY_SIM_PASSWORD_RELAY_URL": f"{beian_url}/api/v1/authority/filing-password-relay",
            "AUTHORITY_SIM_PROVINCE": "320000",
        }
        yield url


@pytest.fixture
def authority(sim_url):
    return AuthorityClient.from_settings(timeout=5, backoff=0.05)
