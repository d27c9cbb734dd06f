"""Province scoping: one rule, `Application.objects.restrict(user)`, and its one-row form."""

import pytest

from beian.filings import workflow
from beian.filings.models import Application
from beian.filings.states import ApplicationState as S
from beian.registry.models import DisplayFinding, DisplayOutcome
from testing import drive_to, fill_seed_filing, make_code, make_user, start_seed_filing

pytestmark = pytest.mark.django_db

JIANGSU, BEIJING = "320000", "110000"


@pytest.fixture
def seed_app(applicant, hosting_owner, clock):
    clock.set(2026, 3, 2, 10)
    app = fill_seed_filing(start_seed_filing(applicant, make_code(hosting_owner)), applicant)
    assert app.province == JIANGSU
    return workflow.fire(app, "submit", actor=applicant)


@pytest.fixture
def users(applicant):
    return {
        "owner": applicant,
        "other_applicant": make_user("lisi"),
        "reviewer_all": make_user("rv-all", "reviewer"),
        "reviewer_js": make_user("rv-js", "reviewer", provinces=[JIANGSU]),
        "reviewer_bj": make_user("rv-bj", "reviewer", provinces=[BEIJING]),
        "authority_js": make_user("au-js", "authority", provinces=[JIANGSU]),
        "hosting_owner": make_user("ho", "hosting_owner"),
    }


def _sees(user, app) -> bool:
    return Application.objects.restrict(user).filter(pk=app.pk).exists()


def test_who_sees_an_application(seed_app, users):
    from django.contrib.auth.models import AnonymousUser

    seen = {name for name, user in users.items() if _sees(user, seed_app)}
    assert seen == {"owner", "reviewer_all", "reviewer_js"}
    assert not _sees(AnonymousUser(), seed_app)
    assert not _sees(None, seed_app)


def test_the_administration_sees_an_application_once_submitted_to_it(seed_app, users, staff):
    app = drive_to(seed_app, staff, S.AUTHORITY_SUBMITTED)
    assert _sees(users["authority_js"], app)
    assert not _sees(make_user("au-bj", "authority", provinces=[BEIJING]), app)


def test_the_one_row_check_agrees_with_the_queryset_for_staff(seed_app, users):
    for name, user in users.items():
        if user.is_provider_staff:
            assert seed_app.in_scope_of(user) == _sees(user, seed_app), name
        else:
            assert not seed_app.in_scope_of(user), name


def test_staff_out_of_scope_cannot_fire_events(seed_app, users):
    from beian.core.errors import Refusal

    with pytest.raises(Refusal) as refused:
        workflow.fire(seed_app, "approve_initial_review", actor=users["reviewer_bj"])
    assert refused.value.code == "out_of_scope"
    assert workflow.fire(seed_app, "approve_initial_review", actor=users["reviewer_js"])


def test_display_findings_are_scoped_by_the_website_subject_province(seed_app, users, clock):
    website = seed_app.websites.first()
    DisplayFinding.objects.create(
        website=website,
        url="http://zhangwei-notes.cn/",
        expected_number="苏ICP备2026000001号-1",
        outcome=DisplayOutcome.MISSING,
        checked_at=clock.now(),
    )
    visible = {
        name
        for name, user in users.items()
        if DisplayFinding.objects.restrict(user).filter(website=website).exists()
    }
    assert visible == {"reviewer_all", "reviewer_js"}
