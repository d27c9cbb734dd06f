from django.urls import path

from beian.materials import views

app_name = "materials"

urlpatterns = [
    path("<str:number>/", views.materials_page, name="page"),
    path("<str:number>/files/<int:material_id>/", views.material_file, name="file"),
    path("<str:number>/forms/<slug:form>.pdf", views.form_pdf, name="form"),
]
