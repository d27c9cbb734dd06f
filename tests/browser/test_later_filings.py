"""Every later filing of the demo subject in the browser (issue 13), from a `make run`-like
state: the demo data loaded, the simulated administration on its own loopback port with
the MIIT adapter and the look-up on. The seed's first filing is approved by the
administration, which sends the filing password (备案密码) to the person in charge's
phone; the applicant forgets it on the records page and, later, on an order's remarks
page, and gets a new one each time (the old one is refused); then change subject, change
website, add website, cancel access, add access (the same site back) and cancel website,
each with the password step, to their end. Staff steps go through the services (their
pages have their own tests); the administration's are its console and SMS page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from beian.accounts.models import Role, User
from beian.authority import adapter
from beian.filings.models import Application, Subject
from beian.filings.states import ApplicationState as S
from testing import SEED_ID, SEED_MOBILE, drive_to
from testing.servers import filing_password_on_the_phone
from tests.browser.test_applicant_journey import _materials
from tests.scenarios.test_later_filings_api import Administration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_PASSWORD = "beian-demo-2026"


@pytest.fixture
def demo(simulator, settings):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_ADAPTER": "miit", "AUTHORITY_TIMEOUT_SECONDS": 5}
    call_command("demo", "--once", "--simulator-here")  # as `make run`: look-up off
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_LOOKUP": True}
    staff = {u.role: u for u in User.objects.exclude(role=Role.APPLICANT)}
    return simulator, staff


def _through(authority: Administration, staff: dict, number: str, *, sms: bool) -> None:
    """The provider's back office, then the administration, to the approval."""
    app = drive_to(Application.objects.get(number=number), staff, target=S.READY)
    result = adapter.submit(app, staff[Role.OPERATOR], client=authority.client)
    assert result.accepted, result.message
    authority.decide(number, sms=sms)


def _flash(page) -> str:
    return page.locator(".flash").inner_text()


def _submit(v, number: str) -> None:
    page = v.go(f"/filings/{number}/submit/")
    assert page.locator("#problems").count() == 0, page.locator("#problems").inner_text()
    page.click("#submit-button")
    page.wait_for_load_state()
    assert Application.objects.get(number=number).state == S.SUBMITTED


