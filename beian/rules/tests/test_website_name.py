import pytest

from beian.rules.checks import check_website_name
from beian.rules.provinces import rules_for


def codes(name, subject_type="individual", **kwargs):
    return check_website_name(name, subject_type, **kwargs).error_codes


def test_good_individual_name():
    result = check_website_name("张三的读书笔记", "individual")
    assert result.ok and not result.warnings


def test_good_organisation_name():
    assert check_website_name("苏州某某科技有限公司官网", "organization").ok


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("读书", "website_name_too_short"),
        ("12345", "website_name_digits_only"),
        ("MyBlogSite", "website_name_latin_only"),
        ("abc 123", "website_name_latin_only"),
        ("读书笔记.com", "website_name_is_domain"),
        ("读书@笔记", "website_name_symbols"),
    ],
)
def test_national_form_rules(name, code):
    assert code in codes(name, "organization")


@pytest.mark.parametrize("word", ["中国", "中华", "中央", "国家", "人民", "人大"])
def test_state_words_refused_for_non_state_filers(word):
    assert codes(f"{word}读书笔记", "organization") == ["website_name_state_word"]


def test_state_words_allowed_for_state_bodies():
    assert codes("国家读书笔记", "organization", state_body=True) == []


@pytest.mark.parametrize("word", ["公司", "企业", "中心", "工作室", "平台", "门户", "官网"])
def test_enterprise_words_refused_for_individuals_only(word):
    assert codes(f"张三{word}笔记") == ["website_name_enterprise_word"]
    assert "website_name_enterprise_word" not in codes(f"张三{word}笔记", "organization")


@pytest.mark.parametrize("word", ["论坛", "社区", "博客"])
def test_preapproval_words_refused_for_individuals(word):
    assert codes(f"张三读书{word}") == ["website_name_preapproval_word"]


def test_discouraged_words_warn_individuals():
    result = check_website_name("张三的技术笔记", "individual")
    assert result.ok
    assert result.warning_codes == ["website_name_discouraged_word"]


def test_province_word_lists():
    assert codes("张三的读书导航页", rules=rules_for("豫")) == ["website_name_banned_word"]
    assert codes("张三的读书导航页", "organization", rules=rules_for("豫")) == []


def test_full_width_input_is_normalized():
    result = check_website_name("　张三的读书笔记　", "individual")
    assert result.normalized == "张三的读书笔记"
