"""The domain (apex and www) must not resolve after submission: checked live,
through the configured resolver — here a real DNS server on 127.0.0.1."""

import pytest

from beian.core.dns import resolve
from beian.review.prechecks import run_prechecks

pytestmark = pytest.mark.django_db

DOMAIN = "zhangwei-notes.cn"


def _resolution(app):
    return next(c for c in run_prechecks(app) if c.key == "resolution")


def test_a_silent_domain_is_not_flagged(submitted, loopback_dns):
    check = _resolution(submitted)
    assert check.status == "pass"
    assert check.findings == []
    # Both names were really asked, over loopback.
    assert f"{DOMAIN}/A" in loopback_dns.queries
    assert f"www.{DOMAIN}/A" in loopback_dns.queries


def test_a_resolving_apex_is_flagged(submitted, loopback_dns):
    loopback_dns.records[DOMAIN] = "203.0.113.10"
    check = _resolution(submitted)
    assert check.status == "fail"
    assert check.findings[0].field == "websites.0.domains"
    assert "203.0.113.10" in check.findings[0].text


def test_a_resolving_www_alone_is_flagged(submitted, loopback_dns):
    loopback_dns.records[f"www.{DOMAIN}"] = "203.0.113.11"
    check = _resolution(submitted)
    assert check.status == "fail"
    assert [f"www.{DOMAIN}" in f.text for f in check.findings] == [True]


def test_no_answer_is_unknown_not_pass(submitted, settings):
    # A loopback port with nothing listening: the resolver gets no answer.
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    settings.BEIAN = {
        **settings.BEIAN,
        "DNS_RESOLVER": f"127.0.0.1:{port}",
        "DNS_TIMEOUT_SECONDS": 0.3,
    }
    assert resolve(DOMAIN).resolves is None
    assert _resolution(submitted).status == "unknown"


def test_the_review_page_shows_the_resolving_domain(client, submitted, staff, loopback_dns):
    loopback_dns.records[DOMAIN] = "198.51.100.7"
    client.force_login(staff["reviewer"])
    html = client.get(f"/review/{submitted.number}/").content.decode()
    assert 'data-check="resolution" data-status="fail"' in html
    assert "198.51.100.7" in html
    del loopback_dns.records[DOMAIN]
    html = client.get(f"/review/{submitted.number}/").content.decode()
    assert 'data-check="resolution" data-status="pass"' in html
