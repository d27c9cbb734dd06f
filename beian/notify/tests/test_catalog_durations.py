"""Messages tell the durations of the settings, not numbers written in their text."""

from beian.notify.catalog import render


def test_default_durations_read_as_before():
    zh = render("submitted_to_authority", {"order_number": "1"}, "zh-hans")
    assert "请在 24 小时内完成核验" in zh.text and "最长 20 个工作日" in zh.text
    en = render("application_received", {}, "en")
    assert "within 1 working day." in en.text


def test_messages_follow_the_settings(settings):
    settings.BEIAN = {
        **settings.BEIAN,
        "SMS_CODE_HOURS": 48,
        "AUTHORITY_REVIEW_WORKING_DAYS": 30,
        "INITIAL_REVIEW_WORKING_DAYS": 2,
    }
    zh = render("submitted_to_authority", {"order_number": "1"}, "zh-hans")
    assert "请在 48 小时内完成核验" in zh.text and "最长 30 个工作日" in zh.text
    assert "48小时内" in zh.sms
    assert "within 2 working days." in render("application_received", {}, "en").text
    assert "within 48 hours" in render("sms_code", {"code": "123456"}, "en").text
