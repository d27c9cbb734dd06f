"""The one home of the ICP number format: parse, format, indexes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian.rules import icp
from beian.rules.provinces import all_provinces

PROVINCES = [p.code for p in all_provinces()]


def test_parse_a_website_number():
    number = icp.parse("粤ICP备2023007649号-1")
    assert number == icp.IcpNumber("粤", "440000", "2023007649", 1, "website")
    assert number.year == 2023
    assert number.subject_number == "粤ICP备2023007649号"
    assert not number.is_subject_number
    assert str(number) == "粤ICP备2023007649号-1"


def test_parse_a_subject_number_of_the_old_form():
    number = icp.parse("苏ICP备14012345号")
    assert number.is_subject_number and number.year is None and number.kind is None
    assert str(number) == "苏ICP备14012345号"


def test_parse_normalises_what_people_paste():
    assert str(icp.parse(" 粤ＩＣＰ备２０２３００７６４９号－１ ")) == "粤ICP备2023007649号-1"
    assert str(icp.parse("苏icp备14012345号—2")) == "苏ICP备14012345号-2"


@pytest.mark.parametrize(
    "text", ["", None, "苏ICP备1401234号", "港ICP备12345678号", "苏ICP备14012345号-0", "x"]
)
def test_not_a_number(text):
    assert icp.parse(text) is None


@given(
    st.sampled_from(PROVINCES),
    st.integers(2000, 2099),
    st.integers(0, 999_999),
    st.integers(1, 500),
)
def test_what_the_allocators_format_parses_back(province, year, serial, index):
    subject = icp.subject_number(province, year, serial)
    parsed = icp.parse(subject)
    assert (parsed.province, parsed.year, parsed.serial) == (province, year, f"{year}{serial:06d}")
    website = icp.website_number(subject, index)
    assert icp.website_index(website) == index
    assert icp.subject_part(website) == subject == icp.subject_part(subject)


def test_website_index_counts_websites_only():
    assert icp.website_index("沪ICP备2025152989号-3") == 3
    assert icp.website_index("沪ICP备2025152989号-1A") is None  # an app: its own sequence
    assert icp.website_index("沪ICP备2025152989号-1X") is None
    assert icp.website_index("沪ICP备2025152989号") is None
    assert icp.website_index(None) is None
    assert str(icp.parse("沪ICP备2025152989号-1A")) == "沪ICP备2025152989号-1A"


def test_loose_pattern_finds_wrong_numbers_too():
    text = "页脚 苏ICP备123号-1 和 粤ICP备2023007649号"
    assert icp.LOOSE_PATTERN.findall(text) == ["苏ICP备123号-1", "粤ICP备2023007649号"]
