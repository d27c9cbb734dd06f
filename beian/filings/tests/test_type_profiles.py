"""Which filing types do what: one answer, the fields of states.PROFILES."""

from beian.filings import approval
from beian.filings.states import PROFILES, types_where
from beian.filings.states import FilingType as T

NEW_HOSTING = {T.FIRST_FILING, T.ADD_WEBSITE_HERE, T.ADD_WEBSITE_ELSEWHERE, T.ADD_ACCESS}


def test_every_filing_type_has_a_profile():
    assert set(PROFILES) == set(T)


def test_the_sets_that_were_written_by_hand_come_from_the_profiles():
    assert approval.CREATES_SUBJECT == {T.FIRST_FILING}
    assert approval.OPENS_ACCESS == NEW_HOSTING
    assert types_where("opens_access", False) == set(T) - NEW_HOSTING
    assert types_where("changes_records") == {T.CHANGE_SUBJECT, T.CHANGE_WEBSITE, T.CHANGE_ACCESS}
    assert types_where("needs_open_access") == {T.CHANGE_ACCESS, T.CANCEL_ACCESS}
