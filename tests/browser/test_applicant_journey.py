"""The seed's story in the browser, as the applicant (domain.md §3): register,
bind the code, fill in with mistakes that are caught and fixed, submit, stop
resolving the domain, request a backdrop, upload the photo, see a return with
reasons, resubmit, the SMS step, and the ICP number. Staff steps go through
the workflow and services directly, as the issue allows; the filing goes to the
simulated provincial administration on loopback, whose MIIT SMS page the
applicant answers in the browser with the code texted to the principal's phone.
Then another applicant tries to see and change this applicant's filing.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from beian.authority import adapter, services
from beian.authority.client import AuthorityClient
from beian.authority.models import SimRequest
from beian.filings import workflow
from beian.filings.models import Application
from beian.filings.states import ApplicationState as S
from beian.notify.delivery import deliver_due
from beian.notify.models import Message, RecordedSms
from testing import SEED_ID, SEED_MOBILE, make_code, make_user, photo_upload
from testing.dns import LoopbackDns
from testing.servers import Browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Zhangwei-2014-notes"
EMPTY = re.compile(r"^\s*$")
DOMAIN = "zhangwei-notes.cn"


def _staff():
    from beian.accounts.models import Role

    return {
        role: make_user(f"{role}-b", role)
        for role in (
            Role.REVIEWER,
            Role.MAILROOM,
            Role.PHOTO_VERIFIER,
            Role.OPERATOR,
            Role.AUTHORITY,
        )
    }


def _blur(page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.locator(selector).blur()


def _error_of(page, field_id: str):
    return page.locator(f"#{field_id}_error")


def _log_in_with_keyboard(v, identifier: str, password: str) -> None:
    page = v.go("/accounts/login/")
    v.assert_labelled()
    page.focus("#id_identifier")
    page.keyboard.type(identifier)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/filings/$"))


def _register(v) -> None:
    page = v.go("/accounts/register/")
    v.assert_labelled()
    page.fill("#id_username", "zhangwei")
    # A mistake caught as the field is left: not a mobile number.
    _blur(page, "#id_mobile", "12345")
    _error_of(page, "id_mobile").filter(has_text=re.compile(".+")).wait_for()
    v.shot("register-mobile-caught")
    _blur(page, "#id_mobile", "13962100000")
    # Waits without evaluating a string in the page (the CSP has no 'unsafe-eval').
    expect(page.locator("#id_mobile_error")).to_have_text(EMPTY)
    page.fill("#id_email", "zhang.wei@example.cn")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/filings/$"))
    v.shot("registered")


def _confirm_email(v) -> None:
    # The link as the person reads it: in the delivered e-mail (the stored row
    # has it redacted).
    message = Message.objects.get(template="account_email_confirm", channel="email")
    deliver_due("browser-test")
    [sent] = [m for m in mail.outbox if m.extra_headers["X-Beian-Message-Id"] == str(message.pk)]
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", sent.body).group(0)
    page = v.go("/accounts/" + link.split("/accounts/", 1)[1])
    page.locator("#confirmed").wait_for()
    v.shot("email-confirmed")


def _start(v, code: str) -> str:
    page = v.go("/filings/start/")
    v.assert_labelled()
    page.fill("#id_service_code", "NO-SUCH-CODE")
    page.click("main button[type=submit]")
    assert page.locator("#id_service_code_error").inner_text().strip()
    page.fill("#id_service_code", code)
    page.click("main button[type=submit]")
    page.locator("#server").wait_for()
    assert "203.0.113.10" in page.locator("#server").inner_text()
    v.assert_labelled()
    v.shot("code-bound-server-shown")
    page.select_option("#id_province", "320000")
    page.select_option("#id_nature", "individual")
    page.fill("#id_subject_name", "张伟")
    page.select_option("#id_certificate_type", "resident_id")
    # A wrong check digit, caught as the field is left, then fixed.
    _blur(page, "#id_certificate_number", SEED_ID[:-1] + ("0" if SEED_ID[-1] != "0" else "1"))
    _error_of(page, "id_certificate_number").filter(has_text=re.compile(".+")).wait_for()
    _blur(page, "#id_certificate_number", SEED_ID)
    expect(page.locator("#id_certificate_number_error")).to_have_text(EMPTY)
    page.fill("#id_domains", DOMAIN)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/filings/\d+/$"))
    assert "首次备案" in page.locator("#explanation").inner_text()
    v.shot("application-created")
    return page.locator("#order-number").inner_text().strip()


def _fill_subject(v, number: str) -> None:
    page = v.go(f"/filings/{number}/subject/")
    v.assert_labelled()
    assert "江苏" in page.locator(".notes").inner_text()
    page.fill("#id_name", "张伟")
    page.fill("#id_certificate_address", "江苏省苏州市姑苏区人民路100号")
    page.select_option("#id_city", "320500")
    page.select_option("#id_county", "320508")
    page.fill("#id_mailing_address", "江苏省苏州市姑苏区人民路100号3幢201室")
    page.fill("#id_p_name", "张伟")
    page.select_option("#id_p_certificate_type", "resident_id")
    page.fill("#id_p_certificate_number", SEED_ID)
    # Jiangsu: the mobile must be registered in Jiangsu. A Beijing number is caught.
    _blur(page, "#id_p_mobile", "13800138000")
    _error_of(page, "id_p_mobile").filter(has_text="江苏").wait_for()
    v.shot("subject-mobile-not-local")
    # Saved anyway: the server checks again and refuses, next to the field.
    page.fill("#id_p_email", "zhang.wei@example.cn")
    page.click("main button[type=submit]")
    assert "江苏" in page.locator("#id_p_mobile_error").inner_text()
    page.fill("#id_p_mobile", "13962100000")
    page.fill("#id_p_emergency_phone", "15190000000")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/filings/{number}/$"))


def _fill_website(v, number: str, name: str, *, first_time: bool = True) -> None:
    page = v.go(f"/filings/{number}/")
    page.click("text=网站信息 1")
    v.assert_labelled()
    if first_time:
        # An all-Latin website name is refused as the field is left.
        _blur(page, "#id_name", "notes")
        _error_of(page, "id_name").filter(has_text=re.compile(".+")).wait_for()
        v.shot("website-name-caught")
        page.check("#id_same_as_subject")
    page.fill("#id_name", name)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/filings/{number}/$"))


def _remarks(v, number: str) -> None:
    page = v.go(f"/filings/{number}/remarks/")
    v.assert_labelled()
    page.fill("#id_remarks", "个人读书笔记与技术学习记录，不涉及任何经营性内容。")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf"/filings/{number}/$"))


def _materials(v, number: str) -> None:
    """The other helper's uploads and PDF forms; noted and skipped when absent."""
    response = v.page.request.get(f"{v.base}/materials/{number}/")
    if response.status != 200:
        print(f"materials pages not there yet ({response.status}): upload/PDF step skipped")
        return
    page = v.go(f"/materials/{number}/")
    v.shot("materials")
    pdf = page.locator("a[href$='.pdf']").first
    if pdf.count():
        body = v.page.request.get(v.base + pdf.get_attribute("href"))
        assert body.status == 200 and body.body()[:4] == b"%PDF"
    # Upload a scan into every slot still missing, one form at a time (the page reloads).
    scan = _scan_file()
    for _ in range(12):
        missing = page.locator("li.slot:has(.badge.missing) form.upload")
        if missing.count() == 0:
            break
        form = missing.first
        form.locator("input[type=file]").set_input_files(scan)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("li.slot:has(.badge.missing)").count() == 0
    v.shot("materials-uploaded")


