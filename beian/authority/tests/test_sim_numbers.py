"""The simulator alone issues numbers: records filed as approved before take the next
ones of its counter, and it never issues a number it holds, even with its counter lost."""

import pytest

from beian.authority.existing import file_here
from beian.authority.models import SimSerialCounter, SimSubject
from beian.authority.sim import services as sim
from beian.filings.states import ApplicationState as S
from testing import drive_to, fill_seed_filing, make_code, start_seed_filing

pytestmark = pytest.mark.django_db


def test_filed_before_then_the_counter_continues(clock, applicant, staff, hosting_owner):
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.AUTHORITY_REVIEW)

    (data,) = file_here([app]).values()
    website = app.websites.get()
    assert data["subject_number"] == "苏ICP备2025000001号"
    assert data["website_numbers"] == {str(website.pk): "苏ICP备2025000001号-1"}
    held = SimSubject.objects.get(number=data["subject_number"])
    assert data["subject_record_id"] == held.pk
    assert data["website_record_ids"] == {str(website.pk): held.websites.get().pk}
    assert held.websites.get().data["domains"][0]["name"] == "zhangwei-notes.cn"

    assert sim.next_number("320000") == "苏ICP备2025000002号"
    SimSerialCounter.objects.all().delete()  # the counter lost: still no number twice
    assert sim.next_number("320000") == "苏ICP备2025000002号"
