"""Where to go after a form: the `next` the page asked for, if it stays on this site.

Every `next=` a view follows goes through `safe_next`, so a link or form
crafted elsewhere cannot send a logged-in user to another site after a
review decision, a submission or a log-in (`//evil.example`, `/\\evil.example`
and `https://evil.example` all fall back to the default).
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
