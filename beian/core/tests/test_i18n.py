"""The one bilingual text helper, and the template tag that calls it."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from beian.core import i18n


def test_t_picks_the_active_language():
    with translation.override("zh-hans"):
        assert i18n.t("中文", "English") == "中文"
    with translation.override("en"):
        assert i18n.t("中文", "English") == "English"


def test_lazy_t_is_picked_when_rendered():
    text = i18n.lazy_t("用户名", "Username")
    with translation.override("en"):
        assert str(text) == "Username"
    with translation.override("zh-hans"):
        assert str(text) == "用户名"


def test_template_tag_and_label_filter_call_the_one_helper(monkeypatch):
    # A copy of its own in the tag or the filter would not follow the helper.
    monkeypatch.setattr(i18n, "is_english", lambda language=None: True)
    page = Template('{% load beian %}{% t "中文" "English" %}|{{ c|label }}')
    with translation.override("zh-hans"):
        assert page.render(Context({"c": "甲 / A"})) == "English|A"
        assert i18n.t("中文", "English") == "English"
