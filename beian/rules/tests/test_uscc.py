import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beian.rules.checks import check_uscc
from beian.rules.checks.uscc import CHARSET, check_char

from .strategies import valid_usccs


def test_standard_example_passes_with_facts():
    result = check_uscc("91350100M000100Y43")
    assert result.ok and not result.warnings
    assert result.facts["registration_authority"] == "9"
    assert result.facts["category_name"] == "企业"
    assert result.facts["region_code"] == "350100"
    assert result.facts["province"] == "350000"
    assert result.facts["region"] == "福建省福州市"


def test_normalizes_case_and_spaces():
    assert check_uscc(" 91350100m000100y43 ").normalized == "91350100M000100Y43"


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y4", "91350100M000100Y433", "91350100M000100I43", "913501A0M000100Y43"],
)
def test_bad_format(code):
    assert check_uscc(code).error_codes == ["uscc_format"]


def test_wrong_check_character():
    assert check_uscc("91350100M000100Y44").error_codes == ["uscc_checksum"]


def test_unknown_registration_authority():
    first17 = "B1350100M000100Y4"
    assert check_uscc(first17 + check_char(first17)).error_codes == ["uscc_authority"]


def test_unusual_category_is_a_warning():
    first17 = "98350100M000100Y4"
    result = check_uscc(first17 + check_char(first17))
    assert result.ok
    assert "uscc_category" in result.warning_codes


def test_unknown_region_is_a_warning():
    first17 = "91990100M000100Y4"
    result = check_uscc(first17 + check_char(first17))
    assert result.ok
    assert result.facts["province"] is None
    assert "uscc_region" in result.warning_codes


def test_broken_inner_organisation_code_is_a_warning():
    first17 = "91350100M000100Y5"
    result = check_uscc(first17 + check_char(first17))
    assert result.ok
    assert result.warning_codes == ["uscc_org_code_checksum"]


@settings(max_examples=200, deadline=None)
@given(valid_usccs())
def test_generated_codes_always_pass(code):
    result = check_uscc(code)
    assert result.ok, (code, result.errors)
    assert not result.warnings


@settings(max_examples=200, deadline=None)
@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_fails_the_checksum(code, position, data):
    alphabet = "0123456789" if 2 <= position <= 7 else CHARSET
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert check_uscc(changed).error_codes == ["uscc_checksum"]
