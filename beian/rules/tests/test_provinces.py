import pytest

from beian.core.errors import Refusal
from beian.rules.provinces import Caps, all_provinces, resolve_province, rules_for


def test_31_mainland_provinces_with_unique_codes_and_abbreviations():
    provinces = all_provinces()
    assert len(provinces) == 31
    assert len({p.code for p in provinces}) == 31
    abbreviations = [a for p in provinces for a in p.abbreviations]
    assert len(abbreviations) == len(set(abbreviations))


@pytest.mark.parametrize("value", ["苏", "江苏", "江苏省", "320000", "Jiangsu", " 苏 "])
def test_resolve_jiangsu(value):
    assert resolve_province(value) == "320000"


@pytest.mark.parametrize(("value", "code"), [("蜀", "510000"), ("川", "510000"), ("陇", "620000")])
def test_both_abbreviation_forms_resolve(value, code):
    assert resolve_province(value) == code


@pytest.mark.parametrize("value", ["港", "香港", "810000", "台湾", "xx", "", None])
def test_unknown_provinces_are_refused(value):
    with pytest.raises(Refusal) as caught:
        resolve_province(value)
    assert caught.value.code == "province_unknown"
    assert caught.value.field == "province"


def test_every_province_has_rules():
    for p in all_provinces():
        assert rules_for(p.code).province == p


def test_jiangsu_rules():
    rules = rules_for("苏")
    assert rules.phone_must_be_local
    assert rules.residence_permit_for_non_locals
    assert rules.needs_domain_certificates(1)
    assert rules.relaxed_min_age == 16
    assert rules.min_age == 18
    assert rules.verification_form_copies == 3


def test_defaults_apply_where_a_province_says_nothing():
    rules = rules_for("冀")
    assert not rules.phone_must_be_local
    assert rules.min_age == 18
    assert rules.footer_number == "website"
    assert rules.caps_for("individual") == Caps()


def test_caps_merge_one_level_deep():
    henan = rules_for("豫")
    assert henan.caps_for("individual") == Caps(websites=None, domains=3, domains_per_website=1)
    assert henan.caps_for("organization") == Caps()
    assert henan.needs_domain_certificates(5) and not henan.needs_domain_certificates(4)
    assert rules_for("鄂").caps_for("organization") == Caps(websites=1, domains=1)


def test_named_province_rules():
    assert rules_for("粤").footer_number == "subject"
    assert rules_for("沪").min_domain_validity_months == 6
    assert rules_for("浙").residence_permit_for_non_locals
    assert rules_for("京").unique_website_name_per_subject
    assert rules_for("川").subject_principal == "authorisation_letter"
    assert rules_for("黑").needs_emergency_contact("organization")
    assert rules_for("渝").needs_emergency_contact("individual")
    assert not rules_for("渝").needs_emergency_contact("organization")
    assert rules_for("新").fingerprints_on_forms
