"""The detector of internal values the page walk uses (testing/readable.py) finds each
kind the issue names, and leaves what a person should read alone."""

import pytest

from testing.readable import internal_values, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, found",
    [
        ("服务内容：blog", ["blog"]),
        ("省份 320000", ["320000"]),
        ("问题：websites.0.domains", ["websites.0.domains"]),
        ("操作 material_uploaded", ["material_uploaded"]),
        ("原因：{detail}", ["{detail}"]),
        ("状态 first_filing → submitted", ["first_filing", "submitted"]),
        ("前置审批：None", ["None"]),
    ],
)
def test_each_kind_of_internal_value_is_found(text, found):
    assert internal_values(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "苏ICP备2026000001号-1 · zhangwei-notes.cn · 203.0.113.10 · 邮编 215000",
        "初审员 reviewer 认领",  # a login name that equals a role
        "审核通过日期 2026-03-03 · 15190000000 · zw@example.cn",
    ],
)
def test_what_a_person_should_read_passes(text):
    assert internal_values(text) == []


def test_in_english_only_snake_case_codes_are_suspect():
    assert internal_values("Status: Draft, other, None", english=True) == []
    assert internal_values("Status: first_filing", english=True) == ["first_filing"]


def test_page_text_reads_text_and_attributes_not_markup():
    html = (
        '<main><button type="submit" title="{name}">提交</button><script>x="blog"</script></main>'
    )
    assert internal_values(page_text(html)) == ["{name}"]
