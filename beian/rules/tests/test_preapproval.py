import pytest

from beian.core.errors import Refusal
from beian.rules.preapproval import categories, category, ensure_allowed, preapproval_required


def test_active_categories_from_the_research():
    codes = {c.code for c in categories()}
    assert codes == {
        "news",
        "publishing",
        "drugs_medical_devices",
        "culture",
        "broadcasting",
        "ride_hailing",
        "finance",
        "online_games",
    }
    assert category("education").active is False


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("news", "news"),
        ("新闻", "news"),
        ("影视资讯", "broadcasting"),
        (["网络游戏"], "online_games"),
    ],
)
def test_content_that_needs_a_preapproval(content, code):
    assert code in [c.code for c in preapproval_required(content)]


@pytest.mark.parametrize("content", ["个人博客", "读书笔记", "", None, []])
def test_content_that_needs_none(content):
    assert preapproval_required(content) == []


def test_abolished_categories_only_on_request():
    assert preapproval_required("在线教育") == []
    assert [c.code for c in preapproval_required("在线教育", include_inactive=True)] == [
        "education"
    ]


def test_individuals_cannot_file_preapproval_content():
    with pytest.raises(Refusal) as caught:
        ensure_allowed("新闻", "individual")
    assert caught.value.code == "preapproval_individual"
    assert caught.value.field == "service_content"


def test_organisations_learn_what_they_need():
    assert [c.code for c in ensure_allowed("新闻", "organization")] == ["news"]
