import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beian.rules.checks import check_id_card
from beian.rules.provinces import rules_for

from .strategies import valid_id_numbers


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(2026, 6, 1, 12)


@pytest.mark.parametrize(
    ("number", "birth", "sex", "province"),
    [
        ("11010519491231002X", "1949-12-31", "female", "110000"),
        ("440524188001010014", "1880-01-01", "male", "440000"),
    ],
)
def test_standard_vectors_pass(number, birth, sex, province):
    result = check_id_card(number)
    assert result.ok, result.errors
    assert result.facts["birth_date"] == birth
    assert result.facts["sex"] == sex
    assert result.facts["province"] == province


def test_normalizes_lower_case_x_and_spaces():
    result = check_id_card(" 110105 19491231 002x ")
    assert result.ok
    assert result.normalized == "11010519491231002X"


def test_area_name_is_a_fact():
    assert check_id_card("11010519491231002X").facts["area"] == "北京市朝阳区"


def test_very_old_birth_date_is_a_warning():
    result = check_id_card("440524188001010014")
    assert result.warning_codes == ["id_card_implausible_age"]


@pytest.mark.parametrize(
    "number", ["11010519491231002", "1101051949123100X2", "110105194912310021X"]
)
def test_wrong_length_or_characters(number):
    assert check_id_card(number).error_codes == ["id_card_format"]


def test_wrong_check_character():
    assert check_id_card("110105194912310021").error_codes == ["id_card_checksum"]


def with_check(first17: str) -> str:
    from beian.rules.checks.id_card import check_char

    return first17 + check_char(first17)


def test_impossible_birth_date():
    assert check_id_card(with_check("11010519490231002")).error_codes == ["id_card_birth_date"]


def test_birth_date_in_the_future():
    assert check_id_card(with_check("11010520300101002")).error_codes == [
        "id_card_birth_date_future"
    ]


@pytest.mark.parametrize("prefix", ["81", "82", "71", "99", "00"])
def test_hong_kong_macao_taiwan_and_unknown_provinces_are_refused(prefix):
    assert check_id_card(with_check(prefix + "010519900101002")).error_codes == ["id_card_area"]


def test_unknown_area_inside_a_known_province_is_a_warning():
    result = check_id_card(with_check("11999919900101002"))
    assert result.ok
    assert result.warning_codes == ["id_card_area_unrecognised"]


def test_under_18_is_refused_by_default():
    result = check_id_card(with_check("32050620100101002"))  # 16 in 2026
    assert result.error_codes == ["id_card_underage"]


def test_jiangsu_accepts_16_with_a_warning():
    result = check_id_card(with_check("32050620100101002"), rules_for("苏"), "individual")
    assert result.ok
    assert result.warning_codes == ["id_card_minor_needs_proof"]


def test_jiangsu_still_refuses_15():
    result = check_id_card(with_check("32050620110101002"), rules_for("苏"), "individual")
    assert result.error_codes == ["id_card_underage"]


def test_shanghai_accepts_minors_with_a_guardian():
    result = check_id_card(with_check("31010120120101002"), rules_for("沪"), "individual")
    assert result.ok
    assert result.warning_codes == ["id_card_minor_needs_guardian"]


def test_local_id_only_province_refuses_other_ids_for_individuals():
    result = check_id_card("11010519491231002X", rules_for("豫"), "individual")
    assert result.error_codes == ["id_card_not_local"]


def test_local_id_only_does_not_bind_organisations():
    assert check_id_card("11010519491231002X", rules_for("豫"), "organization").ok


def test_local_id_only_without_subject_type_is_a_warning():
    result = check_id_card("11010519491231002X", rules_for("豫"))
    assert result.ok
    assert result.warning_codes == ["id_card_local_only_individuals"]


def test_residence_permit_province_warns_non_locals():
    result = check_id_card("11010519491231002X", rules_for("江苏省"), "individual")
    assert result.ok
    assert result.warning_codes == ["id_card_residence_permit"]


def test_local_id_passes_silently():
    result = check_id_card(with_check("41010219900101002"), rules_for("410000"), "individual")
    assert result.ok and not result.warnings


@settings(max_examples=200, deadline=None)
@given(valid_id_numbers())
def test_generated_ids_always_pass(number):
    result = check_id_card(number)
    assert result.ok, (number, result.errors)
    assert not result.warnings


@settings(max_examples=200, deadline=None)
@given(valid_id_numbers(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_fails_the_checksum(number, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    assert check_id_card(changed).error_codes == ["id_card_checksum"]


def test_full_width_digits_are_normalized_and_other_digits_refused():
    assert check_id_card("１１０１０５１９４９１２３１００２Ｘ").normalized == "11010519491231002X"
    assert check_id_card("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X").error_codes == ["id_card_format"]
