"""Add access for a website filed here whose access was cancelled (a shell): the order
acts on the filed records as they are, so it can be submitted without filling the
subject and website in again (issue 13: it was a new empty subject and website with the
same number, refused as incomplete)."""

import pytest

from beian.core.errors import Refusal
from beian.filings import services, workflow
from beian.filings.models import Access, AccessStatus, Subject, Website
from beian.filings.states import ApplicationState as S
from beian.filings.states import FilingType
from testing import (
    FILING_PASSWORD,
    drive_to,
    fill_seed_filing,
    make_code,
    make_user,
    start_seed_filing,
    upload_required_materials,
)

pytestmark = pytest.mark.django_db


def test_add_access_back_to_a_shell_filed_here(applicant, staff, hosting_owner):
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    filed = drive_to(app, staff)
    website = filed.websites.get()
    cancel = services.start_later_filing(
        filing_password=FILING_PASSWORD,
        account=applicant,
        filing_type=FilingType.CANCEL_ACCESS,
        cancel_reason="changed_provider",
        subject=filed.subject,
        websites=[website],
    )
    drive_to(cancel, staff)
    assert not Access.objects.filter(website=website, status=AccessStatus.OPEN).exists()
    subjects, websites = Subject.objects.count(), Website.objects.count()

    other = make_user("lisi", mobile="13962100001")
    with pytest.raises(Refusal) as caught:
        start_seed_filing(
            other, make_code(hosting_owner, ip="203.0.113.61"), domain="zhangwei-notes.cn"
        )
    assert caught.value.code == "subject_other_account"

    back = start_seed_filing(
        applicant, make_code(hosting_owner, ip="203.0.113.60"), domain="zhangwei-notes.cn"
    )
    assert back.filing_type == FilingType.ADD_ACCESS
    assert (back.subject_id, list(back.websites.all())) == (filed.subject_id, [website])
    assert (Subject.objects.count(), Website.objects.count()) == (subjects, websites)
    services.save_filing_password(back, actor=applicant, password=FILING_PASSWORD)
    upload_required_materials(back, applicant)
    back = workflow.fire(back, "submit", actor=applicant)
    assert back.state == S.SUBMITTED
    back = drive_to(back, staff)
    assert Access.objects.get(website=website, server=back.service_code.server).status == (
        AccessStatus.OPEN
    )
