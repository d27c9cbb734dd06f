"""The Content-Security-Policy header of every response that has none of its own.

Pages load scripts only from the site's own static files (no inline script,
no inline event handler, nothing from a CDN: a test scans the templates), so
an injected `<script>` or `onerror=` does not run. Private files set their
own, stricter policy (a sandbox, beian.core.downloads) and keep it.
Django 5.2 has no CSP of its own (6.0 does); this is the whole of ours.
"""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