def _scan_file() -> dict:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (230, 230, 230)).save(buffer, "JPEG")
    return {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _submit(v, number: str, label: str) -> None:
    page = v.go(f"/filings/{number}/submit/")
    assert page.locator("#problems").count() == 0, page.locator("#problems").inner_text()
    v.shot(f"summary-{label}")
    page.click("#submit-button")
    page.wait_for_url(re.compile(rf"/filings/{number}/resolve/$"))


def _resolve_check(v, dns: LoopbackDns) -> None:
    page = v.page
    dns.records[DOMAIN] = "127.0.0.1"
    page.click("#resolve-check")
    page.locator("#resolve-summary").wait_for()
    assert "仍有域名在解析" in page.locator("#resolve-summary").inner_text()
    v.shot("domain-still-resolves")
    dns.records.clear()
    page.click("#resolve-check")
    page.locator("#resolve-summary", has_text="全部域名均已停止解析").wait_for()
    v.shot("domain-stopped")


def _code_on_the_phone(phone: str) -> str:
    """The code as the principal's phone shows it: one round of the notification worker
    sends the relayed SMS (the recording backend is the demo's phone screen)."""
    deliver_due("browser-test")
    texts = [r.text for r in RecordedSms.objects.order_by("-recorded_at") if r.phone == phone]
    found = next((re.search(r"核验码为\s*(\d{6})", t) for t in texts if "核验码" in t), None)
    assert found, f"no SMS code on {phone}: {texts}"
    return found.group(1)


def _answer_sms(v, number: str, sim_url: str) -> None:
    """The applicant follows the portal's link to MIIT's page and answers the code."""
    page = v.go(f"/filings/{number}/")
    sms_link = page.locator("#sms-link")
    assert sms_link.get_attribute("href").startswith(f"{sim_url}/sms/")
    v.shot("sms-verification")
    code = _code_on_the_phone(SEED_MOBILE)
    sms_link.click()
    page.wait_for_url(f"{sim_url}/sms/**")
    v.assert_labelled()
    page.fill("input[name=phone]", SEED_MOBILE)
    page.fill("input[name=certificate_tail]", SEED_ID[-6:])
    page.fill("input[name=code]", code)
    v.shot("sms-page")
    page.click("button[value=verify]")
    page.locator("#done", has_text="核验成功").wait_for()
    v.shot("sms-verified")


def _approve_in_console(sim_url: str) -> None:
    """Staff of the administration approve in the simulator's console, over HTTP."""
    password = settings.BEIAN.get(
        "AUTHORITY_SIM_CONSOLE_PASSWORD", settings.BEIAN.get("AUTHORITY_PASSWORD")
    )
    console = Browser(sim_url)
    console.post("/console/login", "/console/login", {"password": password})
    request = SimRequest.objects.filter(state="review").latest("pk")
    page = console.post(
        f"/console/request/{request.pk}", "/console/", {"action": "approve", "opinion": "信息属实"}
    )
    assert "approve" in page


# `simulator` comes before `visit`: the browser closes first, so no keep-alive connection
# holds a request thread of the simulator when it stops.
def test_seed_story_in_the_browser(simulator, visit, settings_dns, hosting_owner):
    v, dns, sim_url = visit, settings_dns, simulator
    v.allow(sim_url)
    authority = AuthorityClient.from_settings(timeout=5, backoff=0.05)
    staff = _staff()
    code = make_code(hosting_owner)

    page = v.go("/filings/need-filing/?reach=domain&protocol=http&location=mainland")
    assert "需要备案" in page.locator("#answer").inner_text()
    v.assert_labelled()
    v.shot("need-filing")

    _register(v)
    _confirm_email(v)
    page = v.go("/filings/")
    page.click("text=退出")
    _log_in_with_keyboard(v, "13962100000", PASSWORD)  # the mobile works as a login name

    number = _start(v, code)
    _fill_subject(v, number)
    _fill_website(v, number, "张伟个人网站")
    _remarks(v, number)
    _materials(v, number)
    _submit(v, number, "first")
    _resolve_check(v, dns)

    # Initial review returns it with a reason against the website name.
    app = Application.objects.get(number=number)
    workflow.fire(
        app,
        "return_to_applicant",
        actor=staff["reviewer"],
        data={
            "reasons": [{"field": "websites.0.name", "text": "网站名称过于宽泛，请体现网站内容"}]
        },
    )
    page = v.go(f"/filings/{number}/")
    assert "网站名称过于宽泛" in page.locator("#return-reasons").inner_text()
    v.shot("returned-with-reasons")
    page.click("text=网站信息 1")
    assert "网站名称过于宽泛" in page.locator("#id_name_error").inner_text()
    v.shot("reason-next-to-field")
    _fill_website(v, number, "张伟的读书笔记", first_time=False)
    _submit(v, number, "resubmit")

    app = workflow.fire(
        Application.objects.get(number=number), "approve_initial_review", actor=staff["reviewer"]
    )

    # Photo: a backdrop by post, then the photo taken in front of it.
    page = v.go(f"/filings/{number}/photo/")
    v.assert_labelled()
    assert "9:00–18:00" in page.content() and "苏州姑苏核验点" in page.content()
    page.fill("#id_shipping_address", "江苏省苏州市姑苏区人民路100号3幢201室 张伟 13962100000")
    page.click("text=申请幕布")
    page.locator("#backdrop").wait_for()
    v.shot("backdrop-requested")
    workflow.fire(
        app,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF1234567890"},
    )
    page = v.go(f"/filings/{number}/photo/")
    assert "SF1234567890" in page.locator("#tracking").inner_text()
    photo_path = v.folder / "backdrop-photo.jpg"
    photo_path.write_bytes(photo_upload().read())
    page.set_input_files("#id_photo", str(photo_path))
    page.click("button:has-text('上传')")
    page.locator("#photo-state", has_text="照片待审核").wait_for()
    v.shot("photo-uploaded")

    app = Application.objects.get(number=number)
    app = workflow.fire(app, "verify_photo", actor=staff["photo_verifier"])
    app = workflow.fire(
        app,
        "receive_originals",
        actor=staff["mailroom"],
        data={"documents": {"verification_form": 3, "security_agreement": 3}},
    )
    # The operator sends it to the simulated administration, which receives it and
    # texts a code to the principal's phone.
    result = adapter.submit(app, staff["operator"], client=authority)
    assert result.accepted, result.message
    services.sync_downloads(authority)
    assert Application.objects.get(number=number).state == S.SMS_VERIFICATION

    _answer_sms(v, number, sim_url)
    services.sync_downloads(authority)
    assert Application.objects.get(number=number).state == S.AUTHORITY_REVIEW

    # The administration approves in its console; the result comes back with the numbers.
    _approve_in_console(sim_url)
    assert not services.sync_downloads(authority).problems
    assert Application.objects.get(number=number).state == S.APPROVED

    page = v.go(f"/filings/{number}/")
    number_text = page.locator(".website-number").first.inner_text()
    assert re.fullmatch(r"苏ICP备\d{10}号-1", number_text)
    footer = page.locator("#footer-1").input_value()
    assert "https://beian.miit.gov.cn/" in footer and number_text in footer
    assert "30" in page.locator("#public-security").inner_text()
    v.assert_labelled()
    v.shot("approved")

    page = v.go("/filings/inbox/")
    assert "备案申请已提交" in page.content()
    v.shot("inbox")

    # The English switch, on the same page.
    page = v.go(f"/filings/{number}/")
    page.select_option("#lang-select", "en")
    page.locator("#public-security", has_text="public security").wait_for()
    v.shot("approved-english")

    _another_applicant_cannot(v, number)


def _another_applicant_cannot(v, number: str) -> None:
    make_user("lisi", password=PASSWORD, mobile="13962100001")
    app = Application.objects.get(number=number)
    website_id = app.websites.get().pk
    page = v.page
    page.click("text=Log out")
    _log_in_with_keyboard(v, "lisi", PASSWORD)
    for path in (
        f"/filings/{number}/",
        f"/filings/{number}/subject/",
        f"/filings/{number}/websites/{website_id}/",
        f"/filings/{number}/photo/",
        f"/filings/{number}/resolve.json",
        f"/filings/{number}/submit/",
    ):
        assert v.page.request.get(v.base + path).status == 404, path
    # A POST with a valid CSRF token of lisi's own session is refused the same way.
    page = v.go("/filings/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = v.page.request.post(
        f"{v.base}/filings/{number}/do/withdraw/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": v.base + "/filings/"},
    )
    assert response.status == 404
    page = v.go("/filings/inbox/")
    assert number not in page.content()
    assert Application.objects.get(number=number).state == "approved"
