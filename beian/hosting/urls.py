from django.urls import path

from beian.hosting import views

app_name = "hosting"

urlpatterns = [
    path("", views.servers, name="servers"),
    path("servers/<int:server_id>/", views.server, name="server"),
    path("servers/<int:server_id>/codes/", views.issue_code, name="issue_code"),
    path("codes/<int:code_id>/revoke/", views.revoke_code, name="revoke_code"),
]
