"""The applicant portal's pages, through Django's test client."""

import threading

import pytest

from beian.core.dnsserver import ZoneResponder
from beian.filings import services, workflow
from beian.filings.models import Application
from beian.filings.states import ApplicationState as S
from beian.hosting.models import Billing, CodeStatus, FilingServiceCode
from beian.hosting.services import issue_service_code, revoke_service_code
from testing import (
    FILING_PASSWORD,
    SEED_ID,
    drive_to,
    fill_seed_filing,
    make_code,
    make_user,
    start_seed_filing,
)
from testing.dns import LoopbackDns

pytestmark = pytest.mark.django_db

START = {
    "province": "320000",
    "nature": "individual",
    "subject_name": "张伟",
    "certificate_type": "resident_id",
    "certificate_number": SEED_ID,
    "domains": "zhangwei-notes.cn",
}


def _seed(applicant, hosting_owner, **kw):
    app = start_seed_filing(applicant, make_code(hosting_owner), **kw)
    return fill_seed_filing(app, applicant)


# ---- do I need a filing? -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "needed"),
    [
        ("reach=domain&protocol=http&location=mainland", True),
        ("reach=ip&protocol=http&location=mainland", False),
        ("reach=domain&protocol=other&location=mainland", False),
        ("reach=domain&protocol=http&location=abroad", False),
        ("reach=domain&protocol=http&location=mainland&commercial=yes", True),
    ],
)
def test_need_filing_answers_from_the_rules(client, query, needed):
    response = client.get("/filings/need-filing/?" + query)
    assert response.status_code == 200
    assert response.context["answer"][0] == ("yes" if needed else "no")


def test_need_filing_is_public_and_other_pages_are_not(client):
    assert client.get("/filings/need-filing/").status_code == 200
    for url in ("/filings/", "/filings/start/", "/filings/inbox/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


# ---- start: service code ----------------------------------------------------------


def _code_message(client, code):
    response = client.post("/filings/start/", {"step": "code", "service_code": code})
    return response.context["code_form"].errors.get("service_code", [""])[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": CodeStatus.USED}, "已被使用"),
        ({"server.subscription_end": "past"}, "已到期"),
        ({"server.is_mainland": False}, "不在中国内地"),
        ({"server.billing": Billing.PAY_AS_YOU_GO}, "按量计费"),
        ({"server.subscription_end": "short"}, "不少于 3 个月"),
    ],
)
def test_start_refuses_each_unusable_code_with_its_own_message(
    client, applicant, hosting_owner, change, expected
):
    import datetime as dt

    from beian.core import clock

    code = FilingServiceCode.objects.get(code=make_code(hosting_owner))
    server = code.server
    for key, value in change.items():
        if key == "status":
            code.status = value
            code.save()
        elif key == "server.subscription_end":
            server.subscription_end = (
                clock.today() - dt.timedelta(days=1)
                if value == "past"
                else server.subscription_start + dt.timedelta(days=40)
            )
        else:
            setattr(server, key.split(".")[1], value)
    server.save()
    client.force_login(applicant)
    assert expected in _code_message(client, code.code)


def test_start_shows_the_server_then_opens_a_first_filing(client, applicant, hosting_owner):
    code = make_code(hosting_owner)
    client.force_login(applicant)
    response = client.post("/filings/start/", {"step": "code", "service_code": code})
    assert response.context["server"]["ip"] == "203.0.113.10"
    assert response.context["start_form"] is not None
    response = client.post("/filings/start/", {"service_code": code, **START}, follow=True)
    app = Application.objects.get(account=applicant)
    assert response.redirect_chain[-1][0] == f"/filings/{app.number}/"
    assert "首次备案" in response.content.decode()


def test_start_refuses_a_bad_certificate_number_next_to_the_field(client, applicant, hosting_owner):
    code = make_code(hosting_owner)
    client.force_login(applicant)
    bad = {**START, "certificate_number": SEED_ID[:-1] + "0"}
    response = client.post("/filings/start/", {"service_code": code, **bad})
    assert response.context["start_form"].errors["certificate_number"]
    assert not Application.objects.exists()


def test_start_explains_an_add_website_for_a_subject_filed_here(
    client, applicant, hosting_owner, staff
):
    drive_to(_seed(applicant, hosting_owner), staff)
    code = make_code(hosting_owner, ip="203.0.113.11")
    client.force_login(applicant)
    response = client.post(
        "/filings/start/",
        {"service_code": code, **START, "domains": "zhangwei-photos.cn"},
        follow=True,
    )
    text = response.content.decode()
    assert "该主体已在本接入商备案" in text and "新增网站" in text


