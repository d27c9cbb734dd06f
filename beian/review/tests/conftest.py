"""Fixtures of the back-office tests: a loopback DNS server as the configured
resolver (never the network), and the seed's filing at each stage."""

from __future__ import annotations

import pytest

from beian.filings import workflow
from testing import fill_seed_filing, make_code, start_seed_filing
from testing.dns import LoopbackDns


@pytest.fixture(autouse=True)
def loopback_dns(settings):
    """Every review test resolves through a DNS server on 127.0.0.1."""
    with LoopbackDns() as server:
        settings.BEIAN = {
            **settings.BEIAN,
            "DNS_RESOLVER": server.address,
            "DNS_TIMEOUT_SECONDS": 2.0,
        }
        yield server


@pytest.fixture
def submitted(db, clock, applicant, hosting_owner):
    """The seed's first filing, submitted for initial review (Jiangsu)."""
    clock.set(2025, 9, 22, 10)  # a Monday
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    return workflow.fire(app, "submit", actor=applicant)


@pytest.fixture
def verifying(submitted, staff):
    return workflow.fire(submitted, "approve_initial_review", actor=staff["reviewer"])
