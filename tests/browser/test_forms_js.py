"""The pages' small scripts in Debian's Chromium at phone width (390 px), all local
static files: the county list follows the chosen city, the footer snippet's copy
button copies, withdrawing asks first and then says what happened, and the
reviewer's approve button stays disabled while a pre-check is red."""

from __future__ import annotations

import pytest
from django.test import Client

from beian.accounts.models import Role
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, make_user, start_seed_filing
from testing.dns import LoopbackDns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(v, user) -> None:
    client = Client()
    client.force_login(user)
    host = v.base.split("//")[1].split(":")[0]
    v.page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _options(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(f"{selector} option", "os => os.map(o => o.textContent)")


def test_the_county_list_follows_the_city(visit, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    _log_in(visit, applicant)
    page = visit.go(f"/filings/{app.number}/subject/")
    visit.assert_labelled()
    assert _options(page, "#id_county") == ["— 请选择 —"]  # no city yet: nothing to pick
    page.select_option("#id_city", "320500")
    counties = _options(page, "#id_county")
    assert counties[1:] == [
        "虎丘区", "吴中区", "相城区", "姑苏区", "吴江区", "常熟市", "张家港市", "昆山市", "太仓市",
    ]  # fmt: skip
    page.select_option("#id_county", "320508")
    page.select_option("#id_city", "320100")
    assert "玄武区" in _options(page, "#id_county") and "姑苏区" not in _options(page, "#id_county")
    assert page.input_value("#id_county") == ""  # the Suzhou district went with its city
    page.select_option("#id_city", "320500")
    visit.shot("county-follows-city")
    _fits(page)


def test_copy_button_and_withdraw_confirmation(visit, applicant, hosting_owner, staff):
    # An approved filing: its footer snippet has a working copy button.
    approved = drive_to(
        fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant), staff
    )
    visit.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _log_in(visit, applicant)
    page = visit.go(f"/filings/{approved.number}/")
    button = page.locator("button[data-copy=footer-1]")
    assert button.is_visible()
    button.click()
    page.locator(".copy-status", has_text="已复制").wait_for()
    snippet = page.input_value("#footer-1")
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    assert "beian.miit.gov.cn" in snippet
    visit.shot("footer-copied")
    _fits(page)

    # A second filing, submitted: withdrawing asks first, then says what happened.
    other = fill_seed_filing(
        start_seed_filing(
            applicant, make_code(hosting_owner, ip="203.0.113.11"), domain="zhangwei-photos.cn"
        ),
        applicant,
        website_name="张伟的摄影笔记",
    )
    other = drive_to(other, staff, S.SUBMITTED)
    page = visit.go(f"/filings/{other.number}/")
    page.click("#withdraw")
    page.wait_for_url(f"**/filings/{other.number}/withdraw/")
    assert "不能恢复" in page.inner_text("#withdraw-consequences")
    visit.shot("withdraw-asks")
    _fits(page)
    page.click("#confirm-withdraw")
    page.wait_for_url(f"**/filings/{other.number}/")
    assert f"订单 {other.number} 已撤回" in page.content()
    other.refresh_from_db()
    assert other.state == S.WITHDRAWN
    visit.shot("withdrawn")


def test_approve_stays_disabled_while_a_pre_check_is_red(visit, applicant, hosting_owner, settings):
    with LoopbackDns() as dns:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": dns.address, "DNS_TIMEOUT_SECONDS": 2.0}
        dns.records["zhangwei-notes.cn"] = "198.51.100.7"
        app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
        from beian.filings import workflow

        workflow.fire(app, "submit", actor=applicant)
        _log_in(visit, make_user("reviewer-js", Role.REVIEWER))
        page = visit.go(f"/review/{app.number}/")
        assert page.locator("#approve").is_disabled()
        assert "域名是否仍在解析" in page.inner_text("#approve-why")
        visit.shot("approve-disabled")
        del dns.records["zhangwei-notes.cn"]
        page = visit.go(f"/review/{app.number}/")
        assert page.locator("#approve").is_enabled()