# ---- filling in ------------------------------------------------------------------------


def test_subject_step_refuses_a_mobile_from_another_province(client, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    client.force_login(applicant)
    response = client.get(f"/filings/{app.number}/subject/")
    assert "负责人手机号码须为本省号码" in response.content.decode()
    data = {
        "name": "张伟",
        "certificate_address": "江苏省苏州市姑苏区人民路100号",
        "city": "320500",
        "county": "320508",
        "mailing_address": "江苏省苏州市姑苏区人民路100号3幢201室",
        "p_name": "张伟",
        "p_certificate_type": "resident_id",
        "p_certificate_number": SEED_ID,
        "p_mobile": "13800138000",
        "p_email": "zhang.wei@example.cn",
    }
    response = client.post(f"/filings/{app.number}/subject/", data)
    assert "江苏" in response.context["form"].errors["p_mobile"][0]
    response = client.post(f"/filings/{app.number}/subject/", {**data, "p_mobile": "13962100000"})
    assert response.status_code == 302
    app.subject.refresh_from_db()
    assert app.subject.principal.mobile == "13962100000"


def test_website_step_checks_the_name_for_the_subject_type(client, applicant, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    website = app.websites.get()
    client.force_login(applicant)
    data = {
        "name": "张伟科技有限公司",
        "domains": "zhangwei-notes.cn",
        "home_url": "http://www.zhangwei-notes.cn",
        "service_content": "blog",
        "languages": ["zh_hans", "en"],
        "same_as_subject": "on",
    }
    response = client.post(f"/filings/{app.number}/websites/{website.pk}/", data)
    assert response.context["form"].errors["name"]
    response = client.post(
        f"/filings/{app.number}/websites/{website.pk}/", {**data, "name": "张伟的读书笔记"}
    )
    assert response.status_code == 302
    website.refresh_from_db()
    assert website.name == "张伟的读书笔记"
    assert website.languages == ["zh_hans", "en"]  # sent as Yylb


def test_submit_of_an_incomplete_filing_lists_each_problem_with_a_link(
    client, applicant, hosting_owner
):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    client.force_login(applicant)
    response = client.post(f"/filings/{app.number}/submit/")
    assert response.status_code == 422
    problems = response.context["problems"]
    assert any(p["field"] == "subject.mailing_address" for p in problems)
    assert any("/subject/?check=1" in p["url"] for p in problems)
    app.refresh_from_db()
    assert app.state == S.DRAFT
    # The step page shows the same problem next to its field.
    response = client.get(f"/filings/{app.number}/subject/?check=1")
    assert response.context["form"].errors["mailing_address"]


def test_submit_then_the_resolve_page(client, applicant, hosting_owner):
    app = _seed(applicant, hosting_owner)
    client.force_login(applicant)
    response = client.post(f"/filings/{app.number}/submit/")
    assert response["Location"] == f"/filings/{app.number}/resolve/"
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    page = client.get(response["Location"]).content.decode()
    assert "www.zhangwei-notes.cn" in page


def test_resolve_check_asks_the_configured_resolver(client, applicant, hosting_owner, settings):
    app = _seed(applicant, hosting_owner)
    client.force_login(applicant)
    with LoopbackDns() as dns:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": dns.address}
        dns.records["www.zhangwei-notes.cn"] = "192.0.2.7"
        data = client.get(f"/filings/{app.number}/resolve.json").json()
        assert data["any_resolves"] is True
        by_name = {d["name"]: d for d in data["domains"]}
        assert by_name["www.zhangwei-notes.cn"]["addresses"] == ["192.0.2.7"]
        assert by_name["zhangwei-notes.cn"]["resolves"] is False
        dns.records.clear()
        data = client.get(f"/filings/{app.number}/resolve.json").json()
        assert data["any_resolves"] is False and data["any_unknown"] is False


def test_resolve_check_says_when_it_cannot_check(client, applicant, hosting_owner, settings):
    """A resolver that refuses (the demo's responder, for a name outside its zone) is
    "cannot check", not "does not resolve"."""
    app = _seed(applicant, hosting_owner)
    client.force_login(applicant)
    responder = ZoneResponder(zones=set(), records={})
    thread = threading.Thread(target=responder.serve_forever, daemon=True)
    thread.start()
    try:
        settings.BEIAN = {**settings.BEIAN, "DNS_RESOLVER": responder.address}
        data = client.get(f"/filings/{app.number}/resolve.json").json()
    finally:
        responder.stop()
        thread.join(timeout=2)
    assert data["any_resolves"] is False and data["any_unknown"] is True
    assert {d["resolves"] for d in data["domains"]} == {None}
    page = client.get(f"/filings/{app.number}/resolve/").content.decode()
    assert "暂时无法确认已停止解析" in page


def test_a_return_shows_each_reason_against_its_field_and_keeps_the_history(
    client, applicant, hosting_owner, staff
):
    app = _seed(applicant, hosting_owner)
    app = workflow.fire(app, "submit", actor=applicant)
    app = workflow.fire(
        app,
        "return_to_applicant",
        actor=staff["reviewer"],
        data={"reasons": [{"field": "websites.0.name", "text": "网站名称过于宽泛"}]},
    )
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/")
    assert [r.text for r in page.context["reasons"]] == ["网站名称过于宽泛"]
    website = app.websites.get()
    form = client.get(f"/filings/{app.number}/websites/{website.pk}/").context["form"]
    assert form.errors["name"] == ["网站名称过于宽泛"]
    response = client.post(f"/filings/{app.number}/submit/")
    assert response.status_code == 302
    page = client.get(f"/filings/{app.number}/")
    whats = [row["what"] for row in page.context["timeline"]]
    assert whats[:4] == ["创建备案订单", "提交初审", "初审退回", "修改后重新提交"]
    assert page.context["deadline"]["working_days_left"] >= 0
    assert page.context["all_reasons"][0].text == "网站名称过于宽泛"


def test_photo_backdrop_then_tracking_then_upload(client, applicant, hosting_owner, staff):
    from testing import photo_upload

    app = drive_to(_seed(applicant, hosting_owner), staff, S.VERIFYING)
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/photo/").content.decode()
    assert "苏州姑苏核验点" in page and "9:00–18:00" in page
    response = client.post(f"/filings/{app.number}/photo/", {"action": "backdrop"})
    assert response.context["backdrop_form"].errors["shipping_address"]
    client.post(
        f"/filings/{app.number}/photo/",
        {"action": "backdrop", "shipping_address": "江苏省苏州市姑苏区人民路100号"},
    )
    workflow.fire(
        app,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF1"},
    )
    assert "SF1" in client.get(f"/filings/{app.number}/photo/").content.decode()
    small = photo_upload(400, 300)
    response = client.post(f"/filings/{app.number}/photo/", {"action": "photo", "photo": small})
    assert "800×600" in response.context["photo_form"].errors["photo"][0]
    client.post(f"/filings/{app.number}/photo/", {"action": "photo", "photo": photo_upload()})
    app.refresh_from_db()
    assert app.photo_state == "photo_uploaded"


def test_choose_a_verification_point(client, applicant, hosting_owner, staff):
    app = drive_to(_seed(applicant, hosting_owner), staff, S.VERIFYING)
    client.force_login(applicant)
    client.post(
        f"/filings/{app.number}/photo/",
        {"action": "point", "verification_point": "苏州姑苏核验点"},
    )
    page = client.get(f"/filings/{app.number}/photo/").content.decode()
    assert "人民路100号1楼" in page and app.number in page


def test_sms_step_links_to_the_administrations_page(
    client, applicant, hosting_owner, staff, settings
):
    settings.BEIAN = {**settings.BEIAN, "AUTHORITY_SMS_URL": "http://127.0.0.1:8199/sms/"}
    app = drive_to(_seed(applicant, hosting_owner), staff, S.SMS_VERIFICATION)
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/").content.decode()
    assert f'href="http://127.0.0.1:8199/sms/?order={app.number}"' in page


def test_approved_shows_the_numbers_footer_and_public_security(
    client, applicant, hosting_owner, staff
):
    app = drive_to(_seed(applicant, hosting_owner), staff)
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/")
    website = app.websites.get()
    website.refresh_from_db()
    footer = page.context["footers"][0]
    assert footer["number"] == website.icp_number and website.icp_number.endswith("-1")
    assert 'href="https://beian.miit.gov.cn/"' in footer["html"]
    assert "30 日内" in page.content.decode()


def test_guangdong_footer_shows_the_subject_number(client, applicant, hosting_owner, staff):
    app = services.start_application(
        account=applicant,
        service_code=make_code(hosting_owner),
        nature="individual",
        certificate_type="resident_id",
        certificate_number=SEED_ID,
        province="440000",
        domains=["zhangwei-notes.cn"],
        subject_name="张伟",
    )
    app = drive_to(fill_seed_filing(app, applicant), staff)
    client.force_login(applicant)
    footer = client.get(f"/filings/{app.number}/").context["footers"][0]
    app.subject.refresh_from_db()
    assert footer["number"] == app.subject.icp_number and "-" not in footer["number"]


def test_later_filing_refuses_cancelling_the_last_website_and_opens_a_change(
    client, applicant, hosting_owner, staff
):
    app = drive_to(_seed(applicant, hosting_owner), staff)
    subject, website = app.subject, app.websites.get()
    client.force_login(applicant)
    url = f"/filings/records/{subject.pk}/"
    pw = FILING_PASSWORD
    response = client.post(
        url,
        {
            "filing_type": "cancel_website",
            "websites": [str(website.pk)],
            "confirm": "on",
            "cancel_reason": "website_closed",
            "filing_password": pw,
        },
    )
    assert "注销最后一个网站" in response.content.decode()
    response = client.post(url, {"filing_type": "cancel_subject", "filing_password": pw})
    assert response.context["form"].errors["confirm"]
    # A cancellation says why (注销理由, sent as Zxly).
    assert response.context["form"].errors["cancel_reason"]
    response = client.post(url, {"filing_type": "change_subject", "mailing_address": "新地址1号"})
    assert response.context["form"].errors["filing_password"]  # the filing password is asked for
    response = client.post(
        url,
        {"filing_type": "change_subject", "mailing_address": "新地址1号", "filing_password": pw},
    )
    later = Application.objects.get(filing_type="change_subject")
    assert response["Location"] == f"/filings/{later.number}/"
    assert later.changes == {"subject": {"mailing_address": "新地址1号"}}


def test_inbox_shows_each_message_once_with_its_channels(client, applicant, hosting_owner):
    app = _seed(applicant, hosting_owner)
    workflow.fire(app, "submit", actor=applicant)
    client.force_login(applicant)
    entries = client.get("/filings/inbox/").context["entries"]
    received = [e for e in entries if e["message"].template == "application_received"]
    assert len(received) == 1 and len(received[0]["channels"]) >= 2
    assert received[0]["message"].channel == "inbox"


# ---- another applicant ----------------------------------------------------------------------


def test_another_applicant_can_never_see_or_change_this_filing(
    client, applicant, hosting_owner, staff
):
    app = _seed(applicant, hosting_owner)
    website = app.websites.get()
    workflow.fire(app, "submit", actor=applicant)
    other = make_user("lisi")
    client.force_login(other)
    base = f"/filings/{app.number}"
    for url in (
        f"{base}/",
        f"{base}/subject/",
        f"{base}/websites/{website.pk}/",
        f"{base}/remarks/",
        f"{base}/submit/",
        f"{base}/resolve/",
        f"{base}/resolve.json",
        f"{base}/photo/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "李四", "action": "backdrop"}).status_code == 404, url
    assert client.post(f"{base}/do/withdraw/").status_code == 404
    assert client.get(f"/filings/records/{app.subject.pk}/").status_code == 404
    assert app.number not in client.get("/filings/").content.decode()
    assert not client.get("/filings/inbox/").context["entries"]
    app.refresh_from_db()
    assert app.state == S.SUBMITTED and app.websites.get().name == "张伟的读书笔记"


@pytest.mark.parametrize("how", ["revoked", "unknown"])
def test_a_code_refused_at_step_two_keeps_what_was_typed_and_asks_for_another(
    client, applicant, hosting_owner, how
):
    code = make_code(hosting_owner)
    client.force_login(applicant)
    client.post("/filings/start/", {"step": "code", "service_code": code})
    if how == "revoked":  # the owner revoked it while the applicant typed
        revoke_service_code(code=FilingServiceCode.objects.get(code=code), actor=hosting_owner)
        sent = code
    else:  # the hidden field was altered
        sent = "NOSUCHCODE000000"
    response = client.post("/filings/start/", {"service_code": sent, **START})
    page = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    form = response.context["start_form"]
    assert form is not None and form["service_code"].errors
    assert not form["service_code"].is_hidden  # a field to type another code into
    for name in ("subject_name", "certificate_number", "domains"):
        assert form[name].value() == START[name], name
    assert 'id="id_service_code_error"' in page and response.context["server"] is None
    # Another code, and the same data, opens the filing.
    server = FilingServiceCode.objects.get(code=code).server
    fresh = issue_service_code(server=server, actor=hosting_owner).code
    client.post("/filings/start/", {"service_code": fresh, **START}, follow=True)
    assert Application.objects.filter(account=applicant).count() == 1
