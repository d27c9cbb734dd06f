from django.urls import path

from beian.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("query/", views.query_page, name="query"),
    path("gate/check", views.gate_check, name="gate_check"),
    path("gate/blocked", views.blocked_page, name="gate_blocked"),
    path("display-findings/", views.display_findings, name="display_findings"),
]
