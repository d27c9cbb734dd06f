"""The staff side of the seed's story in Debian's Chromium (Playwright):
review with a return (the domain still resolves, on a loopback DNS server),
review with approval, mailroom receipt with a discrepancy, backdrop shipping,
photo verification, submission. Applicant steps go through the workflow.

Staff log in by session cookie (made with the test client). A screenshot per
step lands in artifacts/review-browser/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from beian.accounts.models import Role
from beian.filings import workflow
from beian.filings.models import Application
from testing import fill_seed_filing, make_code, make_user, photo_upload, start_seed_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "review-browser"
DOMAIN = "zhangwei-notes.cn"


@pytest.fixture
def browser(chromium_browser):
    return chromium_browser


class Staff:
    """One staff member's browser: logged in by copying a session cookie."""

    def __init__(self, browser, live_server, user, shots: list):
        from django.test import Client

        client = Client()
        client.force_login(user)
        self.base = live_server.url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        host = live_server.url.split("//")[1].split(":")[0]
        self.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.outside: list[str] = []
        self.page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((self.base, "data:", "about:"))
                else self.outside.append(r.url)
            ),
        )
        self.shots = shots

    def go(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots.append(label)
        self.page.screenshot(
            path=str(ARTIFACTS / f"{len(self.shots):02d}-{label}.png"), full_page=True
        )


def _fresh(app) -> Application:
    return Application.objects.get(pk=app.pk)


def _reason_templates() -> None:
    """Load the default reason templates again: a live_server test runs on a
    transactional database, which earlier transactional tests may have flushed."""
    import importlib

    from django.apps import apps

    importlib.import_module("beian.review.migrations.0002_default_templates").add(apps, None)


def test_the_staff_side_of_the_seed_story(browser, live_server, loopback_dns, clock):
    _reason_templates()
    clock.set(2025, 9, 22, 10)
    applicant = make_user("zhangwei", mobile="13962100000")
    owner = make_user("cloud-owner", Role.HOSTING_OWNER)
    reviewer = make_user("reviewer-js", Role.REVIEWER, provinces=["320000"])
    mailroom = make_user("mailroom-js", Role.MAILROOM, provinces=["320000"])
    verifier = make_user("photo-js", Role.PHOTO_VERIFIER, provinces=["320000"])
    operator = make_user("operator-js", Role.OPERATOR, provinces=["320000"])
    app = start_seed_filing(applicant, make_code(owner))
    fill_seed_filing(app, applicant)
    app = workflow.fire(app, "submit", actor=applicant)
    loopback_dns.records[DOMAIN] = "203.0.113.10"  # the applicant forgot to stop resolving
    shots: list[str] = []
    people = []

    # 1. Initial review with a return: the live check flags the resolving domain.
    r = Staff(browser, live_server, reviewer, shots)
    people.append(r)
    page = r.go("/review/")
    page.click("text=待初审")
    page.wait_for_selector(f'tr[data-number="{app.number}"]')
    r.shot("review-queue")
    page.click(f'tr[data-number="{app.number}"] button:has-text("认领")')
    page.click(f"a:has-text('{app.number}')")
    page.wait_for_selector('li[data-check="resolution"][data-status="fail"]')
    assert "203.0.113.10" in page.inner_text('li[data-check="resolution"]')
    r.shot("review-resolving-flagged")
    page.select_option("#reason-0-field", "websites.0.domains")
    page.select_option("#reason-0-template", "domain-resolving")
    page.fill("#reason-0-text", "www 与主域名均需停止解析")
    r.shot("review-return-reasons")
    page.click("#return")
    page.wait_for_selector("text=已退回申请人")
    r.shot("review-returned")
    assert _fresh(app).state == "returned"

    # The applicant stops resolving and resubmits.
    del loopback_dns.records[DOMAIN]
    app = workflow.fire(_fresh(app), "resubmit", actor=applicant)

    # 2. Initial review with approval.
    page = r.go(f"/review/{app.number}/")
    page.wait_for_selector('li[data-check="resolution"][data-status="pass"]')
    page.click("img.zoomable >> nth=0")  # zoom a scan
    r.shot("review-clean-zoomed")
    page.click("#approve")
    page.wait_for_selector("text=初审通过")
    r.shot("review-approved")
    app = _fresh(app)
    assert app.state == "verifying"

    # The applicant asks for a backdrop.
    app = workflow.fire(
        app,
        "request_backdrop",
        actor=applicant,
        data={"shipping_address": "江苏省苏州市姑苏区人民路100号3幢201室"},
    )

    # 3. Mailroom receipt with a discrepancy, found by the barcode's number.
    m = Staff(browser, live_server, mailroom, shots)
    people.append(m)
    page = m.go("/review/find/")
    page.fill("#id_number", f" {app.number} ")
    page.keyboard.press("Enter")
    page.wait_for_selector("#originals-form")
    assert page.input_value("#documents-verification_form") == "3"
    page.fill("#documents-verification_form", "3")
    page.fill("#documents-security_agreement", "2")
    page.fill("#courier", "顺丰")
    page.fill("#tracking_number", "SF1234567890")
    page.check("input[value=originals-signature]")
    m.shot("mailroom-discrepancy")
    page.click("#record-discrepancy")
    page.wait_for_selector("text=已登记问题并通知申请人")
    m.shot("mailroom-discrepancy-recorded")
    assert _fresh(app).originals_state == "discrepancy"
    # The signed copies arrive again: receipt complete.
    page.fill("#documents-security_agreement", "3")
    page.click("#receive")
    page.wait_for_selector("text=原件已登记")
    m.shot("mailroom-received")
    assert _fresh(app).originals_state == "received"

    # 4. Backdrop shipping from the list.
    page = m.go("/review/queue/backdrops/")
    page.fill(f"#courier-{app.number}", "EMS")
    page.fill(f"#tracking-{app.number}", "EMS0001")
    m.shot("backdrop-list")
    page.click(f'button[form="ship-{app.number}"]')
    page.wait_for_selector("text=幕布已寄出")
    m.shot("backdrop-shipped")
    assert _fresh(app).photo_state == "backdrop_shipped"

    # The applicant uploads the photo in front of the backdrop.
    app = workflow.fire(
        _fresh(app), "upload_photo", actor=applicant, data={"photo": photo_upload()}
    )

    # 5. Photo verification.
    v = Staff(browser, live_server, verifier, shots)
    people.append(v)
    page = v.go("/review/queue/photos/")
    page.click(f"a:has-text('{app.number}')")
    page.wait_for_selector('li[data-check="resolution"][data-status="pass"]')
    v.shot("photo-checks")
    page.click("#verify-photo")
    page.wait_for_selector("text=照片核验通过")
    v.shot("photo-verified")
    app = _fresh(app)
    assert (app.photo_state, app.state) == ("verified", "ready")

    # 6. Submission.
    o = Staff(browser, live_server, operator, shots)
    people.append(o)
    page = o.go("/review/queue/ready/")
    page.check(f'input[name=numbers][value="{app.number}"]')
    o.shot("ready-selected")
    page.click("#submit-selected")
    page.wait_for_selector("text=已提交管局")
    o.shot("submitted")
    assert _fresh(app).state == "authority_submitted"

    for person in people:
        assert person.outside == [], f"loaded from outside the server: {person.outside}"
        person.context.close()
    assert len(shots) >= 12
