"""MIIT SMS rules (5 wrong tries, 24 hours, limited resends) and a rejection with reasons."""

import pytest

from beian.authority import adapter, services
from beian.authority.models import SimRequest, SimSmsChallenge
from beian.authority.sim import services as sim
from beian.authority.sim.services import sms as sim_sms
from beian.filings.models import ReturnReason
from beian.filings.states import ApplicationState as S
from testing import (
    SEED_ID,
    SEED_MOBILE,
    drive_to,
    fill_seed_filing,
    make_code,
    start_seed_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]
TAIL = SEED_ID[-6:]


@pytest.fixture
def in_sms(clock, applicant, staff, hosting_owner, sim_url, authority):
    clock.set(2025, 10, 14, 9)
    app = start_seed_filing(applicant, make_code(hosting_owner))
    fill_seed_filing(app, applicant)
    app = drive_to(app, staff, target=S.READY)
    assert adapter.submit(app, staff["operator"], client=authority).accepted
    services.sync_downloads(authority)
    app.refresh_from_db()
    assert app.state == S.SMS_VERIFICATION
    return app


def test_five_wrong_codes_return_the_filing_to_the_provider(in_sms, authority):
    for _ in range(4):
        with pytest.raises(sim.SmsRefusal, match="还可尝试"):
            sim.verify_sms(SEED_MOBILE, TAIL, "000000")
    with pytest.raises(sim.SmsRefusal, match="错误次数过多"):
        sim.verify_sms(SEED_MOBILE, TAIL, "000000")
    services.sync_downloads(authority)
    in_sms.refresh_from_db()
    assert in_sms.state == S.AUTHORITY_RETURNED
    assert ReturnReason.objects.filter(application=in_sms, source="authority").exists()


def test_silence_for_24_hours_returns_the_filing(in_sms, authority, clock):
    clock.advance(hours=24, minutes=1)
    services.sync_downloads(authority)  # isp_download ticks the simulator's clock
    in_sms.refresh_from_db()
    assert in_sms.state == S.AUTHORITY_RETURNED


def test_resends_are_limited_and_a_wrong_tail_finds_nothing(in_sms):
    sim.resend_sms(SEED_MOBILE, TAIL)
    sim.resend_sms(SEED_MOBILE, TAIL)
    with pytest.raises(sim.SmsRefusal, match="上限"):
        sim.resend_sms(SEED_MOBILE, TAIL)
    assert SimSmsChallenge.objects.get().sends == 3
    with pytest.raises(sim.SmsRefusal, match="没有待核验"):
        sim.verify_sms(SEED_MOBILE, "000000", "123456")


def test_rejection_carries_codes_and_opinion_to_the_applicant(in_sms, authority):
    challenge = SimSmsChallenge.objects.get()
    SimSmsChallenge.objects.filter(pk=challenge.pk).update(
        code_hash=sim_sms._code_hash(challenge.pk, "246810")
    )
    sim.verify_sms(SEED_MOBILE, TAIL, "246810")
    sim.reject(SimRequest.objects.get(), [1020, 1041], "网站名称与内容不符")
    result = services.sync_downloads(authority)
    assert not result.problems
    in_sms.refresh_from_db()
    assert in_sms.state == S.REJECTED
    texts = list(
        ReturnReason.objects.filter(application=in_sms, source="authority").values_list(
            "text", flat=True
        )
    )
    assert any("网站名称冲突" in t and "1020" in t for t in texts)
    assert any("首页URL" in t for t in texts)
    assert any("网站名称与内容不符" in t for t in texts)
