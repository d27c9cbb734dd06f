"""Dates and times as people read them: Beijing time (Asia/Shanghai), everywhere.

The one home for turning a moment into text: pages (the `beijing` and
`beijing_date` template filters), PDFs, e-mails and SMS (`notify/catalog.py`), the
public query, and the API (ISO 8601 with the +08:00 offset, `iso`). A moment is
stored in UTC; a date a person reads is the date in Beijing, which differs from the
UTC date between 00:00 and 08:00 Beijing time.
"""

from __future__ import annotations

import datetime as dt

from beian.core.clock import CHINA

DATETIME = "%Y-%m-%d %H:%M"
DATE = "%Y-%m-%d"


def beijing(moment: dt.datetime | None) -> dt.datetime | None:
    """The same moment on Beijing's clock (a naive value is taken as Beijing time)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA)
    return moment.astimezone(CHINA)


def datetime_text(moment: dt.datetime | None) -> str:
    """'2026-12-02 10:15' in Beijing time; '' for none."""
    return beijing(moment).strftime(DATETIME) if moment else ""


def date_text(value: dt.date | dt.datetime | None) -> str:
    """'2026-12-02': a moment's date in Beijing; a date as it is; '' for none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = beijing(value).date()
    return value.strftime(DATE)


def iso(moment: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601 for the API: a moment with the +08:00 offset, a date as YYYY-MM-DD."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return beijing(moment).isoformat()
    return moment.isoformat()
