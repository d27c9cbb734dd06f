import pytest

from beian.rules.checks import check_icp_number


def test_old_subject_number():
    result = check_icp_number("苏ICP备14012345号")
    assert result.ok
    assert result.facts["province"] == "320000"
    assert result.facts["subject_number"] == "苏ICP备14012345号"
    assert result.facts["website_index"] is None


def test_new_website_number():
    result = check_icp_number("粤ICP备2023007649号-1")
    assert result.ok
    assert result.facts["province"] == "440000"
    assert result.facts["subject_number"] == "粤ICP备2023007649号"
    assert result.facts["website_index"] == 1
    assert result.facts["year"] == 2023


@pytest.mark.parametrize(
    ("number", "province"),
    [
        ("蜀ICP备2023023736号-3", "510000"),
        ("川ICP备2023023736号-3", "510000"),
        ("黔ICP备12345678号", "520000"),
        ("贵ICP备12345678号", "520000"),
        ("滇ICP备12345678号", "530000"),
        ("云ICP备12345678号", "530000"),
        ("陇ICP备12345678号", "620000"),
        ("甘ICP备12345678号", "620000"),
        ("京ICP备11018762号-11", "110000"),
    ],
)
def test_both_abbreviation_forms(number, province):
    assert check_icp_number(number).facts["province"] == province


def test_app_suffix():
    result = check_icp_number("沪ICP备2025152989号-1A")
    assert result.ok and result.facts["service_kind"] == "app"


def test_full_width_and_spaces_are_normalized():
    result = check_icp_number(" 粤ＩＣＰ备２０２３００７６４９号－１ ")
    assert result.ok
    assert result.normalized == "粤ICP备2023007649号-1"


@pytest.mark.parametrize(
    "number",
    [
        "港ICP备12345678号",
        "苏ICP备1401234号",
        "苏ICP备140123456号",
        "苏ICP证14012345号",
        "苏ICP备14012345",
        "苏ICP备14012345号-0",
        "苏ICP备14012345号-",
        "ICP备14012345号",
    ],
)
def test_invalid_numbers(number):
    assert check_icp_number(number).error_codes == ["icp_number_invalid"]


def test_future_year_is_refused(clock):
    clock.set(2026, 6, 1)
    assert check_icp_number("苏ICP备2027012345号").error_codes == ["icp_number_year"]
    assert check_icp_number("苏ICP备2026012345号").ok
