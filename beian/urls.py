from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from beian.api import api
from beian.core import health, unavailable

urlpatterns = [
    # For load balancers: no log-in, no redirect to HTTPS (settings.SECURE_REDIRECT_EXEMPT).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("beian.accounts.urls")),
    path("filings/", include("beian.filings.urls")),
    path("materials/", include("beian.materials.urls")),
    path("hosting/", include("beian.hosting.urls")),
    path("review/", include("beian.review.urls")),
    path("authority/", include("beian.authority.urls")),
    path("", include("beian.registry.urls")),
]

# An uncaught exception: a database that is down or read-only answers 503 with
# its code (page or JSON), anything else the 500 page (beian/core/unavailable.py).
handler500 = unavailable.server_error