def _later(v, subject_id: int, kind: str, password: str, *, websites=(), **fields) -> str:
    """The records page: what to do, which websites, the change, the password."""
    page = v.go(f"/filings/records/{subject_id}/")
    v.assert_labelled()
    page.check(f"input[name=filing_type][value={kind}]")
    for website in websites:
        page.check(f"input[name=websites][value='{website}']")
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    if kind.startswith("cancel"):
        page.select_option("#id_cancel_reason", "changed_provider")
        page.check("#id_confirm")
    page.fill("#id_filing_password", password)
    page.click("main form:not(#forgot-password) button[type=submit]")
    page.wait_for_url(re.compile(r"/filings/\d+/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _start(v, code: str, domain: str) -> str:
    page = v.go("/filings/start/")
    page.fill("#id_service_code", code)
    page.click("main button[type=submit]")
    page.locator("#server").wait_for()
    page.select_option("#id_province", "320000")
    page.select_option("#id_nature", "individual")
    page.fill("#id_subject_name", "张伟")
    page.select_option("#id_certificate_type", "resident_id")
    page.fill("#id_certificate_number", SEED_ID)
    page.fill("#id_domains", domain)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/filings/\d+/$"))
    return page.locator("#order-number").inner_text().strip()


def _remarks(v, number: str, password: str, remarks: str = "") -> None:
    page = v.go(f"/filings/{number}/remarks/")
    v.assert_labelled()
    if remarks:
        page.fill("#id_remarks", remarks)
    page.fill("#id_filing_password", password)
    page.click("main form:not(#forgot-password) button[type=submit]")
    page.wait_for_url(re.compile(rf"/filings/{number}/$"))


def _code(owner) -> str:
    from beian.hosting.models import Server
    from beian.hosting.services import issue_service_code

    server = Server.objects.get(public_ip="203.0.113.10")
    return issue_service_code(server=server, actor=owner).code


# `demo` (and so `simulator`) before `visit`: the browser closes first.
def test_every_later_filing_of_the_demo_subject_in_the_browser(demo, visit):
    sim_url, staff = demo
    v = visit
    v.allow(sim_url)
    authority = Administration(sim_url)

    seed = Application.objects.get(account__username="zhangwei")
    _through(authority, staff, seed.number, sms=True)
    password = filing_password_on_the_phone(SEED_MOBILE)

    page = v.go("/accounts/login/")
    page.fill("#id_identifier", "zhangwei")
    page.fill("#id_password", LOGIN_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/filings/$"))
    page = v.go("/filings/inbox/")
    assert "备案密码已发送" in page.content() and password not in page.content()
    v.shot("inbox-password-sent")

    subject = Subject.objects.get(pk=seed.subject_id)
    first_site = seed.websites.get()
    page = v.go("/filings/")
    page.click(f"a[href='/filings/records/{subject.pk}/']")
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    # Forgotten: a new password to the phone, the old one is refused.
    page.click("#forgot-password button")
    page.wait_for_load_state()
    assert "新备案密码" in _flash(page)
    v.shot("forgot-password-records")
    new = filing_password_on_the_phone(SEED_MOBILE)
    assert new != password
    page.check("input[name=filing_type][value=change_subject]")
    page.fill("#id_mailing_address", "江苏省苏州市工业园区星湖街328号")
    page.fill("#id_filing_password", password)
    page.click("main form:not(#forgot-password) button[type=submit]")
    page.locator("#id_filing_password_error", has_text="备案密码不正确").wait_for()
    v.shot("old-password-refused")
    password = new

    number = _later(
        v, subject.pk, "change_subject", password, mailing_address="江苏省苏州市工业园区星湖街328号"
    )
    _submit(v, number)
    _through(authority, staff, number, sms=True)
    assert Subject.objects.get(pk=subject.pk).mailing_address.endswith("星湖街328号")

    number = _later(
        v,
        subject.pk,
        "change_website",
        password,
        websites=[first_site.pk],
        website_name="张伟读书笔记",
    )
    _submit(v, number)
    _through(authority, staff, number, sms=True)

    # Add website: a new code; the password on the remarks step.
    number = _start(v, _code(staff[Role.HOSTING_OWNER]), "zhangwei-photos.cn")
    assert "新增网站" in v.page.locator("#explanation").inner_text()
    page = v.go(f"/filings/{number}/")
    page.click("text=网站信息 1")
    page.check("#id_same_as_subject")
    page.fill("#id_name", "张伟的摄影作品")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/filings/{number}/$"))
    _remarks(v, number, password, "个人摄影作品展示，记录旅行与日常，不涉及任何经营性内容。")
    _materials(v, number)
    _submit(v, number)
    _through(authority, staff, number, sms=True)
    second_site = Application.objects.get(number=number).websites.get()
    assert second_site.icp_number == f"{subject.icp_number}-2"

    number = _later(v, subject.pk, "cancel_access", password, websites=[first_site.pk])
    _submit(v, number)
    _through(authority, staff, number, sms=False)

    # Add access: the same site back; forgotten again, on the order's remarks page.
    number = _start(v, _code(staff[Role.HOSTING_OWNER]), "zhangwei-notes.cn")
    assert "新增接入" in v.page.locator("#explanation").inner_text()
    page = v.go(f"/filings/{number}/remarks/")
    page.click("#forgot-password button")
    page.wait_for_load_state()
    assert "新备案密码" in _flash(page)
    v.shot("forgot-password-remarks")
    password = filing_password_on_the_phone(SEED_MOBILE)
    _remarks(v, number, password)
    _materials(v, number)
    _submit(v, number)
    _through(authority, staff, number, sms=True)

    number = _later(v, subject.pk, "cancel_website", password, websites=[second_site.pk])
    _submit(v, number)
    _through(authority, staff, number, sms=True)
    page = v.go(f"/filings/records/{subject.pk}/")
    assert "张伟的摄影作品" not in page.content()
    v.shot("after-every-later-filing")
