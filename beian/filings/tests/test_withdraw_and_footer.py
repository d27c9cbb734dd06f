"""Withdrawing asks first and says what it does, then what happened; the footer
snippet has a copy button (shown by the script, the code selectable without it)."""

import pytest

from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(applicant, hosting_owner, staff):
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    return drive_to(app, staff, S.SUBMITTED)


def test_the_withdraw_button_leads_to_a_confirmation_that_says_what_happens(
    client, applicant, submitted
):
    client.force_login(applicant)
    page = client.get(f"/filings/{submitted.number}/").content.decode()
    assert f'href="/filings/{submitted.number}/withdraw/"' in page
    confirm = client.get(f"/filings/{submitted.number}/withdraw/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "不能恢复" in text and "作废" in text and "备案服务号仍归您使用" in text
    assert 'name="confirmed" value="yes"' in text
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_a_post_without_confirmation_does_not_withdraw(client, applicant, submitted):
    client.force_login(applicant)
    response = client.post(f"/filings/{submitted.number}/do/withdraw/")
    assert response["Location"] == f"/filings/{submitted.number}/withdraw/"
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_confirmed_withdrawal_says_what_happened(client, applicant, submitted):
    client.force_login(applicant)
    response = client.post(
        f"/filings/{submitted.number}/do/withdraw/", {"confirmed": "yes"}, follow=True
    )
    submitted.refresh_from_db()
    assert submitted.state == S.WITHDRAWN
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        f"订单 {submitted.number} 已撤回：不会再审核或提交管局，尚未备案的信息已作废。"
        "如需备案，请用同一备案服务号重新发起。"
    ]
    assert submitted.websites.get().status == "cancelled"
    # No second withdrawal: the page says so instead of asking again.
    again = client.get(f"/filings/{submitted.number}/withdraw/", follow=True)
    assert "此订单当前不能撤回" in again.content.decode()


def test_another_applicant_cannot_reach_the_confirmation(client, submitted):
    from testing import make_user

    client.force_login(make_user("lisi"))
    assert client.get(f"/filings/{submitted.number}/withdraw/").status_code == 404


def test_the_footer_snippet_has_a_copy_button(client, applicant, submitted, staff):
    app = drive_to(submitted, staff)
    client.force_login(applicant)
    page = client.get(f"/filings/{app.number}/").content.decode()
    assert 'data-copy="footer-1"' in page and "filings/copy.js" in page
    assert "复制代码" in page and 'id="footer-1" readonly' in page
