"""URLs of the simulator process (ROOT_URLCONF of beian.authority.sim_settings)."""

from django.urls import path
from django.views.generic import RedirectView

from beian.authority.sim import views

urlpatterns = [
    path("", RedirectView.as_view(url="/console/")),
    path("ISPWebService/upDownLoad", views.endpoint, {"service": "upDownLoad"}),
    path("BeianStatusWebService/queryBeianStatus", views.endpoint, {"service": "queryBeianStatus"}),
    path("BeianStatusWebService/verifyBamm", views.endpoint, {"service": "verifyBamm"}),
    path("console/", views.console),
    path("console/login", views.login),
    path("console/request/<int:pk>", views.decide),
    path("console/settings", views.settings_view),
    path("console/fault", views.fault),
    path("console/jcdm", views.code_tables),
    path("console/subject/<int:pk>/password", views.subject_password),
    path("console/initiative", views.initiative),
    path("bamm/reset", views.password_reset),
    path("sms/", views.sms),
]
