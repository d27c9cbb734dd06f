"""Hypothesis strategies that build valid resident IDs and USCCs from first principles."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from beian.rules import areas
from beian.rules.checks import id_card, uscc
from beian.rules.provinces import all_provinces

MAINLAND = {p.code[:2] for p in all_provinces()}
AREA_CODES = sorted(
    code for code in areas.divisions() if code[:2] in MAINLAND and not code.endswith("0000")
)


@st.composite
def valid_id_numbers(draw) -> str:
    area = draw(st.sampled_from(AREA_CODES))
    # Adults well inside every province's age rule, and younger than the implausible age.
    birth = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2000, 12, 31)))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_card.check_char(first17)


@st.composite
def valid_usccs(draw) -> str:
    authority = draw(st.sampled_from(sorted(uscc.AUTHORITIES)))
    category = draw(st.sampled_from(sorted(uscc.AUTHORITIES[authority][1])))
    region = draw(st.sampled_from(AREA_CODES))
    org8 = "".join(draw(st.lists(st.sampled_from(uscc.CHARSET), min_size=8, max_size=8)))
    first17 = authority + category + region + org8 + uscc.org_code_check_char(org8)
    return first17 + uscc.check_char(first17)
