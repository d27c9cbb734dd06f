"""Names, addresses, home page URLs and IDN domains as an attacker types them
(issue 14, finding 8): each refused with a stable code and a message in both
languages."""

from __future__ import annotations

import pytest

from beian.core.errors import message_for
from beian.rules.checks import check_address, check_domain, check_home_url, check_name

CHECKS = {"name": check_name, "address": check_address, "home-url": check_home_url}


def run_check(kind, value):
    return check_domain(value) if kind == "domain" else CHECKS[kind](value)


REFUSED_NAMES = [
    ("张\u0007伟", "text_control_character"),
    ("张伟\x00", "text_control_character"),
    ("张伟\n", "text_control_character"),
    ("\u202e伟张", "text_bidi_control"),
    ("张\u2066伟\u2069", "text_bidi_control"),
    ("张\u200b伟", "text_zero_width"),
    ("张\u200d伟", "text_zero_width"),
    ("\ufeff张伟", "text_zero_width"),
    ("张伟😀", "text_emoji"),
    ("张伟❤️", "text_emoji"),
    ("张伟👍🏽", "text_emoji"),
    ("🇨🇳张伟", "text_emoji"),
]


@pytest.mark.parametrize(("value", "code"), REFUSED_NAMES)
@pytest.mark.parametrize("kind", ["name", "address"])
def test_names_and_addresses_refuse_invisible_and_pictograph_characters(kind, value, code):
    result = run_check(kind, value)
    assert not result.ok and result.error_codes == [code]
    assert result.errors[0]["message"]


@pytest.mark.parametrize(
    "value",
    [
        "张伟",
        "阿依古丽·买买提",  # the middle dot of minority names
        "Zhang Wei",
        "江苏省苏州市姑苏区人民路100号3幢2单元501室",
        "北京市朝阳区建国路８８号（SOHO现代城）Ｂ座",
        "No.5 Road, Room 1-101 #3",
        "温度计厂№2车间",
    ],
)
def test_ordinary_names_and_addresses_pass(value):
    assert run_check("name", value).ok and run_check("address", value).ok


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("javascript:alert(document.cookie)", "url_scheme_not_allowed"),
        ("JavaScript:alert(1)", "url_scheme_not_allowed"),
        ("data:text/html,<script>alert(1)</script>", "url_scheme_not_allowed"),
        ("vbscript:msgbox(1)", "url_scheme_not_allowed"),
        ("ftp://www.example.cn/", "url_scheme_not_allowed"),
        ("www.example.cn", "url_scheme_not_allowed"),
        ("java\tscript:alert(1)", "text_control_character"),
        ("http://", "url_invalid"),
        ("http://user:pw@www.example.cn/", "url_invalid"),
        ("http://www.example.cn:port/", "url_invalid"),
        ("http://www.exa mple.cn/", "url_invalid"),
        ("http://www.example.cn/\u202egpj", "text_bidi_control"),
    ],
)
def test_home_urls_other_than_http_are_refused(value, code):
    result = run_check("home-url", value)
    assert not result.ok and result.error_codes == [code]


@pytest.mark.parametrize(
    "value",
    [
        "http://www.zhangwei-notes.cn",
        "https://blog.example.cn/index.html?a=1",
        "HTTPS://例子.中国/",
    ],
)
def test_http_and_https_home_urls_pass(value):
    assert run_check("home-url", value).ok


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("аpple.cn", "domain_mixed_script"),  # Cyrillic а + Latin
        ("pаypal.com", "domain_mixed_script"),
        ("gοogle.cn", "domain_mixed_script"),  # Greek ο + Latin
        ("аррӏе.com", "domain_confusable"),  # all Cyrillic, reads as "apple"
    ],
)
def test_homoglyph_domains_are_refused(value, code):
    result = run_check("domain", value)
    assert not result.ok and result.error_codes == [code]
    zh, en = (
        message_for(code, "zh-hans", label="x", scripts="y"),
        message_for(code, "en", label="x", scripts="y"),
    )
    assert "冒充" in zh and "imitate" in en


@pytest.mark.parametrize(
    "value",
    ["中文网.cn", "北京2022.com", "qq邮箱.com", "例子.中国", "zhangwei-notes.cn", "мир.com"],
)
def test_single_script_and_latin_with_han_domains_pass(value):
    assert run_check("domain", value).ok, run_check("domain", value).errors


def test_every_new_code_speaks_both_languages():
    codes = [
        "text_control_character",
        "text_bidi_control",
        "text_zero_width",
        "text_emoji",
        "url_scheme_not_allowed",
        "url_invalid",
        "domain_mixed_script",
        "domain_confusable",
    ]
    for code in codes:
        zh, en = message_for(code, "zh-hans"), message_for(code, "en")
        assert zh != code and en != code and zh != en
