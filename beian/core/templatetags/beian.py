"""Template helpers: bilingual text inline, masking filters.

`{% t "中文" "English" %}` renders the text of the active language. Chinese is
the default; see docs/decisions/0002-bilingual-text-inline.md for why this
instead of gettext catalogues.
"""

from django import template

from beian.core import i18n, masking, timefmt

register = template.Library()


register.simple_tag(i18n.t, name="t")


@register.filter
def label(choice_label: str) -> str:
    """Pick one side of a bilingual choice label "中文 / English"."""
    return i18n.one_side(choice_label)


register.filter("mask_name", masking.mask_name)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_email", masking.mask_email)
register.filter("mask_certificate", masking.mask_certificate)
register.filter("mask_address", masking.mask_address)

# Dates and times in Beijing time, one format (beian/core/timefmt.py).
register.filter("beijing", timefmt.datetime_text)
register.filter("beijing_date", timefmt.date_text)
