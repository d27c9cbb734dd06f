from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from beian.api import api

urlpatterns = [
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
