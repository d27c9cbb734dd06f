"""Where the signed originals go (settings.BEIAN ORIGINALS_*, from BEIAN_ORIGINALS_*
variables): on the materials page, in both printed forms and in the e-mail that asks
for the originals, from the one setting."""

import pytest

from beian.notify.models import Message
from testing import drive_to, upload_required_materials

from .test_pdf import squeeze, text_of

pytestmark = pytest.mark.django_db

TO = {
    "ORIGINALS_RECIPIENT": "示例云备案中心 王收件",
    "ORIGINALS_ADDRESS": "浙江省杭州市西湖区文三路90号8楼",
    "ORIGINALS_PHONE": "0571-88886666",
}


@pytest.fixture
def mail_to(settings):
    settings.BEIAN = {**settings.BEIAN, **TO}


def test_the_materials_page_shows_where_to_mail_the_originals(client, applicant, seed_app, mail_to):
    client.force_login(applicant)
    page = client.get(f"/materials/{seed_app.number}/").content.decode()
    for value in TO.values():
        assert value in page
    assert 'id="mail-originals"' in page
    assert "网站备案信息真实性核验单 × 3" in page  # Jiangsu: three originals each


@pytest.mark.parametrize("form", ["verification-form", "security-agreement"])
def test_both_printed_forms_carry_the_address(client, applicant, seed_app, mail_to, form):
    client.force_login(applicant)
    response = client.get(f"/materials/{seed_app.number}/forms/{form}.pdf")
    text = squeeze(text_of(response.content))
    for value in TO.values():
        assert squeeze(value) in text, value


def test_the_e_mail_asking_for_the_originals_names_the_address(applicant, seed_app, staff, mail_to):
    upload_required_materials(seed_app, applicant)
    drive_to(seed_app, staff, "verifying")
    mail = Message.objects.get(template="initial_review_passed", channel="email")
    for value in TO.values():
        assert value in mail.body
    assert seed_app.number in mail.body
    assert "{{" not in mail.body and "{%" not in mail.body
