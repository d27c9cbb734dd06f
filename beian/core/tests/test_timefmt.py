"""Dates and times as people read them: Beijing time (beian/core/timefmt.py)."""

import datetime as dt

from django.template import Context, Template

from beian.core import timefmt

# 17:30 UTC on 2 March is 01:30 on 3 March in Beijing: the date differs.
LATE_UTC = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)


def test_a_moment_is_read_on_beijings_clock():
    assert timefmt.datetime_text(LATE_UTC) == "2026-03-03 01:30"
    assert timefmt.date_text(LATE_UTC) == "2026-03-03"
    assert timefmt.iso(LATE_UTC) == "2026-03-03T01:30:00+08:00"


def test_dates_and_nothing():
    assert timefmt.date_text(dt.date(2026, 3, 2)) == "2026-03-02"
    assert timefmt.iso(dt.date(2026, 3, 2)) == "2026-03-02"
    assert timefmt.datetime_text(None) == timefmt.date_text(None) == ""
    assert timefmt.iso(None) is None


def test_a_naive_moment_is_taken_as_beijing_time():
    assert timefmt.datetime_text(dt.datetime(2026, 3, 3, 1, 30)) == "2026-03-03 01:30"


def test_the_template_filters_whatever_timezone_is_active(settings):
    template = Template("{% load beian %}{{ at|beijing }} {{ at|beijing_date }}")
    from django.utils import timezone

    with timezone.override("UTC"):
        assert template.render(Context({"at": LATE_UTC})) == "2026-03-03 01:30 2026-03-03"
