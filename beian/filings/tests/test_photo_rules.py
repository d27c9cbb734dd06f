"""The photo rules (background, no hat or glasses, size) are on the photo page
wherever the photo is taken or uploaded, with the size from the settings."""

import re

import pytest

from beian.filings import workflow
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifying(applicant, hosting_owner, staff):
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    return drive_to(app, staff, S.VERIFYING)


def rules_card(page: str) -> str:
    found = re.search(r'<section class="card" id="photo-rules".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_the_rules_are_shown_before_choosing_and_where_the_photo_is_uploaded(
    client, applicant, staff, verifying, settings
):
    settings.BEIAN = {**settings.BEIAN, "MIN_PHOTO_WIDTH": 1024, "MIN_PHOTO_HEIGHT": 768}
    client.force_login(applicant)
    card = rules_card(client.get(f"/filings/{verifying.number}/photo/").content.decode())
    for words in ("幕布", "不戴帽子", "不戴眼镜", "1024×768", "5 MB"):
        assert words in card, words
    client.post(
        f"/filings/{verifying.number}/photo/",
        {"action": "backdrop", "shipping_address": "江苏省苏州市姑苏区人民路100号"},
    )
    workflow.fire(
        verifying,
        "ship_backdrop",
        actor=staff["mailroom"],
        data={"courier": "顺丰", "tracking_number": "SF1"},
    )
    page = client.get(f"/filings/{verifying.number}/photo/").content.decode()
    assert 'name="photo"' in page and "不戴眼镜" in rules_card(page)
    assert "至少 1024×768）" in page  # the upload field's own label, from the same settings
    assert page.index('id="photo-rules"') < page.index('name="photo"')


def test_the_rules_stay_with_a_chosen_verification_point(client, applicant, verifying):
    client.force_login(applicant)
    client.post(
        f"/filings/{verifying.number}/photo/",
        {"action": "point", "verification_point": "苏州姑苏核验点"},
    )
    page = client.get(f"/filings/{verifying.number}/photo/").content.decode()
    assert 'id="chosen-point"' in page and "不戴帽子" in rules_card(page)


def test_the_rules_in_english(client, applicant, verifying):
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    card = rules_card(client.get(f"/filings/{verifying.number}/photo/").content.decode())
    assert "No hat and no glasses" in card and "800×600 pixels" in card
