from django.urls import path

from beian.authority import views

app_name = "authority"

urlpatterns = [
    path("", views.home, name="home"),
    path("downloads/", views.set_aside, name="set_aside"),
    path("downloads/<int:pk>/retry/", views.retry, name="retry"),
    path("work/", views.work, name="work"),
    path("work/<int:pk>/done/", views.task_done, name="task_done"),
]
