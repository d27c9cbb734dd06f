"""The reviewer's approve button is disabled while a pre-check is red, and says why;
with a check that only warns or cannot tell, it works and says why it may be used."""

import re
import socket

import pytest

pytestmark = pytest.mark.django_db

DOMAIN = "zhangwei-notes.cn"


def approve_button(html: str) -> str:
    return re.search(r'<button type="submit" id="approve"[^>]*>', html).group(0)


def test_all_green_approve_works_and_says_nothing(client, submitted, staff):
    client.force_login(staff["reviewer"])
    html = client.get(f"/review/{submitted.number}/").content.decode()
    assert "disabled" not in approve_button(html)
    assert 'id="approve-why"' not in html


def test_a_red_pre_check_disables_approve_and_names_it(client, submitted, staff, loopback_dns):
    loopback_dns.records[DOMAIN] = "198.51.100.7"
    client.force_login(staff["reviewer"])
    html = client.get(f"/review/{submitted.number}/").content.decode()
    button = approve_button(html)
    assert "disabled" in button and 'aria-describedby="approve-why"' in button
    why = re.search(r'<p class="field-error" id="approve-why"[^>]*>(.*?)</p>', html, re.S)
    assert "域名是否仍在解析" in why.group(1) and "退回" in why.group(1)
    # Once the domain stops resolving, the button is back.
    del loopback_dns.records[DOMAIN]
    html = client.get(f"/review/{submitted.number}/").content.decode()
    assert "disabled" not in approve_button(html)


def test_a_check_that_cannot_tell_leaves_approve_usable_and_says_why(
    client, submitted, staff, settings
):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing answers there: the resolution check is "unknown"
    settings.BEIAN = {
        **settings.BEIAN,
        "DNS_RESOLVER": f"127.0.0.1:{port}",
        "DNS_TIMEOUT_SECONDS": 0.3,
    }
    client.force_login(staff["reviewer"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/review/{submitted.number}/").content.decode()
    button = approve_button(html)
    assert "disabled" not in button and 'aria-describedby="approve-why"' in button
    why = re.search(r'<p class="hint" id="approve-why"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert "do not block approval" in why and "Domain still resolving" in why
