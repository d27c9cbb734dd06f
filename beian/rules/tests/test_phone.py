import pytest

from beian.rules.checks import check_phone
from beian.rules.checks.phone import province_of_region
from beian.rules.provinces import rules_for

BEIJING = "13800138000"
JIANGSU = "18912345678"  # 江苏省常州市


@pytest.mark.parametrize("value", [JIANGSU, "+86 189 1234 5678", "189-1234-5678", "8618912345678"])
def test_valid_mobile_is_normalized_to_11_digits(value):
    result = check_phone(value)
    assert result.ok
    assert result.normalized == JIANGSU
    assert result.facts["province"] == "320000"


def test_beijing_number_maps_to_beijing():
    assert check_phone(BEIJING).facts["province"] == "110000"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "phone_invalid"),
        ("abc", "phone_invalid"),
        ("+1 650 253 0000", "phone_not_mainland"),
        ("025-83123456", "phone_not_mobile"),
    ],
)
def test_invalid_numbers(value, code):
    assert check_phone(value).error_codes == [code]


def test_province_requiring_local_phone_refuses_other_provinces():
    result = check_phone(BEIJING, rules_for("苏"))
    assert result.error_codes == ["phone_not_local"]
    assert "江苏省" in result.errors[0]["message"]


def test_local_phone_passes_in_jiangsu():
    result = check_phone(JIANGSU, rules_for("苏"))
    assert result.ok and not result.warnings


def test_other_provinces_only_warn():
    result = check_phone(BEIJING, rules_for("粤"))
    assert result.ok
    assert result.warning_codes == ["phone_other_province"]


def test_unknown_home_region_is_a_warning_where_local_is_required():
    result = check_phone("17012345678", rules_for("苏"))
    assert result.ok
    assert result.facts["province"] is None
    assert result.warning_codes == ["phone_region_unknown"]


@pytest.mark.parametrize(
    ("description", "code"),
    [
        ("江苏省常州市", "320000"),
        ("北京市", "110000"),
        ("广西南宁市", "450000"),
        ("内蒙古呼和浩特市", "150000"),
        ("陕西省西安市", "610000"),
        ("山西省太原市", "140000"),
        ("中国", None),
    ],
)
def test_geocoder_descriptions_map_to_provinces(description, code):
    found = province_of_region(description)
    assert (found.code if found else None) == code
